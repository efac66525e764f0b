using BenchmarkDotNet.Attributes;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// The evaluator's scratch argument buffers rented from an <c>ObjectPool</c> and returned, against a new buffer per
/// expression node: the same rational-trigonometric expression evaluated at 32 points. Claim: the pooled evaluator
/// allocates at least 90 % less (it allocates nothing).
/// </summary>
[MemoryDiagnoser]
public class PoolBenchmarks
{
    private Value _expression;
    private Evaluator _pooled = null!;
    private Evaluator _allocating = null!;
    private Scope _scope = null!;
    private Symbol _x = null!;

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        _expression = new Parser(symbols).Parse("(x^2 + 3*x - 1)/(x^2 + 1) + Sin[x]*Cos[2*x] - Sqrt[Abs[x] + 1]");
        _pooled = new Evaluator(symbols, pooling: true);
        _allocating = new Evaluator(symbols, pooling: false);
        _x = symbols.Intern("x");
        _scope = new Scope(capacity: 1);
    }

    [Benchmark]
    public double Pooled() => Sweep(_pooled);

    [Benchmark]
    public double Allocating() => Sweep(_allocating);

    private double Sweep(Evaluator evaluator)
    {
        double total = 0;
        for (int i = 0; i < 32; i++)
        {
            _scope.Set(_x, Value.FromReal(-2 + (i * 0.125)));
            total += evaluator.Evaluate(_expression, _scope).AsDouble;
        }

        return total;
    }
}
