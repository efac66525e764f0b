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

    /// <summary>The run's one claim, not met and not failed with <paramref name="undecided"/>, and its one LPG0103 warning.</summary>
    private static GateDiagnostic SingleClaimWarning(GateResult result, string undecided, string start)
    {
        var claim = Assert.Single(result.Claims);
        Assert.False(claim.Met);
        Assert.False(claim.Fails);
        Assert.Equal(undecided, claim.Undecided);
        var diagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.ClaimNotMet);
        Assert.Equal(DiagnosticLevel.Warning, diagnostic.Level);
        Assert.StartsWith(start, diagnostic.Message);
        return diagnostic;
    }

    [Fact]
    public void A_speedup_both_sides_fall_short_of_is_a_warning_naming_the_base()
    {
        var result = Ab(baseSpeedup: 1.05, currentSpeedup: 1.0);

        var diagnostic = SingleClaimWarning(result, GatePolicy.ClaimShortAtBaseUndecided, "Claim not met on either side:");
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
    public void A_shortfall_the_change_did_not_measurably_cause_is_a_warning_not_an_error()
    {
        // Seen live on a comment-only change: 1.23× against 1.37× at the base. With launches this noisy the two
        // benchmarks' changes against the base overlap, so the change is not shown to have lowered the speedup.
        // Each side's launches spread ±15–20 % around the level, its median launch exactly at it, so the speedups read as stated.
        static BenchmarkMeasurement Noisy(string id, double typical, params double[] z) =>
            Raw(id, z.Select(k => new[] { 1.0, 1.01, 1.02 }.Select(f => typical * Math.Exp(0.15 * k) * f).ToArray()).ToArray());
        var baseSide = BaselineOf(Noisy("X.Sequential", 1000, -1.2, -0.5, 0, 0.6, 1.1), Noisy("X.Parallel", 1000 / 1.37, -1.0, -0.4, 0, 0.5, 1.3));
        var current = RunOf(Noisy("X.Sequential", 1000, -1.1, -0.6, 0, 0.4, 1.2), Noisy("X.Parallel", 1000 / 1.23, -1.3, -0.3, 0, 0.7, 1.0));
        var result = new Gate(ab: new AbSides(BaseCommit, null)).Evaluate(baseSide, "perf-baseline.json", current, new GateOptions { Claims = new[] { ParallelClaim } }, Now);

        var diagnostic = SingleClaimWarning(result, GatePolicy.ClaimNotMovedUndecided, "Claim not met in this run, but not shown to be broken by the change:");
        Assert.Contains("at the base commit 0123456", diagnostic.Message);
        Assert.Contains("X.Parallel changed ", diagnostic.Message);
        Assert.Contains("within each other's noise", diagnostic.Message);
        var parallel = result.Verdicts.Single(v => v.Id == "X.Parallel").Time!;
        var sequential = result.Verdicts.Single(v => v.Id == "X.Sequential").Time!;
        Assert.True(parallel.RatioLower <= sequential.RatioUpper, $"{parallel.RatioLower} vs {sequential.RatioUpper}");
        Assert.False(result.Failed);

        // The same shortfall with quiet launches: Parallel's change is measurably beyond Sequential's, so it is an error.
        var measured = Ab(baseSpeedup: 1.37, currentSpeedup: 1.23);
        Assert.True(GatePolicy.ClaimMovedByChange(measured.Verdicts.Single(v => v.Id == "X.Parallel").Time, measured.Verdicts.Single(v => v.Id == "X.Sequential").Time));
        Assert.True(Assert.Single(measured.Claims).Fails);
        Assert.Equal(DiagnosticLevel.Error, measured.Diagnostics.Single(d => d.Code == DiagnosticCodes.ClaimNotMet).Level);
    }

    [Fact]
    public void The_change_moved_a_claim_when_the_subjects_interval_lies_beyond_the_references()
    {
        static TimeJudgement Judged(double ratio, double lower, double upper, TimeOutcome outcome = TimeOutcome.Unknown) =>
            new(outcome, ratio) { RatioLower = lower, RatioUpper = upper };

        // Both slowed alike (a planted slowdown in both): intervals overlap, not moved, though both are Slower.
        Assert.False(GatePolicy.ClaimMovedByChange(Judged(1.26, 1.20, 1.32, TimeOutcome.Slower), Judged(1.24, 1.18, 1.30, TimeOutcome.Slower)));
        // The subject slowed beyond the reference: moved.
        Assert.True(GatePolicy.ClaimMovedByChange(Judged(1.40, 1.33, 1.47, TimeOutcome.Slower), Judged(1.24, 1.18, 1.30, TimeOutcome.Slower)));
        // Without intervals the outcomes decide; without a verdict the claim is judged as measured.
        Assert.True(GatePolicy.ClaimMovedByChange(new TimeJudgement(TimeOutcome.Slower, 1.3), new TimeJudgement(TimeOutcome.Same, 1.0)));
        Assert.False(GatePolicy.ClaimMovedByChange(new TimeJudgement(TimeOutcome.Unknown, 1.1), new TimeJudgement(TimeOutcome.Same, 1.0)));
        Assert.True(GatePolicy.ClaimMovedByChange(null, new TimeJudgement(TimeOutcome.Same, 1.0)));
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
