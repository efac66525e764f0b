using System;
using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// Expression hashing and structural equality: 256 expressions held in a <see cref="HashConsTable"/>, looked up by
/// structurally equal copies parsed separately (distinct objects, so every hit walks the whole structure).
/// </summary>
[MemoryDiagnoser]
public class ExprBenchmarks
{
    private HashConsTable _table = null!;
    private Value[] _probes = [];

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        var parser = new Parser(symbols);
        var random = new Random(314);
        var sources = new string[256];
        for (int i = 0; i < sources.Length; i++)
        {
            int a = random.Next(1, 9), b = random.Next(1, 9), c = random.Next(0, 99);
            sources[i] = (i % 3) switch
            {
                0 => $"a*x^{a} + b*x^{b} - {c}*Sin[x + {i}]",
                1 => $"f[g[x, {a}], h[y, {b}, {{1, 2, {c}}}], {i}]",
                _ => $"Exp[-(x - {a})^2/{b}] * Log[{c} + x^2] + {i}.5",
            };
        }

        _table = new HashConsTable();
        foreach (string source in sources)
        {
            _table.Intern(parser.Parse(source));
        }

        _probes = new Value[sources.Length];
        for (int i = 0; i < sources.Length; i++)
        {
            _probes[i] = parser.Parse(sources[i]);
        }

        if (_table.Count != sources.Length)
        {
            throw new InvalidOperationException("Expected " + sources.Length.ToString(CultureInfo.InvariantCulture) + " distinct expressions.");
        }
    }

    [Benchmark]
    public int HashConsLookup()
    {
        int found = 0;
        foreach (Value probe in _probes)
        {
            found += _table.TryGetCanonical(probe, out Value canonical) ? canonical.AsExpr.Count : 0;
        }

        return found;
    }
}
