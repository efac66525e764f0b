using System;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

/// <summary>LPG0226: a run measured while other processes kept the machine busy is judged relative to the suite
/// against a stored baseline, so unchanged code that the load slowed unevenly does not fail, while a benchmark that
/// moved clearly more than the rest still does.</summary>
public class BusyMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    private static readonly RunEnvironment TwoCores = new() { Os = "Linux", Cpu = "CPU X", LogicalCores = 2, Runtime = ".NET 10" };

    /// <summary>How the loaded runs of 2026-12-02 moved unchanged single-threaded benchmarks: most within ±20 %, two
    /// allocating ones +43 … +44 %.</summary>
    private static readonly double[] LoadedFactors = { 0.86, 0.93, 0.97, 1.0, 1.02, 1.05, 1.08, 1.12, 1.18, 1.44, 1.43 };

    private static BenchmarkMeasurement With(BenchmarkMeasurement m, double? other) =>
        m with { Launches = m.Launches.Select(l => l with { CoresUsed = 1.0, OtherLoadCores = other }).ToList() };

    private static GateResult Gate(double? otherLoad, double? baselineOther = 0.04, double injected = 1, GateOptions? options = null)
    {
        var before = LoadedFactors.Select((_, i) => With(Measure($"X.B{i}", 1000 * (i + 1), 5, 100 + i, launchSpread: 0.02, iterationSpread: 0.01), baselineOther)).ToArray();
        var after = LoadedFactors.Select((f, i) => With(Scaled(Measure($"X.B{i}", 1000 * (i + 1), 5, 200 + i, launchSpread: 0.02, iterationSpread: 0.01), i == 0 ? f * injected : f), otherLoad)).ToArray();
        var baseline = BaselineOf(before) with { Environment = TwoCores };
        var run = RunOf(after) with { Environment = TwoCores };
        return new Gate().Evaluate(baseline, "perf-baseline.json", run, options ?? new GateOptions(), Now);
    }

    private static int Errors(GateResult result) => result.Diagnostics.Count(d => d.Code == DiagnosticCodes.TimeRegression && d.Level == DiagnosticLevel.Error);

    [Fact]
    public void Unevenly_slowed_unchanged_code_on_a_busy_machine_passes_with_LPG0226()
    {
        var result = Gate(otherLoad: 1.0);

        Assert.Equal(0, Errors(result));
        Assert.False(result.Decision.Fails);
        var busy = result.Diagnostics.Single(d => d.Code == DiagnosticCodes.MachineBusy);
        Assert.Equal(DiagnosticLevel.Warning, busy.Level);
        Assert.StartsWith("Busy machine: other processes kept 1.0 of the machine's 2 cores busy during this run (0.04 while the baseline was recorded)", busy.Message);
        var held = result.Verdicts.Where(v => v.Outcome == Outcome.Regressed && v.Severity >= Severity.Major).ToList();
        Assert.NotEmpty(held);
        Assert.All(held, v => Assert.Equal(BusyMachine.Undecided, v.Undecided));
        Assert.All(held, v => Assert.Contains("the busy machine (LPG0226", v.Decision.Why));
    }

    [Fact]
    public void The_same_slowdowns_on_a_quiet_machine_still_fail()
    {
        var result = Gate(otherLoad: 0.05);

        Assert.True(Errors(result) >= 1, string.Join("\n", result.Diagnostics.Select(d => d.Message)));
        Assert.True(result.Decision.Fails);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.MachineBusy);
    }

    [Fact]
    public void Without_the_figure_the_run_is_judged_as_before()
    {
        var result = Gate(otherLoad: null, baselineOther: null);

        Assert.True(Errors(result) >= 1);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.MachineBusy);
    }

    [Fact]
    public void A_baseline_recorded_under_the_same_load_is_not_a_busy_machine()
    {
        var result = Gate(otherLoad: 1.0, baselineOther: 0.9);

        Assert.True(Errors(result) >= 1);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.MachineBusy);
    }

    [Fact]
    public void Strict_environment_judges_the_busy_run_anyway()
    {
        var result = Gate(otherLoad: 1.0, options: new GateOptions { StrictEnvironment = true });

        Assert.True(Errors(result) >= 1);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.MachineBusy);
    }

    [Fact]
    public void A_benchmark_that_moved_far_beyond_the_suite_still_fails_on_a_busy_machine()
    {
        // The sample's injected regression: CacheHit ×28 on the loaded machine.
        var result = Gate(otherLoad: 1.0, injected: 28);

        var injected = result.Verdicts.Single(v => v.Id == "X.B0");
        Assert.True(injected.FailsBuild, injected.Decision.Why);
        Assert.True(injected.Time!.RelativeToMachineShift);
        Assert.True(result.Decision.Fails);
        Assert.Equal(1, Errors(result));
    }

    [Fact]
    public void The_busy_machine_is_named_as_the_cause_not_a_suite_wide_machine_state_shift()
    {
        var beyond = Gate(otherLoad: 1.0, injected: 28);

        // The relative judgement's basis, and the LPG0101 message that quotes it, name the busy machine.
        var injected = beyond.Verdicts.Single(v => v.Id == "X.B0").Time!;
        Assert.Contains("busy machine (LPG0226)", injected.Basis);
        Assert.DoesNotContain("machine-state shift", injected.Basis);
        var message = beyond.Diagnostics.Single(d => d.Code == DiagnosticCodes.TimeRegression && d.BenchmarkId == "X.B0").Message;
        Assert.Contains("on the ratio to the suite's", message);
        Assert.DoesNotContain("machine-state shift", message);
        Assert.DoesNotContain("LPG0107", message);

        // What it held back names the same cause.
        var held = Gate(otherLoad: 1.0).Verdicts.Where(v => v.Time?.ExplainedBy is not null).ToList();
        Assert.NotEmpty(held);
        Assert.All(held, v => Assert.Equal(DiagnosticCodes.MachineBusy, v.Time!.ExplainedBy!.Code));
        Assert.All(held.Where(v => v.Undecided is not null), v => Assert.DoesNotContain("LPG0107", v.Decision.Why));
    }
}
