using System;
using System.Collections.Generic;
using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// Symbol interning versus string-keyed lookup: both bind the arguments of 64 calls written as text
/// (<c>f[mu, 3, x, beta, 0.25, gamma]</c>) and allocate the same argument arrays; the string-keyed path also builds a
/// key string per identifier, the interned path resolves the identifier from the text span. Claim: the interned
/// path allocates at least 40 % less (by construction it allocates about half).
/// </summary>
[MemoryDiagnoser]
public class SymbolBenchmarks
{
    // 16 names of 1-5 characters (key strings of 24-32 bytes), as a physics-style program would use.
    private static readonly string[] s_names =
        ["x", "y", "z", "t", "k", "n", "dt", "mu", "eta", "rho", "beta", "mass", "alpha", "theta", "gamma", "omega"];

    private string[] _calls = [];
    private SymbolTable _symbols = null!;
    private Scope _scope = null!;
    private Dictionary<string, Value> _strings = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261127);
        _symbols = new SymbolTable();
        _scope = new Scope();
        _strings = new Dictionary<string, Value>(StringComparer.Ordinal);
        for (int i = 0; i < s_names.Length; i++)
        {
            Value value = Value.FromReal(i + 0.5);
            _scope.Set(_symbols.Intern(s_names[i]), value);
            _strings[s_names[i]] = value;
        }

        // Each call: six arguments, four of them names and two numbers, in a random order.
        _calls = new string[64];
        var args = new string[6];
        for (int c = 0; c < _calls.Length; c++)
        {
            for (int a = 0; a < args.Length; a++)
            {
                args[a] = a < 4 ? s_names[random.Next(s_names.Length)]
                    : a == 4 ? random.Next(100).ToString(CultureInfo.InvariantCulture)
                    : (random.Next(1000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
            }

            random.Shuffle(args);
            _calls[c] = "f[" + string.Join(", ", args) + "]";
        }
    }

    [Benchmark]
    public int Interned()
    {
        int resolved = 0;
        foreach (string call in _calls)
        {
            resolved += NameResolution.ResolveArguments(call, _symbols, _scope).Length;
        }

        return resolved;
    }

    [Benchmark]
    public int StringKeyed()
    {
        int resolved = 0;
        foreach (string call in _calls)
        {
            resolved += NameResolution.ResolveArguments(call, _strings).Length;
        }

        return resolved;
    }
}
