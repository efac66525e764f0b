using System;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;
using Lyra.Perf.Engine.Statistics;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

public class MachineShiftTests
{
    private const int Size = 22;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static BenchmarkMeasurement[] Suite(int seed) =>
        Enumerable.Range(0, Size).Select(i => Measure("b" + i.ToString("00"), 1000 * (i + 1), 5, seed + i, launchSpread: 0.03, iterationSpread: 0.03)).ToArray();

    /// <summary>The busy runner of 2026-12-01: the suite ×5.53 (+453 %), unevenly (+230 … +1,290 %): each benchmark
    /// gets its own factor, spread log-normally (SD 0.25) around the suite's, and the worst one ×13.9.</summary>
    private static BenchmarkMeasurement[] Busy(BenchmarkMeasurement[] suite, double suiteFactor = 5.53) =>
        suite.Select((m, i) => Scaled(m, i == Size - 1 ? 13.9 : suiteFactor * Math.Exp(0.25 * Distributions.NormalQuantile((i + 0.5) / (Size - 1))))).ToArray();

    private static GateResult Gate(BenchmarkMeasurement[] before, BenchmarkMeasurement[] after, GateOptions? options = null) =>
        new Gate().Evaluate(BaselineOf(before), "perf-baseline.json", RunOf(after), options ?? new GateOptions(), Now);

