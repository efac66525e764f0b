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
/// operation; and W lands in some processes and not in others, which is the launch-to-launch jitter. Measured here (docs/verdict-quality.md, "Allocations and machine speed"): ParallelBenchmarks.Sequential
/// reads 8,704 B/op at N = 48 and 14,032 B/op at N = 1 (W ≈ 5.3 KB), and 8,704 B/op at N = 4 with tiered compilation
/// off; CacheHit 4 B/op at N = 929 with tiering, 0 without (W ≈ 3.7 KB); the slower host's BaselSeries 305 → 395 B/op
/// at about 2.5× fewer operations (W ≈ 19 KB).
/// </summary>
public static class AllocationIterationShare
{
    /// <summary>Background allocations charged to one measured iteration (W) on this machine kind: the noise dataset's
    /// readings times their operation counts cluster at 3.5–5.6 KB where the background landed (BinarySearchInts 10 B at
    /// N = 384, 12 B at N = 304, 7 B at N = 512; HashLoop1ms 39 B at N = 128, 35 B at N = 144; 0 B where it did not),
    /// so the jitter of a benchmark is W / N: large for slow benchmarks, sub-byte for fast ones.</summary>
    public const double IterationBytes = 6 * 1024;

    /// <summary>W while the machine-state shift (LPG0107) says the machine ran much slower: tier-up lands later and
    /// more of it in the measured iteration; the slower host's BaselSeries read 305 → 395 B/op at about 125 operations
    /// (≈ 19 KB).</summary>
    public const double ShiftedIterationBytes = 32 * 1024;

    /// <summary>The most a reading over <paramref name="side"/>'s operations can be raised by W background bytes: W / N,
    /// with N from the side's readings (BenchmarkDotNet's Memory.TotalOperations) or, when it recorded none, from the
    /// other side's N through the time per operation (the iteration time is fixed, N ∝ 1 / time per op); 0 when
    /// neither side has an operation count.</summary>
    public static double Bytes(BenchmarkMeasurement side, BenchmarkMeasurement other, double backgroundBytes = IterationBytes) =>
        Operations(side, other) is { } n ? backgroundBytes / n : 0;

    /// <summary><paramref name="side"/>'s operations per measured iteration, or null.</summary>
    public static double? Operations(BenchmarkMeasurement side, BenchmarkMeasurement other)
    {
        if (Valid(side.AllocationOperations) is { } own)
        {
            return Math.Max(1, own);
        }

        return Valid(other.AllocationOperations) is { } ops && Valid(other.TypicalNanoseconds) is { } otherTime && Valid(side.TypicalNanoseconds) is { } time
            ? Math.Max(1, ops * otherTime / time)
            : null;
    }

    private static double? Valid(double? value) => value is { } v && v > 0 && !double.IsInfinity(v) ? v : null;
}
