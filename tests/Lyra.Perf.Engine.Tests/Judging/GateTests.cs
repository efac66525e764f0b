using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

public class SeverityTests
{
    private static readonly EffectiveRule Rule = new GateOptions().For("x");

    [Theory]
    [InlineData(0.05, Severity.Warning)]
    [InlineData(0.0999, Severity.Warning)]
    [InlineData(0.10, Severity.Minor)]
    [InlineData(0.1999, Severity.Minor)]
    [InlineData(0.20, Severity.Major)]
    [InlineData(0.4999, Severity.Major)]
    [InlineData(0.50, Severity.Critical)]
    [InlineData(3.0, Severity.Critical)]
    public void Classes_have_the_spec_boundaries(double change, Severity expected) => Assert.Equal(expected, Rule.Classify(change));

    [Theory]
    [InlineData(Severity.Minor, false)]
    [InlineData(Severity.Major, true)]
    [InlineData(Severity.Critical, true)]
    public void FailOn_Major_fails_from_Major(Severity severity, bool fails) => Assert.Equal(fails, Rule.Fails(severity));

    [Fact]
    public void FailOn_None_never_fails() => Assert.False((Rule with { FailOn = Severity.None }).Fails(Severity.Critical));
}

public class GateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static BenchmarkMeasurement Quiet(string id, double typical, int seed, double factor = 1, double? bytes = null) =>
        Scaled(Measure(id, typical, 8, seed, launchSpread: 0.005, iterationSpread: 0.005, bytes: bytes), factor);

    private static GateResult Run(BenchmarkMeasurement before, BenchmarkMeasurement after, GateOptions? options = null, RunEnvironment? baseEnv = null, RunEnvironment? runEnv = null, ITimeJudge? judge = null) =>
        new Gate(judge).Evaluate(BaselineOf(before) with { Environment = baseEnv ?? new RunEnvironment() }, "perf-baseline.json", RunOf(after) with { Environment = runEnv ?? new RunEnvironment() }, options ?? new GateOptions(), Now);

    [Theory]
    [InlineData(1.07, Severity.Warning, false)]
    [InlineData(1.15, Severity.Minor, false)]
    [InlineData(1.30, Severity.Major, true)]
    [InlineData(1.80, Severity.Critical, true)]
    public void Regression_severity_and_failure_follow_the_classes(double factor, Severity severity, bool fails)
    {
        var result = Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2, factor));
        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(Outcome.Regressed, verdict.Outcome);
        Assert.Equal(severity, verdict.Severity);
        Assert.Equal(fails, result.Failed);
        Assert.Equal(fails ? new[] { "a" } : Array.Empty<string>(), result.ToConfirm);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.TimeRegression);
        Assert.Contains("CI", diagnostic.Message);
        Assert.Equal(3, diagnostic.Line); // The baseline entry's location.
    }

    [Fact]
    public void Default_judge_is_the_statistical_one()
    {
        var verdict = Assert.Single(Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2)).Verdicts);
        Assert.Equal(Outcome.Unchanged, verdict.Outcome);
        Assert.StartsWith(StatisticalTimeJudge.MethodName, verdict.Time!.Method);
    }

    [Fact]
    public void Improvement_is_a_message()
    {
        var result = Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2, 0.7));
        Assert.Equal(Outcome.Improved, Assert.Single(result.Verdicts).Outcome);
        Assert.Equal(DiagnosticLevel.Message, Assert.Single(result.Diagnostics).Level);
        Assert.False(result.Failed);
    }

    [Fact]
    public void Unknown_is_a_message_on_the_benchmark_and_one_warning_for_the_run()
    {
        var result = Run(Measure("a", 1000, 1, 1, iterationSpread: 0.2), Measure("a", 1000, 1, 2, iterationSpread: 0.2));
        Assert.Equal(Outcome.Unknown, Assert.Single(result.Verdicts).Outcome);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.VerdictUnknown, d.Code));
        var message = Assert.Single(result.Diagnostics, d => d.Level == DiagnosticLevel.Message);
        Assert.Equal("a", message.BenchmarkId);
        Assert.Equal(3, message.Line); // Still placed on the benchmark.
        Assert.Contains("detectable", message.Message);
        var warning = Assert.Single(result.Diagnostics, d => d.Level == DiagnosticLevel.Warning);
        Assert.Null(warning.BenchmarkId);
        Assert.Contains("1 of 1", warning.Message);
    }

    [Fact]
    public void Many_undecided_benchmarks_give_one_warning_with_the_count_the_median_MDE_and_what_would_decide()
    {
        var ids = Enumerable.Range(0, 20).Select(i => "b" + i).ToArray();
        var baseline = BaselineOf(ids.Select((id, i) => Measure(id, 1000, 1, 100 + i, iterationSpread: 0.2)).Append(Quiet("q", 1000, 1)).ToArray());
        var run = RunOf(ids.Select((id, i) => Measure(id, 1000, 1, 200 + i, iterationSpread: 0.2)).Append(Quiet("q", 1000, 2)).ToArray());
        var result = new Gate().Evaluate(baseline, "perf-baseline.json", run, new GateOptions(), Now);
        Assert.Equal(20, result.Verdicts.Count(v => v.Outcome == Outcome.Unknown));
        Assert.Equal(20, result.Diagnostics.Count(d => d.Code == DiagnosticCodes.VerdictUnknown && d.Level == DiagnosticLevel.Message));
        var warning = Assert.Single(result.Diagnostics, d => d.Level == DiagnosticLevel.Warning);
        Assert.Equal(DiagnosticCodes.VerdictUnknown, warning.Code);
        Assert.Equal("perf-baseline.json", warning.File);
        Assert.Contains("20 of 21", warning.Message);
        Assert.Contains("and 15 more", warning.Message);
        var median = Lyra.Perf.Engine.Statistics.Descriptive.Median(result.Verdicts.Where(v => v.Outcome == Outcome.Unknown).Select(v => v.Time!.MinimumDetectableEffect!.Value));
        Assert.Contains("median " + Units.Percent(median), warning.Message);
        Assert.Contains("To decide: ", warning.Message);
        Assert.Contains("launches", warning.Message);
        Assert.Contains("-p:PerfGateBaseRef=origin/main", warning.Message);
        Assert.False(result.Failed);
    }

    [Fact]
    public void Unknown_from_unusable_samples_stays_a_warning_on_the_benchmark()
    {
        var result = Run(Quiet("a", 1000, 1), Raw("a", new[] { double.NaN, 0, -1 }));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.VerdictUnknown, diagnostic.Code);
        Assert.Equal(DiagnosticLevel.Warning, diagnostic.Level);
        Assert.Equal("a", diagnostic.BenchmarkId);
        Assert.Contains("no usable time samples", diagnostic.Message);
    }

    [Fact]
    public void New_removed_and_failed_benchmarks_are_all_reported()
    {
        var baseline = BaselineOf(Quiet("kept", 1000, 1), Quiet("gone", 1000, 2));
        var run = RunOf(Quiet("kept", 1000, 3), Quiet("fresh", 1000, 4), new BenchmarkMeasurement { Id = "broken", Failure = "threw" });
        var result = new Gate().Evaluate(baseline, "b.json", run, new GateOptions(), Now);
        Assert.Equal(new[] { Outcome.Unchanged, Outcome.New, Outcome.Failed, Outcome.Removed }, result.Verdicts.Select(v => v.Outcome));
        Assert.True(result.Failed);
    }

    [Fact]
    public void Environment_mismatch_downgrades_time_regressions_unless_strict()
    {
        var ours = new RunEnvironment { Cpu = "EPYC" };
        var theirs = new RunEnvironment { Cpu = "Xeon" };
        var lenient = Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2, 1.8), baseEnv: ours, runEnv: theirs);
        Assert.False(lenient.Failed);
        Assert.Contains(lenient.Diagnostics, d => d.Code == DiagnosticCodes.EnvironmentDiffers);
        Assert.Contains(lenient.Diagnostics, d => d.Code == DiagnosticCodes.TimeRegression && d.Message.Contains("LPG0205"));
        var strict = Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2, 1.8), new GateOptions { StrictEnvironment = true }, ours, theirs);
        Assert.True(strict.Failed);
    }

    [Fact]
    public void A_regression_that_may_be_chance_in_the_family_is_a_warning()
    {
        var judge = new FixedJudge(new TimeJudgement(TimeOutcome.Slower, 1.3) { SignificantInFamily = false, FamilySize = 40, AdjustedPValue = 0.2 });
        var result = Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2), judge: judge);
        Assert.False(result.Failed);
        Assert.Contains("by chance", Assert.Single(result.Diagnostics).Message);
        Assert.Empty(result.ToConfirm);
    }

    [Fact]
    public void A_custom_judge_without_family_control_can_still_fail()
    {
        var judge = new FixedJudge(new TimeJudgement(TimeOutcome.Slower, 1.3));
        Assert.True(Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2), judge: judge).Failed);
    }

    [Fact]
    public void Disabled_gate_never_fails()
    {
        var result = Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2, 1.8), new GateOptions { Enabled = false });
        Assert.False(result.Failed);
        Assert.Equal(Outcome.Regressed, Assert.Single(result.Verdicts).Outcome);
    }

    [Fact]
    public void Per_benchmark_rule_raises_the_threshold()
    {
        var options = new GateOptions { Rules = new[] { new PerfRule("a") { Threshold = 0.5 } } };
        Assert.Equal(Outcome.Unchanged, Assert.Single(Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2, 1.3), options).Verdicts).Outcome);
    }

    [Fact]
    public void Suite_wide_move_is_reported_and_not_cancelled_by_default()
    {
        var before = Enumerable.Range(0, 10).Select(i => Quiet("b" + i, 1000, i)).ToArray();
        var after = Enumerable.Range(0, 10).Select(i => Quiet("b" + i, 1000, 100 + i, 1.3)).ToArray();
        var result = new Gate().Evaluate(BaselineOf(before), "b.json", RunOf(after), new GateOptions(), Now);
        Assert.InRange(result.SuiteDrift!.Ratio, 1.28, 1.32);
        Assert.False(result.SuiteDrift.Cancelled);
        Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.SuiteDrift && d.Level == DiagnosticLevel.Warning);
        Assert.All(result.Verdicts, v => Assert.Equal(Outcome.Regressed, v.Outcome)); // A real suite-wide regression is never hidden.

        var cancelled = new Gate().Evaluate(BaselineOf(before), "b.json", RunOf(after), new GateOptions { CancelSuiteDrift = true }, Now);
        Assert.True(cancelled.SuiteDrift!.Cancelled);
        Assert.All(cancelled.Verdicts, v => Assert.Equal(Outcome.Unchanged, v.Outcome));
    }

    [Fact]
    public void Small_suites_and_small_moves_give_no_drift_diagnostic()
    {
        Assert.Null(Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2, 1.3)).SuiteDrift);
        Assert.Null(SuiteDrift.Estimate(new[] { double.NaN, 0, -1, 1.1 }));
        Assert.Equal(0.001543879508972168, SuiteDrift.SignTest(20, 4), 12); // python: exact binomial
        Assert.Equal(1, SuiteDrift.SignTest(3, 3));
    }

    [Fact]
    public void Invalid_statistical_settings_fall_back_with_LPG0401()
    {
        var result = Run(Quiet("a", 1000, 1), Quiet("a", 1000, 2), new GateOptions { FalseDiscoveryRate = double.NaN, NoiseFloorNanoseconds = -1 });
        Assert.Equal(2, result.Diagnostics.Count(d => d.Code == DiagnosticCodes.InvalidSetting));
        Assert.Equal(Outcome.Unchanged, Assert.Single(result.Verdicts).Outcome);
    }

    [Fact]
    public void Nan_zero_and_negative_times_never_crash_the_gate()
    {
        var bad = Raw("a", new[] { double.NaN, 0, -3 });
        var result = new Gate().Evaluate(BaselineOf(Raw("a", new[] { 100.0, 101, 99 })), "b.json", RunOf(bad), new GateOptions(), Now);
        Assert.Equal(Outcome.Unknown, Assert.Single(result.Verdicts).Outcome);
        Assert.False(result.Failed);
    }

    private sealed class FixedJudge : ITimeJudge
    {
        private readonly TimeJudgement _time;

        public FixedJudge(TimeJudgement time) => _time = time;

        public TimeJudgement Judge(BenchmarkMeasurement baseline, BenchmarkMeasurement current, double threshold) => _time;
    }
}

