using System;
using System.Linq;
using Lyra.Perf.Engine.Comparison;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;
using Lyra.Perf.Engine.Vcs;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

/// <summary>Speedup claims in A/B mode judge the change: a claim the base build, measured side by side, falls short
/// of too is a warning, not an error (seen live: the in-process runner read the sample's Parallel claim 0.92× and
/// 1.08× on both sides of unchanged code, quiet machine, 2026-12-02 20:17–20:22).</summary>
public class AbClaimTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 21, 0, 0, TimeSpan.Zero);

    private static readonly PerfClaim ParallelClaim = new("*.Parallel", "*.Sequential") { Faster = 1.3 };

    private static readonly CommitInfo BaseCommit = new("0123456789abcdef0123456789abcdef01234567", "0123456", "Base subject");

    /// <summary>Sequential at 1000 ns on both sides; Parallel at 1000 / <paramref name="baseSpeedup"/> on the base
    /// side and 1000 / <paramref name="currentSpeedup"/> on the change's.</summary>
    private static GateResult Ab(double baseSpeedup, double currentSpeedup, PerfClaim? claim = null, bool ab = true, double? currentBytes = null)
    {
        BenchmarkMeasurement At(string id, double typical, int seed, double bytes = 100) =>
            Measure(id, typical, 8, seed, launchSpread: 0.005, iterationSpread: 0.005, bytes: bytes);

        var baseSide = BaselineOf(At("X.Sequential", 1000, 1), At("X.Parallel", 1000 / baseSpeedup, 3));
        var current = RunOf(At("X.Sequential", 1000, 2), At("X.Parallel", 1000 / currentSpeedup, 4, currentBytes ?? 100));
        return new Gate(ab: ab ? new AbSides(BaseCommit, null) : null)
            .Evaluate(baseSide, "perf-baseline.json", current, new GateOptions { Claims = new[] { claim ?? ParallelClaim } }, Now);
    }

    [Fact]
    public void A_speedup_both_sides_fall_short_of_is_a_warning_naming_the_base()
    {
        var result = Ab(baseSpeedup: 1.05, currentSpeedup: 1.0);

        var claim = Assert.Single(result.Claims);
        Assert.False(claim.Met);
        Assert.False(claim.Fails);
        Assert.Equal(GatePolicy.ClaimShortAtBaseUndecided, claim.Undecided);
        var diagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.ClaimNotMet);
        Assert.Equal(DiagnosticLevel.Warning, diagnostic.Level);
        Assert.StartsWith("Claim not met on either side:", diagnostic.Message);
        Assert.Contains("1.05× at the base commit 0123456, measured side by side, so the change did not break it", diagnostic.Message);
        Assert.Equal("X.Parallel", diagnostic.BenchmarkId);
        Assert.False(result.Failed);
        Assert.StartsWith("NOT DECIDED", ReportFormat.HeadLine(new ReportContext { Result = result, Time = Now, Options = new GateOptions() }));
    }

    [Fact]
    public void A_speedup_the_base_meets_and_the_change_loses_is_an_error_with_the_bases_figure()
    {
        var result = Ab(baseSpeedup: 1.6, currentSpeedup: 1.0);

        var claim = Assert.Single(result.Claims);
        Assert.True(claim.Fails);
        Assert.Null(claim.Undecided);
        var diagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.ClaimNotMet);
        Assert.Equal(DiagnosticLevel.Error, diagnostic.Level);
        Assert.Contains("(1.60× at the base commit 0123456, measured side by side)", diagnostic.Message);
        Assert.True(result.Failed);
    }

    [Fact]
    public void A_claim_met_by_the_change_is_met_whatever_the_base_reads()
    {
        var result = Ab(baseSpeedup: 1.0, currentSpeedup: 1.6);

        var claim = Assert.Single(result.Claims);
        Assert.True(claim.Met);
        Assert.False(claim.Fails);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.ClaimNotMet);
    }

    [Fact]
    public void Against_a_stored_baseline_the_claim_is_the_run_alone()
    {
        // The same figures without A/B: the stored baseline's speedup is another moment's and excuses nothing.
        var result = Ab(baseSpeedup: 1.05, currentSpeedup: 1.0, ab: false);

        var claim = Assert.Single(result.Claims);
        Assert.True(claim.Fails);
        Assert.Null(claim.Undecided);
        Assert.DoesNotContain("at the base commit", result.Diagnostics.Single(d => d.Code == DiagnosticCodes.ClaimNotMet).Message);
    }

    [Fact]
    public void An_allocation_part_the_change_fails_still_fails_when_the_base_falls_short_of_the_speedup()
    {
        // Only the speedup is excused by the base: the change's own allocation growth broke the second half.
        var claim = new PerfClaim("*.Parallel", "*.Sequential") { Faster = 1.3, LessAllocated = 0.5 };
        var result = Ab(baseSpeedup: 1.05, currentSpeedup: 1.0, claim: claim, currentBytes: 100);

        var checkedClaim = Assert.Single(result.Claims);
        Assert.True(checkedClaim.Fails);
        Assert.Null(checkedClaim.Undecided);
    }
}
