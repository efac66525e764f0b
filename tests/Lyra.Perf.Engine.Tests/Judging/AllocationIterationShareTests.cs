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
    public void The_slower_hosts_BaselSeries_reading_is_the_machine_not_a_regression()
    {
        // 2026-12-01, unchanged code: 305 → 395 B/op while the host ran ~2.5× slower (312 → 125 operations per 50 ms iteration).
        var judgement = Gate.JudgeAllocation(Reading(160_000, 305, 312), Reading(400_000, 395, 125), Rule)!;

        Assert.False(judgement.Regressed);
        Assert.InRange(judgement.IterationShare, 100, 200);
    }

    [Fact]
    public void Without_the_operation_counts_the_same_reading_is_a_regression()
    {
        Assert.True(Gate.JudgeAllocation(Reading(160_000, 305, null), Reading(160_000, 395, null), Rule)!.Regressed);
    }

    [Fact]
    public void A_baseline_without_operation_counts_is_estimated_from_the_time_per_operation()
    {
        var judgement = Gate.JudgeAllocation(Reading(160_000, 305, null), Reading(400_000, 395, 125), Rule)!;
        Assert.False(judgement.Regressed);
        Assert.Equal((312.5, 125.0), AllocationIterationShare.Operations(Reading(160_000, 305, null), Reading(400_000, 395, 125)));
    }

    [Fact]
    public void A_new_allocation_on_a_fast_benchmark_is_caught_on_a_slow_machine_too()
    {
        // 1 µs per op: ~50,000 → 20,000 operations per iteration; the share is ~1 B, a new 24 B object is not hidden.
        var judgement = Gate.JudgeAllocation(Reading(1_000, 0, 50_000), Reading(2_500, 24, 20_000), Rule)!;

        Assert.True(judgement.Regressed);
        Assert.InRange(judgement.IterationShare, 0.5, 1.5);
    }

    [Fact]
    public void Growth_beyond_the_share_is_still_a_regression()
    {
        Assert.True(Gate.JudgeAllocation(Reading(160_000, 305, 312), Reading(400_000, 305 + 400, 125), Rule)!.Regressed);
    }

    [Theory]
    [InlineData(312, 312)]
    [InlineData(312, 260)] // Within the drift of unchanged runs: readings compare to the byte.
    [InlineData(125, 312)] // More operations: the reading can only fall.
    public void Comparable_operation_counts_allow_no_share(double baseOps, double currentOps) =>
        Assert.Equal(0, AllocationIterationShare.Bytes(Reading(160_000, 305, baseOps), Reading(160_000, 305, currentOps)));
}