public class AllocationGatingTests
{
    private static readonly EffectiveRule Rule = new GateOptions().For("x");

    private static BenchmarkMeasurement Bytes(params double?[] perLaunch) => new()
    {
        Id = "a",
        Launches = perLaunch.Select(b => new LaunchMeasurement { Samples = new[] { 1.0, 1, 1 }, AllocatedBytesPerOperation = b }).ToList(),
    };

    [Fact]
    public void One_extra_object_is_caught()
    {
        var judgement = Gate.JudgeAllocation(Bytes(1024), Bytes(1048), Rule)!;
        Assert.True(judgement.Regressed);
        Assert.Equal(24, judgement.Delta);
        Assert.Equal(Severity.Warning, judgement.Severity); // +2.3 % of 1 KB
    }

    [Fact]
    public void Jitter_in_the_current_launches_widens_the_allowance_too()
    {
        // Live runs: CacheBenchmarks.Recompute read 3, 0, 22, 0, 0 B/op in one run and 24, 22, 24, 0, 21 in the next.
        Assert.False(Gate.JudgeAllocation(Bytes(3, 0, 22, 0, 0), Bytes(24, 22, 24, 0, 21), Rule)!.Regressed);
        Assert.False(Gate.JudgeAllocation(Bytes(0, 0, 0, 0, 0), Bytes(24, 22, 24, 0, 21), Rule)!.Regressed);

        // u18 → u19: 0, 22, 0, 0, 0 then 22, 22, 21, 24, 21: the medians move by exactly the jitter seen, which is no evidence.
        Assert.False(Gate.JudgeAllocation(Bytes(0, 22, 0, 0, 0), Bytes(22, 22, 21, 24, 21), Rule)!.Regressed);

        // A planted +24 B/op with steady launches is still caught.
        Assert.True(Gate.JudgeAllocation(Bytes(1024, 1024, 1024), Bytes(1048, 1048, 1048), Rule)!.Regressed);
    }

