using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Lyra.Core.Numerics;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// Parsing a larger program: a 60-line list of rewrite rules, formulas and data (about 3 KB of source) read into one
/// expression tree.
/// </summary>
[MemoryDiagnoser]
public class ProgramBenchmarks
{
    private Parser _parser = null!;
    private string _program = "";

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder("{\n");
        void Line(string text) => builder.Append("  ").Append(text).Append(",\n");
        foreach (string rule in Calculus.DerivativeRules)
        {
            Line(rule);
        }

        foreach (string rule in RewriteBenchmarks.SimplificationRules)
        {
            Line(rule);
        }

        for (int k = 1; k <= 12; k++)
        {
            Line($"energy{k} -> m*v^2/2 + m*g*h{k} - Sum[c[i]*q^i, {{i, 0, {k}}}]");
            Line($"wave{k}[x_, t_] -> A*Sin[{k}*x - omega*t + phi] * Exp[-gamma*t/{k}]");
        }

        for (int k = 0; k < 12; k++)
        {
            Line($"{{{k}, {k * 0.25}, {k * k}, 1.5e-{k % 4 + 1}, sample{k}}}");
        }

        builder.Append("  Plus[x, Times[2, y], Power[z, -1]]\n}");
        _program = builder.ToString();
        _parser = new Parser(new SymbolTable());
    }

    [Benchmark]
    public int ParseProgram() => _parser.Parse(_program).AsExpr.Count;
}

/// <summary>
/// Symbol-table reads without contention: 1024 identifiers (from a vocabulary of 200, all already interned) resolved
/// from spans of one source buffer, as a lexer-driven front end does.
/// </summary>
[MemoryDiagnoser]
public class SymbolTableBenchmarks
{
    private SymbolTable _symbols = null!;
    private string _text = "";
    private (int Start, int Length)[] _spans = [];

    [GlobalSetup]
    public void Setup()
    {
        _symbols = new SymbolTable();
        var random = new Random(99);
        var vocabulary = new string[200];
        for (int i = 0; i < vocabulary.Length; i++)
        {
            // Names of 1-12 characters: short loop variables to long descriptive ones.
            int length = 1 + random.Next(12);
            var name = new char[length];
            for (int c = 0; c < length; c++)
            {
                name[c] = (char)((c == 0 ? 'a' : 'a' + random.Next(2) * ('A' - 'a')) + random.Next(26));
            }

            vocabulary[i] = new string(name) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _symbols.Intern(vocabulary[i]);
        }

        var text = new StringBuilder();
        _spans = new (int, int)[1024];
        for (int i = 0; i < _spans.Length; i++)
        {
            string name = vocabulary[random.Next(vocabulary.Length)];
            _spans[i] = (text.Length, name.Length);
            text.Append(name).Append(' ');
        }

        _text = text.ToString();
    }

    [Benchmark]
    public int LookupNames()
    {
        int total = 0;
        foreach ((int start, int length) in _spans)
        {
            total += _symbols.TryGet(_text.AsSpan(start, length), out Symbol? symbol) ? symbol.Id : -1;
        }

        return total;
    }
}
