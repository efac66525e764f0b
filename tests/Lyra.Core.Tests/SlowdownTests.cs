using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text;
using Lyra.Core.Caching;
using Lyra.Core.Data;
using Lyra.Core.Evaluation;
using Lyra.Core.Numerics;
using Lyra.Core.Patterns;

namespace Lyra.Core.Tests;

public class SlowdownTests
{
    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("", 1.0)]
    [InlineData(" 1 ", 1.0)]
    [InlineData("1.25", 1.25)]
    [InlineData("2", 2.0)]
    public void Factor_is_parsed_with_the_invariant_culture(string? text, double expected) =>
        Assert.Equal(expected, Slowdown.Read(text));

    [Theory]
    [InlineData("0.8")]
    [InlineData("1,25")]
    [InlineData("NaN")]
    [InlineData("11")]
    [InlineData("fast")]
    public void Invalid_factor_is_an_error_naming_the_variable(string text)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Slowdown.Read(text));
        Assert.Contains(Slowdown.VariableName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_by_default_and_does_no_extra_work()
    {
        if (Environment.GetEnvironmentVariable(Slowdown.VariableName) is { Length: > 0 } set && Slowdown.Read(set) != 1.0)
        {
            return; // the whole test run was started slowed on purpose
        }

        _ = SlowdownWorkload.Fingerprint();
        Assert.False(Slowdown.Enabled);
        Assert.Equal(1.0, Slowdown.Factor);
        Assert.Equal(0, Slowdown.ExtraStepsOnThisThread);
    }

    [Theory]
    [InlineData("1.25")]
    [InlineData("3")]
    public void Results_are_unchanged_when_slowed(string factor)
    {
        string expected = SlowdownWorkload.Fingerprint();

        // A fresh copy of Lyra.Core (and of this workload) in its own load context reads the variable again.
        var context = new FreshCoreContext();
        try
        {
            Type workload;
            Type slowdown;
            lock (SlowdownWorkload.EnvironmentGate)
            {
                string? previous = Environment.GetEnvironmentVariable(Slowdown.VariableName);
                Environment.SetEnvironmentVariable(Slowdown.VariableName, factor);
                try
                {
                    Assembly core = context.LoadFromAssemblyPath(typeof(Slowdown).Assembly.Location);
                    Assembly tests = context.LoadFromAssemblyPath(typeof(SlowdownWorkload).Assembly.Location);
                    slowdown = core.GetType(typeof(Slowdown).FullName!, throwOnError: true)!;
                    workload = tests.GetType(typeof(SlowdownWorkload).FullName!, throwOnError: true)!;
                    RuntimeHelpers.RunClassConstructor(slowdown.TypeHandle); // reads the variable now
                }
                finally
                {
                    Environment.SetEnvironmentVariable(Slowdown.VariableName, previous);
                }
            }

            Assert.Equal(double.Parse(factor, CultureInfo.InvariantCulture), (double)slowdown.GetProperty(nameof(Slowdown.Factor))!.GetValue(null)!);
            Assert.True((bool)slowdown.GetField(nameof(Slowdown.Enabled))!.GetValue(null)!);

            string actual = (string)workload.GetMethod(nameof(SlowdownWorkload.Fingerprint))!.Invoke(null, null)!;
            long extra = (long)slowdown.GetProperty(nameof(Slowdown.ExtraStepsOnThisThread))!.GetValue(null)!;

            Assert.Equal(expected, actual);
            Assert.True(extra > 0, "the slowed copy did no extra work");
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class FreshCoreContext() : AssemblyLoadContext("lyra-core-slowed", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            // Lyra.Core and the tests from their files (fresh statics); everything else shared with the default context.
            string directory = Path.GetDirectoryName(typeof(Slowdown).Assembly.Location)!;
            return name.Name is "Lyra.Core" or "Lyra.Core.Tests" ? LoadFromAssemblyPath(Path.Combine(directory, name.Name + ".dll")) : null;
        }
    }
}

/// <summary>Every path <c>LYRA_CORE_SLOWDOWN</c> slows, run a few times; the results as text.</summary>
public static class SlowdownWorkload
{
    internal static readonly object EnvironmentGate = new();

    public static string Fingerprint()
    {
        var text = new StringBuilder();
        void Add(object? value) => text.Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('|');
        void AddValue(Value value) => Add(value.IsReal ? value.AsDouble.ToString("R", CultureInfo.InvariantCulture) : value.ToString());

        var symbols = new SymbolTable();
        var parser = new Parser(symbols);
        var evaluator = new Evaluator(symbols);
        var allocating = new Evaluator(symbols, pooling: false);
        var calculus = new Calculus(evaluator);
        Symbol x = symbols.Intern("x");
        var scope = new Scope();
        var strings = new Dictionary<string, Value>(StringComparer.Ordinal);
        for (int i = 0; i < 4; i++)
        {
            string name = "v" + i.ToString(CultureInfo.InvariantCulture);
            scope.Set(symbols.Intern(name), Value.FromReal(i + 0.5));
            strings[name] = Value.FromReal(i + 0.5);
        }

        var rules = RuleSet.Parse(parser, ["Log[Exp[x_]] -> x", "Plus[Power[Sin[x_], 2], Power[Cos[x_], 2]] -> 1", "Times[x_, Power[x_, -1]] -> 1"]);
        var rewriter = new Rewriter(symbols, evaluator);
        var cached = new CachedEvaluator(evaluator, capacity: 4);
        var table = new HashConsTable();
        var left = new ValueMatrix(3, 3);
        var right = new ValueMatrix(3, 3);
        var product = new ValueMatrix(3, 3);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                left[i, j] = Value.FromInteger((i * 3) + j - 4);
                right[i, j] = (i + j) % 4 == 0 ? Value.FromReal(0.5 * (i + 1)) : Value.FromInteger(j - i);
            }
        }

        var polynomial = new Polynomial(1, -3, 0, 2, 5) * new Polynomial(2, 1);
        SalesTable sales = SalesTable.Generate(symbols, rows: 500, regions: 7, seed: 3);

        for (int round = 0; round < 8; round++)
        {
            Value numeric = parser.Parse($"(x^2 + 3*x - 1)/(x^2 + 1) + Sin[x]*Cos[2*x] - Sqrt[Abs[x] + {round}]");
            var at = new Scope(capacity: 1);
            at.Set(x, Value.FromReal(0.25 * round));
            AddValue(evaluator.Evaluate(numeric, at));
            AddValue(allocating.Evaluate(numeric, at));
            AddValue(evaluator.Evaluate(parser.Parse($"Sum[1/k^2 + Sin[k*{round}], {{k, 1, 40}}]")));
            AddValue(evaluator.Evaluate(parser.Parse($"a + {round} + 2*b + 3 - a")));
            AddValue(calculus.Differentiate(parser.Parse($"Sin[x^2]*Exp[{round}*x] + x^{round + 2}"), x));
            Add(calculus.FindRoot(parser.Parse("x^3 - 2*x - 5"), parser.Parse("3*x^2 - 2"), x, start: 1 + round));
            Add(calculus.Integrate(parser.Parse("x^3 - 2*x - 5 + Sin[x]/4"), x, 0, 3, intervals: 16));
            AddValue(rewriter.ReplaceRepeated(parser.Parse($"Log[Exp[Sin[a]^2 + Cos[a]^2]] * q/q + {round}"), rules));
            Add(string.Join(",", NameResolution.ResolveArguments($"f[v0, {round}, v3, nope, 0.25, v1]", symbols, scope)));
            Add(string.Join(",", NameResolution.ResolveArguments($"f[v0, {round}, v3, nope, 0.25, v1]", strings)));
            Value key = parser.Parse($"(3*{round}^2 + 2)/({round}^2 + 1)");
            AddValue(cached.Evaluate(key));
            AddValue(cached.Evaluate(key));
            AddValue(table.Intern(parser.Parse($"f[g[x, {round % 3}], y]")));
            Add(table.TryGetCanonical(parser.Parse("f[g[x, 1], y]"), out Value canonical) ? canonical.ToString() : "none");
            Add(table.Count);
            ValueMatrix.Multiply(left, right, product);
            AddValue(product.Trace());
            AddValue(polynomial.Evaluate(Value.FromInteger(round - 3)));
            AddValue(polynomial.Evaluate(Value.FromReal(round / 3.0)));
            foreach (GroupSummary group in sales.Summarize(symbols, Value.FromReal(10.0 * round)))
            {
                Add($"{group.Group}:{group.Rows}:{group.Units}:{group.Revenue}:{group.LargestOrder}");
            }

            var batch = new List<Value>();
            for (int k = 1; k <= 6; k++)
            {
                batch.Add(parser.Parse($"Sum[Sin[i*{k}]^2 + Cos[i/{k}], {{i, 1, {10 + round}}}]"));
            }

            var results = new Value[batch.Count];
            BatchEvaluator.EvaluateParallel(evaluator, batch, results);
            foreach (Value result in results)
            {
                AddValue(result);
            }
        }

        return text.ToString();
    }
}
