using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Lyra.Perf.Engine.Comparison;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

/// <summary>LPG0225: a multi-threaded benchmark that could not get its cores on a busy machine is reported, not
/// failed; everything else is judged as before.</summary>
public class CoreShortageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

    private static readonly RunEnvironment TwoCores = new() { Os = "Linux", Cpu = "CPU X", LogicalCores = 2, Runtime = ".NET 10" };

    /// <summary>A quiet measurement whose launches used <paramref name="cores"/> while other processes kept
    /// <paramref name="other"/> cores busy (null: not measured, as in older reports).</summary>
    private static BenchmarkMeasurement Loaded(string id, double typical, int seed, double factor, double? cores, double? other)
    {
        var measured = Scaled(Measure(id, typical, 8, seed, launchSpread: 0.005, iterationSpread: 0.005, bytes: 100), factor);
        return measured with { Launches = measured.Launches.Select(l => l with { CoresUsed = cores, OtherLoadCores = other }).ToList() };
    }

    private static readonly PerfClaim ParallelClaim = new("*.Parallel", "*.Sequential") { Faster = 1.3 };

    /// <summary>The lead's measurement in miniature: Sequential (1 core) kept its core, Parallel (1.9 cores on a quiet
    /// machine) ran 1.4× slower while other processes held a core, and its claim read 1.19× instead of ≥ 1.3×.</summary>
    private static GateResult Busy(
        double parallelCores = 1.9, double? baselineParallelCores = 1.9, double? otherLoad = 1.0, double? baselineOther = 0.05,
        double parallelFactor = 1.4, double sequentialFactor = 1, GateOptions? options = null, AbSides? ab = null, int cores = 2, double? parallelBytesFactor = null)
    {
        var baseline = BaselineOf(
            Loaded("X.Sequential", 1000, 1, 1, 1.0, baselineOther),
            Loaded("X.Parallel", 600, 3, 1, baselineParallelCores, baselineOther)) with { Environment = TwoCores with { LogicalCores = cores } };
        var parallel = Loaded("X.Parallel", 600, 4, parallelFactor, otherLoad is null ? null : parallelCores, otherLoad);
        if (parallelBytesFactor is { } bytes)
        {
            parallel = parallel with { Launches = parallel.Launches.Select(l => l with { AllocatedBytesPerOperation = 100 * bytes }).ToList() };
        }

        var run = RunOf(Loaded("X.Sequential", 1000, 2, sequentialFactor, 1.0, otherLoad), parallel) with { Environment = TwoCores with { LogicalCores = cores } };
        return new Gate(ab: ab).Evaluate(baseline, "perf-baseline.json", run, options ?? new GateOptions { Claims = new[] { ParallelClaim } }, Now);
    }

    private static BenchmarkVerdict Verdict(GateResult result, string id) => result.Verdicts.Single(v => v.Id == id);

    private static string HeadLine(GateResult result) => ReportFormat.HeadLine(new ReportContext { Result = result, Time = Now, Options = new GateOptions() });

    [Fact]
    public void A_multithreaded_benchmark_without_its_cores_is_a_warning_and_its_claim_is_not_checked()
    {
        var result = Busy();

        var parallel = Verdict(result, "X.Parallel");
        Assert.Equal(Outcome.Regressed, parallel.Outcome);
        Assert.Equal(Severity.Major, parallel.Severity);
        Assert.False(parallel.FailsBuild);
        Assert.Equal(GatePolicy.CoreShortageUndecided, parallel.Undecided);
        Assert.Contains("the machine lacked cores for this multi-threaded benchmark", parallel.Decision.Why);
        Assert.Equal(DiagnosticLevel.Warning, result.Diagnostics.Single(d => d.Code == DiagnosticCodes.TimeRegression).Level);

        var claim = Assert.Single(result.Claims);
        Assert.False(claim.Met);
        Assert.False(claim.Fails);
        Assert.Equal(GatePolicy.CoreShortageUndecided, claim.Undecided);
        var claimDiagnostic = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.ClaimNotMet);
        Assert.Equal(DiagnosticLevel.Warning, claimDiagnostic.Level);
        Assert.StartsWith("Claim not checked: the machine was busy.", claimDiagnostic.Message);

        var busy = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.CoresLacking);
        Assert.Equal(DiagnosticLevel.Warning, busy.Level);
        Assert.Null(busy.File); // at the project
        Assert.StartsWith("Other processes took 1.0 of the machine's 2 cores while 1 multi-threaded benchmark ran (X.Parallel used 1.9 cores in the baseline)", busy.Message);
        Assert.Contains("1 time regression among them is a warning, not an error, and 1 claim on them was not checked", busy.Message);
        Assert.Contains("-p:PerfGateBaseRef=", busy.Message);

        Assert.False(result.Failed);
        Assert.Equal(new[] { "X.Parallel" }, result.CoreShortages.Keys);
        Assert.StartsWith("NOT DECIDED (build not failed): 1 regression of a failing size could not be confirmed and 1 claim not met could not be checked", HeadLine(result));
    }

    [Fact]
    public void A_singlethreaded_benchmark_on_the_same_busy_machine_is_judged()
    {
        var result = Busy(parallelFactor: 1, sequentialFactor: 1.4, options: new GateOptions());

        Assert.True(Verdict(result, "X.Sequential").FailsBuild);
        Assert.Equal(DiagnosticLevel.Error, result.Diagnostics.Single(d => d.Code == DiagnosticCodes.TimeRegression).Level);
        Assert.True(result.Failed);
        // Parallel lacked cores, but held nothing back: said as a message only.
        Assert.Equal(DiagnosticLevel.Message, result.Diagnostics.Single(d => d.Code == DiagnosticCodes.CoresLacking).Level);
    }

    [Fact]
    public void A_multithreaded_regression_on_a_quiet_machine_fails()
    {
        var result = Busy(otherLoad: 0.1);

        Assert.True(Verdict(result, "X.Parallel").FailsBuild);
        Assert.True(Assert.Single(result.Claims).Fails);
        Assert.Empty(result.CoreShortages);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.CoresLacking);
        Assert.True(result.Failed);
    }

    [Fact]
    public void PerfGateStrictEnvironment_judges_it_anyway()
    {
        var result = Busy(options: new GateOptions { StrictEnvironment = true, Claims = new[] { ParallelClaim } });

        Assert.True(Verdict(result, "X.Parallel").FailsBuild);
        Assert.True(Assert.Single(result.Claims).Fails);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.CoresLacking);
        Assert.True(result.Failed);
    }

    [Fact]
    public void Without_the_metrics_nothing_changes()
    {
        var result = Busy(baselineParallelCores: null, otherLoad: null, baselineOther: null);

        Assert.True(Verdict(result, "X.Parallel").FailsBuild);
        Assert.True(Assert.Single(result.Claims).Fails);
        Assert.Empty(result.CoreShortages);
        Assert.True(result.Failed);
    }

    [Fact]
    public void A_machine_with_cores_to_spare_does_not_lack_them()
    {
        // Same load on 8 cores: 1.9 + 1.0 fit, so a slowdown there is the code's.
        var result = Busy(cores: 8);

        Assert.True(Verdict(result, "X.Parallel").FailsBuild);
        Assert.True(result.Failed);
    }

    [Fact]
    public void Allocations_still_gate_for_a_benchmark_that_lacked_cores()
    {
        var result = Busy(parallelBytesFactor: 3);

        var parallel = Verdict(result, "X.Parallel");
        Assert.True(parallel.FailsBuild);
        Assert.Equal(new[] { DiagnosticCodes.AllocationRegression }, parallel.Decision.ErrorCodes);
        Assert.True(result.Failed);
    }

    [Fact]
    public void The_allocation_part_of_a_claim_still_fails()
    {
        var claim = new PerfClaim("*.Parallel", "*.Sequential") { Faster = 1.3, LessAllocated = 0.5 };
        var result = Busy(options: new GateOptions { Claims = new[] { claim } });

        Assert.True(Assert.Single(result.Claims).Fails);
        Assert.True(result.Failed);
    }

    [Fact]
    public void In_AB_mode_the_time_verdict_stands_and_the_claim_is_not_checked()
    {
        // Both sides ran under the same load (other load as in the "baseline"): the shortage is absolute there.
        var result = Busy(baselineOther: 1.0, ab: new AbSides(null, null));

        Assert.True(Verdict(result, "X.Parallel").FailsBuild);
        var claim = Assert.Single(result.Claims);
        Assert.False(claim.Fails);
        Assert.Equal(GatePolicy.CoreShortageUndecided, claim.Undecided);
        Assert.Contains("their time verdicts stand (A/B: both sides shared the machine)", result.Diagnostics.Single(d => d.Code == DiagnosticCodes.CoresLacking).Message);
        Assert.True(result.Failed);
    }

    [Fact]
    public void A_baseline_recorded_under_the_same_load_is_no_shortage()
    {
        // Stored baseline: the other load must have risen by half a core since the baseline was recorded.
        var result = Busy(baselineOther: 0.8);

        Assert.Empty(result.CoreShortages);
        Assert.True(Verdict(result, "X.Parallel").FailsBuild);
    }

    [Theory]
    // cores used (baseline, current), other load (baseline, current), machine cores → lacked cores?
    [InlineData(1.9, 1.2, 0.05, 1.0, 2, true)]
    [InlineData(1.29, 1.29, 0.05, 1.0, 2, false)]   // below the multi-threaded boundary
    [InlineData(1.3, 1.0, 0.05, 1.0, 2, true)]     // at it
    [InlineData(1.9, 1.2, 0.05, 0.54, 2, false)]   // the load rose by less than half a core
    [InlineData(1.9, 1.2, 0.05, 0.55, 2, true)]    // by half a core, and 1.9 + 0.55 > 2
    [InlineData(1.9, 1.2, 0.05, 1.0, 4, false)]    // 1.9 + 1.0 fit into 4 cores
    [InlineData(1.9, 1.2, 0.05, 1.0, 0, false)]    // unknown core count
    [InlineData(double.NaN, 1.5, double.NaN, 0.6, 2, true)] // no baseline figures: this run's cores, absolute load
    [InlineData(double.NaN, 1.2, double.NaN, 1.5, 2, false)] // this run's 1.2 cores: not multi-threaded
    public void The_rule_s_boundaries(double baselineCores, double currentCores, double baselineOther, double currentOther, int machineCores, bool lacked)
    {
        double? Known(double v) => double.IsNaN(v) ? null : v;
        var before = Loaded("a", 1000, 1, 1, Known(baselineCores), Known(baselineOther));
        var after = Loaded("a", 1000, 2, 1, currentCores, currentOther);

        var shortage = CpuContention.For(before, after, machineCores, relativeToReference: true);

        Assert.Equal(lacked, shortage is not null);
        if (shortage is not null)
        {
            Assert.Equal(Known(baselineCores) ?? currentCores, shortage.CoresUsed);
            Assert.Equal(!double.IsNaN(baselineCores), shortage.FromBaseline);
        }
    }

    [Fact]
    public void The_report_shows_the_machine_load_and_the_benchmarks_that_lacked_cores()
    {
        var result = Busy();
        var baseline = BaselineOf(Loaded("X.Sequential", 1000, 1, 1, 1.0, 0.05), Loaded("X.Parallel", 600, 3, 1, 1.9, 0.05));
        var run = RunOf(Loaded("X.Sequential", 1000, 2, 1, 1.0, 1.0), Loaded("X.Parallel", 600, 4, 1.4, 1.2, 1.0)) with { Environment = TwoCores };
        var text = JsonReportWriter.Write(new ReportContext { Result = result, Run = run, Baseline = baseline, Time = Now, ProjectName = "p" });

        using var json = JsonDocument.Parse(text);
        var load = json.RootElement.GetProperty("machineLoad");
        Assert.Equal(2, load.GetProperty("logicalCores").GetInt32());
        Assert.Equal(1.0, load.GetProperty("otherLoadCores").GetDouble());
        Assert.Equal(0.05, load.GetProperty("baselineOtherLoadCores").GetDouble());
        Assert.Equal(new[] { "X.Parallel" }, load.GetProperty("lackedCores").EnumerateArray().Select(e => e.GetString()));
        var parallel = json.RootElement.GetProperty("benchmarks").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "X.Parallel");
        Assert.Equal(1.2, parallel.GetProperty("coresUsed").GetDouble());
        Assert.Equal(1.9, parallel.GetProperty("baselineCoresUsed").GetDouble());
        Assert.True(parallel.GetProperty("lackedCores").GetBoolean());
        Assert.Equal(GatePolicy.CoreShortageUndecided, json.RootElement.GetProperty("claims")[0].GetProperty("notChecked").GetString());
        var context = new ReportContext { Result = result, Run = run, Baseline = baseline, Time = Now, ProjectName = "p" };
        Assert.Contains("> **Machine busy (LPG0225):** Other processes took 1.0 of the machine's 2 cores", MarkdownReportWriter.Write(context));
        Assert.Contains("<p class=\"warning\" id=\"core-shortage\">Machine busy (LPG0225): Other processes took 1.0", HtmlReportWriter.Write(context));
        using var schema = JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(Reports.ReportFixture.RepositoryRoot(), "docs", "perf-report.schema.json")));
        var errors = Reports.SchemaValidator.Validate(schema.RootElement, json.RootElement);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