    [Fact]
    public void A_busy_runner_shifting_the_whole_suite_is_reported_once_and_fails_nothing()
    {
        var result = Gate(Suite(1), Busy(Suite(100)));

        Assert.False(result.Failed, string.Join("\n", result.Diagnostics.Where(d => d.Level == DiagnosticLevel.Error).Select(d => d.Message)));
        var shift = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.MachineShift);
        Assert.Equal(DiagnosticLevel.Warning, shift.Level);
        Assert.Contains("PerfGateBaseRef", shift.Message);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.SuiteDrift); // Said once, as the reason.
        Assert.InRange(result.MachineShift!.Ratio, 4.5, 6.5);
        Assert.True(result.MachineShift.Explained >= Size - 2, result.MachineShift.ToString());
        Assert.All(result.Diagnostics.Where(d => d.Code == DiagnosticCodes.TimeRegression), d => Assert.Equal(DiagnosticLevel.Warning, d.Level));
        Assert.Contains(result.Verdicts, v => v.Undecided is not null && v.Undecided.Contains("LPG0107"));
    }

    [Fact]
    public void Without_the_rule_the_same_run_fails_every_benchmark()
    {
        var strict = Gate(Suite(1), Busy(Suite(100)), new GateOptions { StrictEnvironment = true });

        Assert.True(strict.Failed);
        Assert.Null(strict.MachineShift);
        Assert.Contains(strict.Diagnostics, d => d.Code == DiagnosticCodes.SuiteDrift);
        Assert.True(strict.Verdicts.Count(v => v.FailsBuild) >= Size - 2);
    }

    [Fact]
    public void A_real_regression_under_load_is_still_an_error_relative_to_the_suite()
    {
        var after = Busy(Suite(100));
        after[3] = Scaled(after[3], 28); // The sample's injected regression: the cache bypassed (~28× the work).

        var result = Gate(Suite(1), after);

        Assert.True(result.Failed);
        var verdict = result.Verdicts.Single(v => v.Id == "b03");
        Assert.True(verdict.FailsBuild);
        Assert.True(verdict.Time!.RelativeToMachineShift);
        Assert.InRange(verdict.Time.Ratio, 15, 50); // Relative to the suite, not the raw ×150.
        Assert.Equal(1, result.MachineShift!.BeyondSuite);
        Assert.Single(result.Verdicts, v => v.FailsBuild);
    }

    [Fact]
    public void A_suite_wide_shift_is_named_as_the_cause_of_the_relative_judgement_and_of_what_it_held_back()
    {
        var after = Busy(Suite(100));
        after[3] = Scaled(after[3], 28);

        var result = Gate(Suite(1), after);

        Assert.Contains("machine-state shift", result.Verdicts.Single(v => v.Id == "b03").Time!.Basis);
        var held = result.Verdicts.Where(v => v.Time?.ExplainedBy is not null).ToList();
        Assert.NotEmpty(held);
        Assert.All(held, v => Assert.Equal(DiagnosticCodes.MachineShift, v.Time!.ExplainedBy!.Code));
        Assert.All(held.Where(v => v.Undecided is not null), v => Assert.Contains("LPG0107", v.Decision.Why));
    }

    [Theory]
    [InlineData(1.25, 17)] // The sample's planted slowdown: 17 of 22 benchmarks.
    [InlineData(1.4, 22)] // A whole-suite code regression below the machine boundary.
    public void A_genuine_regression_of_most_of_the_suite_on_a_quiet_machine_still_fails(double factor, int slowed)
    {
        var after = Suite(100).Select((m, i) => i < slowed ? Scaled(m, factor) : m).ToArray();

        var result = Gate(Suite(1), after);

        Assert.True(result.Failed);
        Assert.Null(result.MachineShift);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.MachineShift);
        Assert.True(result.Verdicts.Count(v => v.FailsBuild) >= slowed - 2);
    }

    [Fact]
    public void A_much_faster_machine_does_not_hide_a_benchmark_that_got_slower_relative_to_the_suite()
    {
        var after = Suite(100).Select(m => Scaled(m, 0.3)).ToArray();
        after[5] = Scaled(after[5], 4); // ×1.2 in absolute terms: hidden by the faster host without the relative judgement.

        var result = Gate(Suite(1), after);

        Assert.NotNull(result.MachineShift);
        var verdict = result.Verdicts.Single(v => v.Id == "b05");
        Assert.Equal(Outcome.Regressed, verdict.Outcome);
        Assert.True(verdict.FailsBuild);
    }

    [Fact]
    public void Detection_needs_a_consistent_move_beyond_the_boundary()
    {
        var times = Enumerable.Range(0, 10).Select(_ => new TimeJudgement(TimeOutcome.Slower, 1.4) { StandardError = 0.02 }).ToList();
        Assert.Null(MachineShift.Detect(new SuiteDriftEstimate(1.4, 10, 10, 0.002), times));
        Assert.Null(MachineShift.Detect(new SuiteDriftEstimate(3, 10, 6, 0.75), times)); // Not consistent.
        Assert.Null(MachineShift.Detect(null, times));
        var shifted = times.Select(t => t with { Ratio = 3 }).ToList();
        Assert.NotNull(MachineShift.Detect(new SuiteDriftEstimate(3, 10, 10, 0.002), shifted));
        Assert.Null(MachineShift.Detect(new SuiteDriftEstimate(3, 4, 4, 0.002), shifted.Take(4).ToList()));
    }

    [Fact]
    public void A_critical_regression_held_back_by_thin_evidence_says_how_many_launches_would_decide_and_the_summary_is_not_a_pass()
    {
        var time = new TimeJudgement(TimeOutcome.Slower, 1.8) { SignificantInFamily = false, FamilySize = 22, AdjustedPValue = 0.3, StandardError = 0.2 };
        var result = new Gate(new FixedJudge(time)).Evaluate(BaselineOf(Measure("a", 1000, 1, 1)), "perf-baseline.json", RunOf(Measure("a", 1000, 1, 2)), new GateOptions(), Now);

        Assert.False(result.Failed);
        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(Severity.Critical, verdict.Severity);
        Assert.Contains("launches per side", verdict.Undecided);
        var expected = LaunchesToDecide.For(time, 1, 1, 0.05, 0.05, 2);
        Assert.NotNull(expected);
        Assert.Contains($"about {expected} launches per side", Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.TimeRegression).Message);
        var headline = ReportFormat.HeadLine(new ReportContext { Result = result, Options = new GateOptions() });
        Assert.StartsWith("NOT DECIDED", headline);
        Assert.DoesNotContain("passed", headline);
    }

    [Fact]
    public void Launches_to_decide_grow_with_the_spread_and_the_family()
    {
        var time = new TimeJudgement(TimeOutcome.Slower, 1.6) { StandardError = 0.1, FamilySize = 1 };
        var few = LaunchesToDecide.For(time, 1, 1, 0.05, 0.05, 2)!.Value;
        var family = LaunchesToDecide.For(time with { FamilySize = 200 }, 1, 1, 0.05, 0.05, 2)!.Value;
        var noisy = LaunchesToDecide.For(time with { StandardError = 0.4 }, 1, 1, 0.05, 0.05, 2)!.Value;
        Assert.InRange(few, 2, 4);
        Assert.True(family > few);
        Assert.True(noisy > family);
        Assert.Null(LaunchesToDecide.For(time with { Ratio = 1.02 }, 1, 1, 0.05, 0.05, 2)); // Below the threshold: nothing decides it.
        Assert.Null(LaunchesToDecide.For(time with { StandardError = null }, 1, 1, 0.05, 0.05, 2));
    }

    [Fact]
    public void An_ab_runs_units_get_a_number_beyond_a_hundred_within_four_times_the_run()
    {
        // 120 units a side (an interleaved A/B run): se 0.02 is a unit spread of 0.02 / √(2/120) ≈ 0.155; +10 % is
        // 0.0465 in ln over the 5 % threshold, so t = 0.30·√(n/2) must reach ≈ 2.84 (p < 0.05/22): n ≈ 180 units.
        var time = new TimeJudgement(TimeOutcome.Slower, 1.10) { StandardError = 0.02, FamilySize = 22 };
        var units = LaunchesToDecide.For(time, 120, 120, 0.05, 0.05, 2);
        Assert.NotNull(units);
        Assert.InRange(units!.Value, 160, 200);
        Assert.Equal(480, LaunchesToDecide.MaximumFor(120));

        // With the placement term σ_p = 0.02 in that standard error (an interleaved run), only the rest shrinks with
        // units: +10 % needs se ≤ 0.0465 / 2.84 ≈ 0.016 < 0.02, never; +30 % (0.214 over) still gets a count.
        var placed = time with { StandardError = Math.Sqrt((0.02 * 0.02) + (0.01 * 0.01)), StandardErrorFloor = 0.02 };
        Assert.Null(LaunchesToDecide.For(placed, 120, 120, 0.05, 0.05, 2));
        var large = LaunchesToDecide.For(placed with { Ratio = 1.30 }, 120, 120, 0.05, 0.05, 2);
        Assert.Equal(120, large);
        Assert.Null(LaunchesToDecide.For(placed with { StandardError = 0.02 }, 120, 120, 0.05, 0.05, 2)); // all floor: no own spread to shrink
        Assert.Equal(100, LaunchesToDecide.MaximumFor(5));
    }

    private sealed class FixedJudge : ITimeJudge
    {
        private readonly TimeJudgement _time;

        public FixedJudge(TimeJudgement time) => _time = time;

        public TimeJudgement Judge(BenchmarkMeasurement baseline, BenchmarkMeasurement current, double threshold) => _time;
    }
}
