using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.Judging;

public class AllocationIterationShareTests
{
    private static readonly EffectiveRule Rule = new GateOptions().For("x");

    private static BenchmarkMeasurement Reading(double nanoseconds, double bytes, double? operations, int launches = 3) => new()
    {
        Id = "x",
        Launches = Enumerable.Range(0, launches).Select(_ => new LaunchMeasurement
        {
            Samples = new[] { nanoseconds, nanoseconds * 1.01, nanoseconds * 0.99 },
            AllocatedBytesPerOperation = bytes,
            AllocationOperations = operations,
        }).ToList(),
    };

    [Fact]
    public void Background_bytes_landing_in_a_slow_benchmarks_measured_iteration_are_not_a_regression()
    {
        // The noise dataset's HashLoop1ms: 0 B/op in one process, 39 B/op in the next at N = 128 (≈ 5 KB of background).
        var judgement = Gate.JudgeAllocation(Reading(770_000, 0, 144), Reading(770_000, 39, 128), Rule)!;

        Assert.False(judgement.Regressed);
        Assert.Equal(AllocationIterationShare.IterationBytes / 128, judgement.IterationShare, 9);
    }

    [Fact]
    public void Without_the_operation_counts_the_same_reading_is_a_regression()
    {
        Assert.True(Gate.JudgeAllocation(Reading(770_000, 0, null), Reading(770_000, 39, null), Rule)!.Regressed);
    }

    [Fact]
    public void The_slower_hosts_BaselSeries_reading_is_explained_only_under_a_machine_shift()
    {
        // 2026-12-01, unchanged code: 305 → 395 B/op on a host ~2.5× slower (about 125 operations per 50 ms iteration).
        Assert.True(Gate.JudgeAllocation(Reading(160_000, 305, 312), Reading(400_000, 395, 125), Rule)!.Regressed);
        Assert.False(Gate.JudgeAllocation(Reading(160_000, 305, 312), Reading(400_000, 395, 125), Rule, AllocationIterationShare.ShiftedIterationBytes)!.Regressed);
    }

    [Fact]
    public void A_side_without_operation_counts_is_estimated_from_the_time_per_operation()
    {
        Assert.Equal(125.0, AllocationIterationShare.Operations(Reading(400_000, 395, null), Reading(160_000, 305, 312.5)));
        Assert.Null(AllocationIterationShare.Operations(Reading(400_000, 395, null), Reading(160_000, 305, null)));
    }

    [Fact]
    public void A_new_allocation_on_a_fast_benchmark_is_caught_even_on_a_slow_machine()
    {
        // 1 µs per op, 20,000 operations per iteration: the share is under 2 B, a new 24 B object is not hidden.
        var judgement = Gate.JudgeAllocation(Reading(1_000, 0, 50_000), Reading(2_500, 24, 20_000), Rule, AllocationIterationShare.ShiftedIterationBytes)!;

        Assert.True(judgement.Regressed);
        Assert.InRange(judgement.IterationShare, 1, 2);
    }

    [Fact]
    public void Growth_beyond_the_share_is_still_a_regression()
    {
        Assert.True(Gate.JudgeAllocation(Reading(160_000, 305, 312), Reading(400_000, 305 + 400, 125), Rule, AllocationIterationShare.ShiftedIterationBytes)!.Regressed);
    }
}