    [Fact]
    public void Allocating_where_nothing_was_allocated_is_critical()
    {
        var judgement = Gate.JudgeAllocation(Bytes(0), Bytes(24), Rule)!;
        Assert.Equal(Severity.Critical, judgement.Severity);
    }

    [Theory]
    [InlineData(0, 13)]
    [InlineData(1024, 1039)]
    public void MemoryDiagnoser_jitter_is_not_a_regression(double before, double after) =>
        Assert.False(Gate.JudgeAllocation(Bytes(before), Bytes(after), Rule)!.Regressed);

    [Fact]
    public void Baseline_launch_spread_widens_the_allowance()
    {
        // The 1 ms benchmark reads 0 or ~40 B/op from process to process.
        var judgement = Gate.JudgeAllocation(Bytes(0, 39, 42), Bytes(42), Rule)!;
        Assert.False(judgement.Regressed);
        Assert.Equal(42, judgement.Allowance);
    }

    [Fact]
    public void Relative_threshold_applies_to_large_allocations()
    {
        var rule = Rule with { AllocationThreshold = 0.10 };
        Assert.False(Gate.JudgeAllocation(Bytes(10000), Bytes(10900), rule)!.Regressed);
        Assert.True(Gate.JudgeAllocation(Bytes(10000), Bytes(11000), rule)!.Regressed);
    }

