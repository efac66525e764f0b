using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Lyra.Core;
using Lyra.Core.Evaluation;

namespace Lyra.Core.Tests;

public class EvaluationTests
{
    private static (Evaluator Evaluator, List<Value> Inputs) Setup(int count)
    {
        var table = new SymbolTable();
        var parser = new Parser(table);
        var inputs = new List<Value>();
        for (int k = 1; k <= count; k++)
        {
            inputs.Add(parser.Parse($"Sum[Sin[i*{k}]^2 + i/{k}, {{i, 1, 40}}] + f[{k}, x]"));
        }

        return (new Evaluator(table), inputs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task Parallel_and_async_equal_sequential(int count)
    {
        (Evaluator evaluator, List<Value> inputs) = Setup(count);
        var sequential = new Value[count];
        var parallel = new Value[count];
        BatchEvaluator.EvaluateSequential(evaluator, inputs, sequential);
        BatchEvaluator.EvaluateParallel(evaluator, inputs, parallel);
        Value[] asynchronous = await BatchEvaluator.EvaluateAsync(evaluator, inputs, chunks: 3);

        Assert.Equal(sequential, parallel);
        Assert.Equal(sequential, asynchronous);
        if (count > 0)
        {
            Assert.StartsWith("Plus[", sequential[0].ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Async_honours_cancellation()
    {
        (Evaluator evaluator, List<Value> inputs) = Setup(16);
        using var cancelled = new System.Threading.CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BatchEvaluator.EvaluateAsync(evaluator, inputs, 2, cancelled.Token));
    }

    [Fact]
    public void Short_results_are_rejected()
    {
        (Evaluator evaluator, List<Value> inputs) = Setup(4);
        Assert.Throws<ArgumentException>(() => BatchEvaluator.EvaluateParallel(evaluator, inputs, new Value[3]));
    }
}
