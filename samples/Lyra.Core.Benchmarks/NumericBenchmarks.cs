using System;
using BenchmarkDotNet.Attributes;
using Lyra.Core.Numerics;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// Exact matrix arithmetic: the product of two 20×20 matrices of <see cref="Value"/>s (mostly integers, a few reals)
/// into a preallocated destination.
/// </summary>
[MemoryDiagnoser]
public class MatrixBenchmarks
{
    private ValueMatrix _left = null!;
    private ValueMatrix _right = null!;
    private ValueMatrix _product = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2718);
        const int n = 20;
        _left = new ValueMatrix(n, n);
        _right = new ValueMatrix(n, n);
        _product = new ValueMatrix(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                _left[i, j] = Value.FromInteger(random.Next(-50, 50));
                _right[i, j] = random.Next(8) == 0 ? Value.FromReal(random.NextDouble() * 4) : Value.FromInteger(random.Next(-9, 10));
            }
        }
    }

    [Benchmark]
    public double Multiply()
    {
        ValueMatrix.Multiply(_left, _right, _product);
        return _product.Trace().AsDouble;
    }
}

/// <summary>A degree-32 polynomial with integer coefficients (the square of a degree-16 one) evaluated at 256 points.</summary>
[MemoryDiagnoser]
public class PolynomialBenchmarks
{
    private Polynomial _polynomial = null!;
    private Value[] _points = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(161803);
        var coefficients = new Value[17];
        for (int i = 0; i < coefficients.Length; i++)
        {
            coefficients[i] = Value.FromInteger(random.Next(-6, 7) | 1);
        }

        var p = new Polynomial(coefficients);
        _polynomial = p * p;
        _points = new Value[256];
        for (int i = 0; i < _points.Length; i++)
        {
            // Exact small integers and reals in [-1.5, 1.5].
            _points[i] = i % 2 == 0 ? Value.FromInteger((i / 2 % 5) - 2) : Value.FromReal(-1.5 + (3.0 * i / _points.Length));
        }
    }

    [Benchmark]
    public double Horner()
    {
        double total = 0;
        foreach (Value x in _points)
        {
            total += _polynomial.Evaluate(x).AsDouble;
        }

        return total;
    }
}
