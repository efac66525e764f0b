using System;
using System.Linq;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

/// <summary>The one decision: every output (diagnostic levels, status, reports, confirmation) follows it, including
/// MSBuild's promotion of warnings to errors.</summary>
public class GatePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static BenchmarkMeasurement Quiet(string id, double typical, int seed, double factor = 1) =>
        Scaled(Measure(id, typical, 8, seed, launchSpread: 0.005, iterationSpread: 0.005), factor);

    /// <summary>A +30 % regression (Major) with FailOn=None: a warning unless MSBuild promotes LPG0101.</summary>
    private static GateResult Slower(GateOptions? options = null, Func<string, bool>? treatsAsError = null) =>
        new Gate().Evaluate(BaselineOf(Quiet("a", 1000, 1), Quiet("b", 1000, 3)), "perf-baseline.json",
            RunOf(Quiet("a", 1000, 2, 1.3), Quiet("b", 1000, 4)), options ?? new GateOptions { FailOn = Severity.None }, Now, treatsAsError: treatsAsError);

    private static string Status(GateResult result)
    {
        var context = new ReportContext { Result = result, Run = RunOf(Quiet("a", 1000, 2, 1.3), Quiet("b", 1000, 4)), Time = Now, ProjectName = "p" };
        using var json = JsonDocument.Parse(JsonReportWriter.Write(context));
        var status = json.RootElement.GetProperty("status").GetString()!;
        Assert.Equal(status == "failed", MarkdownReportWriter.Write(context).StartsWith("## ❌", StringComparison.Ordinal));
        Assert.Equal(status == "failed", ReportFormat.HeadLine(context).StartsWith("FAILED", StringComparison.Ordinal));
        return status;
    }

    [Fact]
    public void A_warning_stays_a_warning_and_the_run_passes()
    {
        var result = Slower();
        var verdict = result.Verdicts.Single(v => v.Id == "a");
        Assert.Equal(Outcome.Regressed, verdict.Outcome);
        Assert.False(verdict.FailsBuild);
        Assert.Contains("below PerfGateFailOn=None", verdict.Decision.Why);
        Assert.Equal(DiagnosticLevel.Warning, result.Diagnostics.Single(d => d.Code == DiagnosticCodes.TimeRegression).Level);
        Assert.False(result.Failed);
        Assert.Empty(result.ToConfirm);
        Assert.Equal("passed", Status(result));
    }

    [Fact]
    public void WarningsAsErrors_fails_the_benchmark_the_run_and_every_report()
    {
        var result = Slower(treatsAsError: code => code == DiagnosticCodes.TimeRegression);
        var verdict = result.Verdicts.Single(v => v.Id == "a");
        Assert.True(verdict.FailsBuild);
        Assert.True(verdict.Decision.NeedsConfirmation);
        Assert.Contains("LPG0101 is an error in this build", verdict.Decision.Why);
        Assert.False(result.Verdicts.Single(v => v.Id == "b").FailsBuild);
        Assert.Equal(DiagnosticLevel.Error, result.Diagnostics.Single(d => d.Code == DiagnosticCodes.TimeRegression).Level);
        Assert.True(result.Failed);
        Assert.Equal(new[] { "a" }, result.ToConfirm);
        Assert.Equal(new[] { DiagnosticCodes.TimeRegression }, result.Decision.PromotedCodes);
        Assert.Contains(result.Decision.Why, w => w.Contains("LPG0101", StringComparison.Ordinal));
        Assert.Equal("failed", Status(result));
    }

    [Fact]
    public void Warnaserror_promotes_run_level_warnings_too()
    {
        var differs = new GateOptions();
        var result = new Gate().Evaluate(BaselineOf(Quiet("a", 1000, 1)) with { Environment = new RunEnvironment { LogicalCores = 2 } }, "b.json",
            RunOf(Quiet("a", 1000, 2)) with { Environment = new RunEnvironment { LogicalCores = 4 } }, differs, Now, treatsAsError: _ => true);
        var environment = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.EnvironmentDiffers);
        Assert.Equal(DiagnosticLevel.Error, environment.Level);
        Assert.True(result.Failed);
        Assert.False(Assert.Single(result.Verdicts).FailsBuild); // A run-level warning fails the run, not the benchmark.
        Assert.Contains(result.Decision.Why, w => w.Contains(DiagnosticCodes.EnvironmentDiffers, StringComparison.Ordinal));
        Assert.Equal("failed", Status(result));
    }

    [Fact]
    public void Messages_are_never_promoted_and_a_disabled_gate_fails_nothing_it_measured()
    {
        var result = Slower(new GateOptions { Enabled = false }, treatsAsError: _ => true);
        Assert.False(result.Failed);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticLevel.Message, d.Level));
        Assert.Contains("reported only (PerfGateEnabled=false)", result.Verdicts.Single(v => v.Id == "a").Decision.Why);
        Assert.Equal("passed", Status(result));
    }

    [Fact]
    public void A_failing_regression_is_an_error_without_promotion_and_needs_confirmation()
    {
        var result = Slower(new GateOptions());
        var verdict = result.Verdicts.Single(v => v.Id == "a");
        Assert.True(verdict.FailsBuild);
        Assert.Equal(new[] { DiagnosticCodes.TimeRegression }, verdict.Decision.ErrorCodes);
        Assert.Contains("fails the build (PerfGateFailOn=Major)", verdict.Decision.Why);
        Assert.Empty(result.Decision.PromotedCodes);
        Assert.Equal("failed", Status(result));
    }

    [Fact]
    public void Conclude_is_idempotent()
    {
        var once = Slower(treatsAsError: code => code == DiagnosticCodes.TimeRegression);
        var twice = GatePolicy.Conclude(once, enabled: true, code => code == DiagnosticCodes.TimeRegression);
        Assert.Equal(once.Decision.Why, twice.Decision.Why);
        Assert.Equal(once.Verdicts.Select(v => v.Decision.Why), twice.Verdicts.Select(v => v.Decision.Why));
        Assert.Equal(once.Diagnostics.Select(d => d.Level), twice.Diagnostics.Select(d => d.Level));
    }

    [Fact]
    public void An_unmet_claim_in_a_filtered_run_is_a_warning_unless_promoted()
    {
        var claim = new PerfClaim("*.Missing", "*.a") { Faster = 1.2 };
        var options = new GateOptions { Filter = "*a*", Claims = new[] { claim } };
        var run = RunOf(Quiet("x.a", 1000, 2));
        var plain = new Gate().Evaluate(BaselineOf(Quiet("x.a", 1000, 1)), "b.json", run, options, Now);
        Assert.False(plain.Failed);
        Assert.False(Assert.Single(plain.Claims).Fails);

        var promoted = new Gate().Evaluate(BaselineOf(Quiet("x.a", 1000, 1)), "b.json", run, options, Now, treatsAsError: c => c == DiagnosticCodes.ClaimNotMet);
        Assert.True(promoted.Failed);
        Assert.Contains(promoted.Decision.Why, w => w.Contains(DiagnosticCodes.ClaimNotMet, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unmet_claim_fails_its_claim_not_its_subject_benchmark()
    {
        var claim = new PerfClaim("*.a", "*.b") { Faster = 2 };
        var result = new Gate().Evaluate(BaselineOf(Quiet("x.a", 1000, 1), Quiet("x.b", 1000, 3)), "b.json",
            RunOf(Quiet("x.a", 1000, 2), Quiet("x.b", 1000, 4)), new GateOptions { Claims = new[] { claim } }, Now);
        Assert.True(result.Failed);
        Assert.True(Assert.Single(result.Claims).Fails);
        Assert.All(result.Verdicts, v => Assert.False(v.FailsBuild));
        Assert.Contains(result.Decision.Why, w => w.Contains("claim", StringComparison.Ordinal));
    }
}
