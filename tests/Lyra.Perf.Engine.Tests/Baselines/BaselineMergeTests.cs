using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Baselines;

/// <summary>Recording runs into a baseline and drift over the history, as pure functions: no files.</summary>
public class BaselineMergeTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static Baseline Record(Baseline? existing, RunResult run, DateTimeOffset now, int keepRuns, List<GateDiagnostic>? diagnostics = null) =>
        BaselineMerge.Merge(existing, run, _ => true, keepRuns, now, "tool", "abc", "b.json", diagnostics ?? new List<GateDiagnostic>(), out _);

    private static RunResult Run(double level) => RunOf(Raw("a", new[] { level, level + 1 }, new[] { level + 2, level + 3 }));

    [Fact]
    public void One_run_kept_replaces_the_launches()
    {
        var first = Record(null, Run(100), Day1, 1);
        var second = Record(first, Run(200), Day1.AddDays(1), 1);
        Assert.Equal(new[] { 200.0, 201 }, second.Benchmarks["a"].Measurement.Launches[0].Samples);
        Assert.Equal(2, second.Benchmarks["a"].Measurement.Launches.Count);
        Assert.Equal("abc", second.Commit);
    }

    [Fact]
    public void N_runs_kept_joins_runs_and_prunes_to_the_newest_N()
    {
        var baseline = Record(null, Run(100), Day1, 2);
        baseline = Record(baseline, Run(200), Day1.AddDays(1), 2);
        Assert.Equal(4, baseline.Benchmarks["a"].Measurement.Launches.Count);
        baseline = Record(baseline, Run(300), Day1.AddDays(2), 2);
        var launches = baseline.Benchmarks["a"].Measurement.Launches;
        Assert.Equal(4, launches.Count);
        Assert.Equal(new[] { 200.0, 202, 300, 302 }, launches.Select(l => l.Samples[0]).OrderBy(v => v));
        Assert.Equal(2, launches.Select(l => l.Session).Distinct().Count());
    }

    [Fact]
    public void The_same_results_recorded_again_are_not_a_second_run()
    {
        var baseline = Record(null, Run(100), Day1, 3);
        var again = BaselineMerge.Merge(baseline, Run(100), _ => true, 3, Day1.AddDays(1), "tool", null, "b.json", new List<GateDiagnostic>(), out var repeated);
        Assert.Equal(2, repeated);
        Assert.Equal(2, again.Benchmarks["a"].Measurement.Launches.Count);
    }

    [Fact]
    public void Another_environment_replaces_instead_of_joining_and_says_so()
    {
        var baseline = Record(null, Run(100), Day1, 3) with { Environment = new RunEnvironment { LogicalCores = 2 } };
        var diagnostics = new List<GateDiagnostic>();
        var next = Record(baseline, Run(200) with { Environment = new RunEnvironment { LogicalCores = 8 } }, Day1.AddDays(1), 3, diagnostics);
        Assert.Equal(2, next.Benchmarks["a"].Measurement.Launches.Count);
        Assert.Equal(DiagnosticCodes.EnvironmentDiffers, Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Unselected_benchmarks_and_failed_ones_keep_their_entries()
    {
        var baseline = Record(null, RunOf(Raw("a", new[] { 1.0, 2 }), Raw("b", new[] { 3.0, 4 })), Day1, 1);
        var failed = RunOf(Raw("b", new[] { 9.0 }) with { Failure = "threw" });
        var diagnostics = new List<GateDiagnostic>();
        var next = BaselineMerge.Merge(baseline, failed, id => id == "b", 1, Day1.AddDays(1), "tool", null, "b.json", diagnostics, out _);
        Assert.Equal(new[] { "a", "b" }, next.Benchmarks.Keys);
        Assert.Equal(new[] { 3.0, 4 }, next.Benchmarks["b"].Measurement.Launches[0].Samples);
        Assert.Equal(DiagnosticCodes.BenchmarkFailed, Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void A_filtered_recording_keeps_the_jobs_of_the_entries_it_keeps_so_the_whole_suite_is_the_same_environment()
    {
        var machine = new RunEnvironment { Os = "Linux", LogicalCores = 2 };
        var both = RunOf(Raw("a", new[] { 1.0, 2 }), Raw("b", new[] { 3.0, 4 })) with { Environment = machine with { Job = "Gate | Server=True, Gate" } };
        var baseline = Record(null, both, Day1, 1);

        // Re-recording only "b" (its class runs the gate's job) keeps "a" and its server-GC job.
        var onlyB = RunOf(Raw("b", new[] { 5.0, 6 })) with { Environment = machine with { Job = "Gate" } };
        var next = BaselineMerge.Merge(baseline, onlyB, id => id == "b", 1, Day1.AddDays(1), "tool", null, "b.json", new List<GateDiagnostic>(), out _);
        Assert.Equal("Gate | Server=True, Gate", next.Environment.Job);
        Assert.Empty(next.Environment.Differences(both.Environment));

        // A recording of everything, or on another machine, takes the run's fingerprint as it is.
        Assert.Equal("Gate", Record(baseline, onlyB, Day1.AddDays(1), 1).Environment.Job);
        var elsewhere = onlyB with { Environment = onlyB.Environment with { LogicalCores = 8 } };
        Assert.Equal("Gate", BaselineMerge.Merge(baseline, elsewhere, id => id == "b", 1, Day1.AddDays(1), "tool", null, "b.json", new List<GateDiagnostic>(), out _).Environment.Job);
    }

    [Fact]
    public void History_drift_is_found_in_one_pass_and_skips_regressions()
    {
        var history = Enumerable.Range(0, 12).Select(i => new HistoryRecord
        {
            Time = Day1.AddDays(i),
            Benchmarks = new[] { new HistoryBenchmark("a") { TypicalNanoseconds = 100 * (1 + 0.01 * i) }, new HistoryBenchmark("b") { TypicalNanoseconds = 100 } },
        }).ToList();
        var run = RunOf(Raw("a", new[] { 112.0, 112, 112 }), Raw("b", new[] { 100.0, 100, 100 }));
        var found = HistoryDrift.Diagnose(history, run, Array.Empty<BenchmarkVerdict>(), _ => 0.05, "b.json");
        var drift = Assert.Single(found);
        Assert.Equal("a", drift.BenchmarkId);
        Assert.Equal(DiagnosticCodes.SlowDrift, drift.Code);
        Assert.Empty(HistoryDrift.Diagnose(history, run, new[] { new BenchmarkVerdict("a", Outcome.Regressed) }, _ => 0.05, "b.json"));
    }
}
