using System;
using BenchmarkDotNet.Attributes;
using Lyra.Core.Data;
using Lyra.Core.Numerics;

namespace Lyra.Core.Benchmarks;

/// <summary>Mathematical computation: the Basel series Σ 1/k² to 2000 terms through the evaluator's <c>Sum</c>.</summary>
[MemoryDiagnoser]
public class MathWorkloadBenchmarks
{
    private Evaluator _evaluator = null!;
    private Value _series;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        _evaluator = new Evaluator(symbols);
        _series = new Parser(symbols).Parse("Sqrt[6 * Sum[1/k^2, {k, 1, 2000}]]"); // → π
    }

    [Benchmark]
    public double BaselSeries() => _evaluator.Evaluate(_series).AsDouble;
}

/// <summary>
/// Data processing over a large dataset: 40 000 orders (built once, fixed seed) filtered by price and grouped by
/// region into count, units, revenue and largest order.
/// </summary>
[MemoryDiagnoser]
public class DataWorkloadBenchmarks
{
    private SymbolTable _symbols = null!;
    private SalesTable _sales = null!;

    [GlobalSetup]
    public void Setup()
    {
        _symbols = new SymbolTable();
        _sales = SalesTable.Generate(_symbols, rows: 40_000, regions: 48, seed: 1234);
    }

    [Benchmark]
    public int SalesByRegion() => _sales.Summarize(_symbols, Value.FromReal(20.0)).Length;
}

/// <summary>
/// A scientific-style algorithm: Newton's method with a symbolically derived Jacobian (derivative computed once in
/// setup) from 8 starting points, plus a Simpson integral of the same function.
/// </summary>
[MemoryDiagnoser]
public class ScientificWorkloadBenchmarks
{
    private Calculus _calculus = null!;
    private Value _function;
    private Value _derivative;
    private Symbol _x = null!;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        _calculus = new Calculus(new Evaluator(symbols));
        _x = symbols.Intern("x");
        _function = new Parser(symbols).Parse("x^3 - 2*x - 5 + Sin[x]/4");
        _derivative = _calculus.Differentiate(_function, _x);
    }

    [Benchmark]
    public double NewtonAndSimpson()
    {
        double total = 0;
        for (int i = 0; i < 8; i++)
        {
            total += _calculus.FindRoot(_function, _derivative, _x, start: 0.5 + i);
        }

        return total + _calculus.Integrate(_function, _x, 0, 3, intervals: 64);
    }
}

/// <summary>
/// Intensive pattern matching: symbolic differentiation by rewrite rules (indexed rule set, sequence blanks,
/// repeated passes with simplification) of four expressions.
/// </summary>
[MemoryDiagnoser]
public class PatternWorkloadBenchmarks
{
    private Calculus _calculus = null!;
    private Value[] _functions = [];
    private Symbol _x = null!;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        var parser = new Parser(symbols);
        _calculus = new Calculus(new Evaluator(symbols));
        _x = symbols.Intern("x");
        _functions =
        [
            parser.Parse("x^5 - 3*x^3 + 2*x^2 - x + 7"),
            parser.Parse("Sin[x^2]*Exp[3*x]*Log[x + 1]"),
            parser.Parse("Sqrt[x^2 + 1]/(x^3 - 2)"),
            parser.Parse("Cos[a*x + b]^3 + x^x"),
        ];
    }

    [Benchmark]
    public int Differentiate()
    {
        int size = 0;
        foreach (Value f in _functions)
        {
            size += _calculus.Differentiate(f, _x).AsExpr.Count;
        }

        return size;
    }
}