    [Theory]
    [InlineData(double.NaN, 10.0)]
    [InlineData(10.0, double.NaN)]
    [InlineData(-5.0, 10.0)]
    [InlineData(10.0, double.PositiveInfinity)]
    public void Invalid_byte_counts_give_no_judgement(double before, double after) =>
        Assert.Null(Gate.JudgeAllocation(Bytes(before), Bytes(after), Rule));

    [Fact]
    public void Missing_allocation_data_gives_no_judgement() => Assert.Null(Gate.JudgeAllocation(Bytes(new double?[] { null }), Bytes(8), Rule));

    [Fact]
    public void Allocation_regression_fails_the_build_through_the_gate()
    {
        var before = Measure("a", 1000, 5, 1, launchSpread: 0.005, iterationSpread: 0.005, bytes: 0);
        var after = Measure("a", 1000, 5, 2, launchSpread: 0.005, iterationSpread: 0.005, bytes: 24);
        var result = new Gate().Evaluate(BaselineOf(before), "b.json", RunOf(after), new GateOptions(), DateTimeOffset.UnixEpoch);
        Assert.True(result.Failed);
        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(Outcome.Regressed, verdict.Outcome);
        Assert.Equal(Severity.Critical, verdict.Severity);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.AllocationRegression && d.Level == DiagnosticLevel.Error);
    }
}

