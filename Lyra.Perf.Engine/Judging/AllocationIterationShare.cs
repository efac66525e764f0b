using System;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Judging;

/// <summary>
/// Why in-process allocation readings move with the machine's speed, and how much of a change that explains.
/// BenchmarkDotNet 0.15.8's MemoryDiagnoser reads <c>GC.GetTotalAllocatedBytes(precise: true)</c> — every thread of
/// the process — around one extra workload iteration of the pilot's operation count N, and divides by N. Whatever the
/// runtime allocates on other threads in that window (tiered-JIT tier-up of the benchmark's code, which lands later
/// on a slow or busy machine because fewer calls fit in the warmup) is charged to the benchmark as W / N. With a fixed
/// iteration time, a slower machine runs fewer operations per iteration, so the same W shows as more bytes per
/// operation. Measured here (docs/verdict-quality.md, "Allocations and machine speed"): ParallelBenchmarks.Sequential
/// reads 8,704 B/op at N = 48 and 14,032 B/op at N = 1 (W ≈ 5.3 KB), and 8,704 B/op at N = 4 with tiered compilation
/// off; CacheHit 4 B/op at N = 929 with tiering, 0 without (W ≈ 3.7 KB); the slower host's BaselSeries 305 → 395 B/op
/// at about 2.5× fewer operations (W ≈ 19 KB).
/// </summary>
public static class AllocationIterationShare
{
    /// <summary>Upper bound of the fixed allocations charged to one measured iteration (W): above the largest seen
    /// (≈ 19 KB on the slower host; CacheBenchmarks.Recompute's 0-or-22 B/op at N ≈ 1,600 is ≈ 35 KB, but at equal N,
    /// which the launch spread already covers).</summary>
    public const double IterationBytes = 32 * 1024;

    /// <summary>Operation counts within this factor are the same machine speed (unchanged runs' suite drift is ±13 %):
    /// the readings compare to the byte and no share is allowed, so a quiet runner gates an exact allocation exactly.</summary>
    public const double ComparableOperationsRatio = 1.25;

    /// <summary>How much growth in B/op fewer operations per measured iteration explain: W · (1/N_current − 1/N_baseline)
    /// when the current side ran at least <see cref="ComparableOperationsRatio"/>× fewer; 0 otherwise. N comes from each
    /// side's readings (BenchmarkDotNet's Memory.TotalOperations); a side without it (older baselines) is estimated from
    /// the other through the time per operation, since the iteration time is fixed (N ∝ 1 / time per op).</summary>
    public static double Bytes(BenchmarkMeasurement before, BenchmarkMeasurement after)
    {
        if (Operations(before, after) is not { } n)
        {
            return 0;
        }

        var (baseOps, currentOps) = n;
        return baseOps >= ComparableOperationsRatio * currentOps ? IterationBytes * ((1 / currentOps) - (1 / baseOps)) : 0;
    }

    /// <summary>Both sides' operations per measured iteration, or null when neither side recorded one.</summary>
    public static (double Baseline, double Current)? Operations(BenchmarkMeasurement before, BenchmarkMeasurement after)
    {
        var baseOps = Valid(before.AllocationOperations);
        var currentOps = Valid(after.AllocationOperations);
        var baseTime = Valid(before.TypicalNanoseconds);
        var currentTime = Valid(after.TypicalNanoseconds);
        if (baseOps is null && currentOps is { } c && baseTime is { } bt && currentTime is { } ct)
        {
            baseOps = c * ct / bt;
        }
        else if (currentOps is null && baseOps is { } b && baseTime is { } bt2 && currentTime is { } ct2)
        {
            currentOps = b * bt2 / ct2;
        }

        return baseOps is { } x && currentOps is { } y ? (Math.Max(1, x), Math.Max(1, y)) : null;
    }

    private static double? Valid(double? value) => value is { } v && v > 0 && !double.IsInfinity(v) ? v : null;
}
