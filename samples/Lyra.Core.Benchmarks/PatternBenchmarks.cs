using System;
using BenchmarkDotNet.Attributes;
using Lyra.Core.Patterns;

namespace Lyra.Core.Benchmarks;

/// <summary>Parsing source text into expressions, and matching patterns with blanks and sequence blanks.</summary>
[MemoryDiagnoser]
public class PatternBenchmarks
{
    private static readonly string[] s_sources =
    [
        "Plus[x, Times[2, y]]",
        "a*x^3 + b*x^2 - c*x + d",
        "f[g[x_, y__], h[_Integer], {1, 2.5, -3}] -> g[y, x]",
        "Sin[omega*t + phi]^2 + Cos[omega*t + phi]^2",
        "Sum[1/(k^2 + 1), {k, 1, n}] * Exp[-(x - mu)^2/(2*sigma^2)]",
        "D[Log[x^2 + 1]/Sqrt[x], x]",
        "List[alpha, beta, gamma, delta, 1.0e-3, 42]",
        "(a + b)*(c - d)/(e + f*g)",
    ];

    private Parser _parser = null!;
    private Value[] _patterns = [];
    private Value[] _subjects = [];
    private Bindings _bindings = null!;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        _parser = new Parser(symbols);
        _bindings = new Bindings();
        _patterns =
        [
            _parser.Parse("Plus[a_, b__]"),
            _parser.Parse("Times[n_Integer, rest__]"),
            _parser.Parse("f[x_, g[y__, x_], z_]"),
            _parser.Parse("Power[Plus[u__, 1], e_]"),
        ];

        // 64 subjects, a quarter of which match each pattern family, with a few near misses.
        var random = new Random(7);
        _subjects = new Value[64];
        for (int i = 0; i < _subjects.Length; i++)
        {
            int k = random.Next(1, 9);
            _subjects[i] = _parser.Parse((i % 4) switch
            {
                0 => $"x + {k}*y + z^{k}",
                1 => $"{k}*a*b*c",
                2 => i % 8 == 2 ? $"f[q, g[1, 2, {k}, q], r]" : $"f[q, g[1, 2, {k}, p], r]",
                _ => $"(a + b + {k} + 1)^{k}",
            });
        }
    }

    [Benchmark]
    public int Parse()
    {
        int total = 0;
        foreach (string source in s_sources)
        {
            total += _parser.Parse(source).AsExpr.Count;
        }

        return total;
    }

    [Benchmark]
    public int Match()
    {
        int matched = 0;
        foreach (Value subject in _subjects)
        {
            foreach (Value pattern in _patterns)
            {
                _bindings.Clear();
                if (PatternMatcher.Match(pattern, subject, _bindings))
                {
                    matched += _bindings.Count;
                }
            }
        }

        return matched;
    }
}
