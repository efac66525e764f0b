using BenchmarkDotNet.Attributes;
using Lyra.Core.Patterns;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// Rule-based simplification: ten algebraic identities (Log∘Exp, powers of powers, sin² + cos², x/x, …) applied
/// with <c>ReplaceRepeated</c>, evaluating between passes, to eight expressions until nothing changes.
/// </summary>
[MemoryDiagnoser]
public class RewriteBenchmarks
{
    public static readonly string[] SimplificationRules =
    [
        "Log[Exp[x_]] -> x",
        "Exp[Log[x_]] -> x",
        "Power[Power[x_, a_Integer], b_Integer] -> Power[x, Times[a, b]]",
        "Times[Power[x_, a_], Power[x_, b_]] -> Power[x, Plus[a, b]]",
        "Plus[Power[Sin[x_], 2], Power[Cos[x_], 2]] -> 1",
        "Sqrt[Power[x_, 2]] -> Abs[x]",
        "Times[x_, Power[x_, -1]] -> 1",
        "Plus[x_, Times[-1, x_]] -> 0",
        "Sin[Times[-1, x_]] -> Times[-1, Sin[x]]",
        "Cos[Times[-1, x_]] -> Cos[x]",
    ];

    private Rewriter _rewriter = null!;
    private RuleSet _rules = null!;
    private Value[] _subjects = [];

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        var parser = new Parser(symbols);
        _rewriter = new Rewriter(symbols, new Evaluator(symbols));
        _rules = RuleSet.Parse(parser, SimplificationRules);
        _subjects =
        [
            parser.Parse("Log[Exp[Sin[a]^2 + Cos[a]^2]] * Exp[Log[y]]"),
            parser.Parse("x^2 * x^3 + (z^3)^4"),
            parser.Parse("Sqrt[w^2] + Sin[-t] + Cos[-t]"),
            parser.Parse("q/q + (p - p)*r + Log[Exp[k]]"),
            parser.Parse("f[Exp[Log[u + v]], (m^2)^3, Sin[-(a + b)]]"),
            parser.Parse("Sin[b*c]^2 + Cos[b*c]^2 + Log[Exp[(s^2)^2]]"),
            parser.Parse("g[h/h, Sqrt[(n + 1)^2], Cos[-Log[Exp[e]]]]"),
            parser.Parse("(x^a)^2 * Exp[Log[x^b * x^c]]"),
        ];
    }

    [Benchmark]
    public int Simplify()
    {
        int size = 0;
        foreach (Value subject in _subjects)
        {
            Value simplified = _rewriter.ReplaceRepeated(subject, _rules);
            size += simplified.TryGetExpr(out Expr? e) ? e.Count : 1;
        }

        return size;
    }
}
