using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.Judging;

public class ExactAllocationTests
{
    private static readonly EffectiveRule Rule = new GateOptions().For("x");

    /// <summary><paramref name="runs"/> recording runs of <paramref name="launches"/> launches, each reading <paramref name="bytes"/>.</summary>
    private static BenchmarkMeasurement Kept(int runs, int launches, params double[] bytes) => new()
    {
        Id = "x",
        Launches = Enumerable.Range(0, runs * launches).Select(i => new LaunchMeasurement
        {
            Samples = new[] { 1000.0, 1001, 999 },
            AllocatedBytesPerOperation = bytes[i % bytes.Length],
            Session = runs > 1 ? "run " + (i / launches) : null,
        }).ToList(),
    };

    [Fact]
    public void An_exactly_constant_allocation_kept_over_several_runs_is_gated_to_the_byte()
    {
        var judgement = Gate.JudgeAllocation(Kept(5, 5, 1024), Kept(1, 5, 1032), Rule)!;

        Assert.True(judgement.Exact);
        Assert.True(judgement.Regressed); // +8 B/op: a new 8-byte field.
        Assert.False(Gate.JudgeAllocation(Kept(5, 5, 1024), Kept(1, 5, 1024), Rule)!.Regressed);
    }

    [Theory]
    [InlineData(1, 10)] // One run: its launches may share a lucky state.
    [InlineData(3, 3)] // Too few launches.
    public void Thin_evidence_keeps_the_jitter_floor(int runs, int launches)
    {
        var judgement = Gate.JudgeAllocation(Kept(runs, launches, 1024), Kept(1, 5, 1032), Rule)!;

        Assert.False(judgement.Exact);
        Assert.False(judgement.Regressed);
    }

    [Fact]
    public void Jitter_anywhere_keeps_the_jitter_floor()
    {
        Assert.False(Gate.JudgeAllocation(Kept(5, 5, 1024, 1024, 1030), Kept(1, 5, 1032), Rule)!.Exact);
        Assert.False(Gate.JudgeAllocation(Kept(5, 5, 1024), Kept(1, 5, 1032, 1032, 1040), Rule)!.Exact);
        Assert.False(Gate.JudgeAllocation(Kept(5, 5, 1024), Kept(1, 2, 1032), Rule)!.Exact); // One or two current launches: no median to trust.
    }
}
