using System;
using BenchmarkDotNet.Attributes;

namespace Lyra.Core.Benchmarks;

/// <summary><see cref="Value"/> arithmetic, comparison, equality and hashing over 1024 mixed integers and reals.</summary>
[MemoryDiagnoser]
public class ValueBenchmarks
{
    private Value[] _left = [];
    private Value[] _right = [];

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
}