public class ClaimTests
{
    private static readonly Func<string, SourceLocation?> Nowhere = _ => null;

    private static BenchmarkMeasurement M(string id, double ns, double? bytes) => Raw(id, new[] { ns, ns, ns }) with
    {
        Launches = new[] { new LaunchMeasurement { Samples = new[] { ns, ns, ns }, AllocatedBytesPerOperation = bytes } },
    };

    private static (IReadOnlyList<ClaimResult> Results, List<GateDiagnostic> Diagnostics) Check(PerfClaim claim, params BenchmarkMeasurement[] benchmarks)
    {
        var diagnostics = new List<GateDiagnostic>();
        return (ClaimChecker.Check(new[] { claim }, RunOf(benchmarks), true, Nowhere, diagnostics), diagnostics);
    }

    [Fact]
    public void Met_claim_reports_both_numbers_and_no_diagnostic()
    {
        var (results, diagnostics) = Check(new PerfClaim("*.Fast", "*.Slow") { Faster = 1.5, LessAllocated = 0.4 }, M("X.Fast", 100, 50), M("X.Slow", 200, 100));
        var result = Assert.Single(results);
        Assert.True(result.Met);
        Assert.Equal(2.0, result.MeasuredSpeedup);
        Assert.Equal(0.5, result.MeasuredAllocationReduction);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Failed_claim_is_LPG0103_with_both_numbers()
    {
        var (results, diagnostics) = Check(new PerfClaim("*.Fast", "*.Slow") { Faster = 3 }, M("X.Fast", 100, null), M("X.Slow", 200, null));
        Assert.False(Assert.Single(results).Met);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.ClaimNotMet, diagnostic.Code);
        Assert.Contains("2.00×", diagnostic.Message);
        Assert.Contains("claimed ≥ 3×", diagnostic.Message);
        Assert.Contains("at least 3× faster than *.Slow", diagnostic.Message);
    }

    [Fact]
    public void Unmatched_pattern_is_reported() =>
        Assert.Contains("no benchmark", Assert.Single(Check(new PerfClaim("*.Nope", "*.Slow") { Faster = 1.2 }, M("X.Slow", 1, null)).Diagnostics).Message);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void Invalid_claim_values_are_LPG0401(double factor)
    {
        var (results, diagnostics) = Check(new PerfClaim("*.Fast", "*.Slow") { Faster = factor }, M("X.Fast", 100, null), M("X.Slow", 200, null));
        Assert.False(Assert.Single(results).Met);
        Assert.Equal(DiagnosticCodes.InvalidSetting, Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Claim_of_nothing_or_out_of_range_reduction_is_LPG0401()
    {
        Assert.Equal(DiagnosticCodes.InvalidSetting, Assert.Single(Check(new PerfClaim("*.Fast", "*.Slow"), M("X.Fast", 1, null)).Diagnostics).Code);
        Assert.Equal(DiagnosticCodes.InvalidSetting, Assert.Single(Check(new PerfClaim("*.Fast", "*.Slow") { LessAllocated = 1.5 }, M("X.Fast", 1, null)).Diagnostics).Code);
        Assert.Equal(DiagnosticCodes.InvalidSetting, Assert.Single(Check(new PerfClaim("", "*.Slow") { Faster = 2 }).Diagnostics).Code);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-10.0)]
    public void Unusable_measurements_fail_the_claim_without_crashing(double bad)
    {
        var (results, diagnostics) = Check(new PerfClaim("*.Fast", "*.Slow") { Faster = 1.5, LessAllocated = 0.3 }, M("X.Fast", bad, bad), M("X.Slow", 200, 0));
        Assert.False(Assert.Single(results).Met);
        var message = Assert.Single(diagnostics).Message;
        Assert.Contains("no valid time", message);
        Assert.Contains("no allocation data", message);
    }
}
