using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Lyra.Core.Evaluation;

/// <summary>
/// Evaluates a list of independent expressions: one after another, in parallel over range partitions
/// (<see cref="Parallel.ForEach{TSource}(System.Collections.Concurrent.OrderablePartitioner{TSource}, Action{TSource, ParallelLoopState, long})"/>),
/// or as tasks. Every variant writes result i for input i, so the results are identical whichever runs.
/// </summary>
public static class BatchEvaluator
{
    /// <summary>Evaluates the inputs in order on this thread.</summary>
    public static void EvaluateSequential(Evaluator evaluator, IReadOnlyList<Value> inputs, Span<Value> results)
    {
        Check(evaluator, inputs, results.Length);
        for (int i = 0; i < inputs.Count; i++)
        {
            results[i] = evaluator.Evaluate(inputs[i]);
        }
    }

    /// <summary>Evaluates the inputs on the thread pool, a few contiguous ranges per core.</summary>
    public static void EvaluateParallel(Evaluator evaluator, IReadOnlyList<Value> inputs, Value[] results, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(results);
        Check(evaluator, inputs, results.Length);
        if (inputs.Count == 0)
        {
            return;
        }

        int degree = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        int rangeSize = Math.Max(1, inputs.Count / (degree * 2));
        var options = new ParallelOptions { MaxDegreeOfParallelism = degree };
        Parallel.ForEach(Partitioner.Create(0, inputs.Count, rangeSize), options, range =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
            {
                results[i] = evaluator.Evaluate(inputs[i]);
            }
        });
    }

    /// <summary>Evaluates the inputs as one task per contiguous chunk and awaits them all.</summary>
    public static async Task<Value[]> EvaluateAsync(Evaluator evaluator, IReadOnlyList<Value> inputs, int chunks = 0, CancellationToken cancellationToken = default)
    {
        Check(evaluator, inputs, inputs?.Count ?? 0);
        var results = new Value[inputs!.Count];
        int count = Math.Clamp(chunks > 0 ? chunks : Environment.ProcessorCount, 1, Math.Max(1, inputs.Count));
        var tasks = new Task[count];
        for (int c = 0; c < count; c++)
        {
            int start = (int)((long)inputs.Count * c / count), end = (int)((long)inputs.Count * (c + 1) / count);
            tasks[c] = Task.Run(() =>
            {
                for (int i = start; i < end; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    results[i] = evaluator.Evaluate(inputs[i]);
                }
            }, cancellationToken);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return results;
    }

    private static void Check(Evaluator evaluator, IReadOnlyList<Value> inputs, int resultLength)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(inputs);
        if (resultLength < inputs.Count)
        {
            throw new ArgumentException("The results span is shorter than the inputs.", "results");
        }
    }
}
