using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Lyra.Core.Evaluation;

namespace Lyra.Core.Benchmarks;

/// <summary>
/// The same 32 independent expressions (trigonometric sums of 80 terms) evaluated one after another and in parallel
/// over range partitions. Claim: parallel is faster by a factor that depends on the core count
/// (<c>LyraParallelClaim</c> in PerfClaims.props).
/// </summary>
[MemoryDiagnoser]
public class ParallelBenchmarks
{
    private Evaluator _evaluator = null!;
    private List<Value> _expressions = [];
    private Value[] _results = [];

    [GlobalSetup]
    public void Setup()
    {
        var symbols = new SymbolTable();
        var parser = new Parser(symbols);
        _evaluator = new Evaluator(symbols);
        _expressions = [];
        for (int k = 1; k <= 32; k++)
        {
            _expressions.Add(parser.Parse($"Sum[Sin[i*{k}]^2 + Cos[i/{k}], {{i, 1, 80}}]"));
        }

        _results = new Value[_expressions.Count];
    }

    [Benchmark]
    public Value Sequential()
    {
        BatchEvaluator.EvaluateSequential(_evaluator, _expressions, _results);
        return _results[^1];
    }

    [Benchmark]
    public Value Parallel()
    {
        BatchEvaluator.EvaluateParallel(_evaluator, _expressions, _results);
        return _results[^1];
    }
}
