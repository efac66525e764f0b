using System;
using BenchmarkDotNet.Attributes;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// <see cref="Value"/> arithmetic, comparison, equality and hashing over 1024 mixed integers and reals, and sorting a
/// mixed list by the canonical order. Not slowed by <c>LYRA_CORE_SLOWDOWN</c> (nanosecond operations): unchanged
/// controls in a slowed run.
/// </summary>
[MemoryDiagnoser]
public class ValueBenchmarks
{
    private Value[] _left = [];
    private Value[] _right = [];
    private Value[] _mixed = [];
    private Value[] _scratch = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _left = new Value[1024];
        _right = new Value[1024];
        for (int i = 0; i < _left.Length; i++)
        {
            _left[i] = random.Next(3) == 0 ? Value.FromReal(random.NextDouble() * 100) : Value.FromInteger(random.Next(-1000, 1000));
            _right[i] = random.Next(3) == 0 ? Value.FromReal(1 + (random.NextDouble() * 10)) : Value.FromInteger(random.Next(1, 50));
        }

        // 512 values of every kind: integers, reals (some equal to integers), symbols and small expressions.
        var symbols = new SymbolTable();
        var parser = new Parser(symbols);
        _mixed = new Value[512];
        for (int i = 0; i < _mixed.Length; i++)
        {
            int k = random.Next(40);
            _mixed[i] = (i % 4) switch
            {
                0 => Value.FromInteger(k - 20),
                1 => Value.FromReal((k - 20) / 2.0),
                2 => Value.FromSymbol(symbols.Intern("s" + (k % 23).ToString(System.Globalization.CultureInfo.InvariantCulture))),
                _ => parser.Parse(k % 3 == 0 ? $"f[x, {k % 5}]" : k % 3 == 1 ? $"g[{k % 7}, y^{k % 4}]" : $"f[x, {k % 5}, z]"),
            };
        }

        _scratch = new Value[_mixed.Length];
    }

    [Benchmark]
    public double Arithmetic()
    {
        Value sum = Value.FromInteger(0);
        int less = 0, equal = 0, hash = 0;
        for (int i = 0; i < _left.Length; i++)
        {
            Value a = _left[i], b = _right[i];
            sum += (a * b) - (a / b);
            less += a < b ? 1 : 0;
            equal += a == b ? 1 : 0;
            hash ^= a.GetHashCode();
        }

        return sum.AsDouble + less + equal + hash;
    }

    [Benchmark]
    public int SortMixed()
    {
        _mixed.CopyTo(_scratch, 0);
        Array.Sort(_scratch);
        return _scratch[0].GetHashCode() ^ _scratch[^1].GetHashCode();
    }
}
