using System;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Tests.Ingest;

namespace Lyra.Perf.Engine.Tests.Running;

/// <summary>The whole engine pass the MSBuild task makes: ingest → baseline → judge → report.</summary>
public sealed class GateRunnerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-runner-" + Guid.NewGuid().ToString("N"));

    public GateRunnerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Results(string name, params string[] benchmarks)
    {
        var folder = Path.Combine(_dir, name, "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Ns.Type-report-full.json"), BdnJson.Report(benchmarks));
        return Path.Combine(_dir, name);
    }

    private static double[][] Launches(double level, int count = 3) =>
        Enumerable.Range(0, count).Select(l => Enumerable.Range(0, 10).Select(i => level * (1 + (0.002 * ((i + l) % 3)))).ToArray()).ToArray();

    private GateRequest Request(params string[] results) => new()
    {
        ResultsDirectories = results,
        BaselinePath = Path.Combine(_dir, "perf-baseline.json"),
        ProjectDirectory = _dir,
        ProjectName = "P",
        Now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void The_first_run_establishes_the_baseline_and_warns_to_commit_it()
    {
        var outcome = GateRunner.Gate(Request(Results("r", BdnJson.Benchmark("A", Launches(100)), BdnJson.Benchmark("B", Launches(50)))));

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Level != DiagnosticLevel.Message);
        Assert.Equal(DiagnosticCodes.BaselineEstablished, diagnostic.Code);
        Assert.All(outcome.Result!.Verdicts, v => Assert.Equal(Lyra.Perf.Engine.Judging.Outcome.New, v.Outcome));
        Assert.Equal(DiagnosticLevel.Warning, diagnostic.Level);
        Assert.Contains("Commit this file", diagnostic.Message);
        Assert.Equal(new[] { "Ns.Type.A", "Ns.Type.B" }, BaselineSerializer.Read(Request().BaselinePath).Benchmarks.Keys);
    }

    [Fact]
    public void A_required_baseline_that_is_missing_fails_writes_nothing_and_the_reports_say_failed()
    {
        var reports = Path.Combine(_dir, "required-reports");
        var outcome = GateRunner.Gate(Request(Results("r", BdnJson.Benchmark("A", Launches(100)))) with { RequireBaseline = true, ReportDirectory = reports });

        var diagnostic = Assert.Single(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BaselineEstablished);
        Assert.Equal(DiagnosticLevel.Error, diagnostic.Level);
        Assert.Contains("-t:PerfBaseline", diagnostic.Message);
        Assert.Contains("commit", diagnostic.Message);
        Assert.True(outcome.Fails);
        Assert.False(File.Exists(Request().BaselinePath));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "perf-report.json")));
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        Assert.Contains(json.RootElement.GetProperty("why").EnumerateArray(), w => w.GetString()!.Contains(DiagnosticCodes.BaselineEstablished, StringComparison.Ordinal));
    }

    [Fact]
    public void A_required_baseline_that_exists_gates_as_usual()
    {
        var results = Results("r", BdnJson.Benchmark("A", Launches(100)));
        Assert.False(GateRunner.Gate(Request(results)).Fails); // Establishes it.
        var outcome = GateRunner.Gate(Request(results) with { RequireBaseline = true });
        Assert.False(outcome.Fails);
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BaselineEstablished);
    }

    [Fact]
    public void The_first_run_still_checks_claims_and_writes_reports()
    {
        var reports = Path.Combine(_dir, "first-reports");
        var claim = new PerfClaim("Type.A", "Type.B") { Faster = 3 };

        var outcome = GateRunner.Gate(Request(Results("r", BdnJson.Benchmark("A", Launches(100)), BdnJson.Benchmark("B", Launches(150))))
            with { ReportDirectory = reports, Options = new GateOptions { Claims = new[] { claim } } });

        Assert.Contains(outcome.Diagnostics, d => d.Code == DiagnosticCodes.ClaimNotMet && d.Level == DiagnosticLevel.Error);
        Assert.True(File.Exists(Path.Combine(reports, "perf-report.html")));
        Assert.True(File.Exists(Request().BaselinePath));
    }

    [Fact]
    public void A_clear_slowdown_fails_and_an_unchanged_run_passes()
    {
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)), BdnJson.Benchmark("B", Launches(50)))));

        var same = GateRunner.Gate(Request(Results("same", BdnJson.Benchmark("A", Launches(100.1)), BdnJson.Benchmark("B", Launches(50)))));
        var slow = GateRunner.Gate(Request(Results("slow", BdnJson.Benchmark("A", Launches(180)), BdnJson.Benchmark("B", Launches(50)))));

        Assert.DoesNotContain(same.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        var error = Assert.Single(slow.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal(DiagnosticCodes.TimeRegression, error.Code);
        Assert.Contains("Ns.Type.A", error.Message);
        Assert.Contains("Critical", error.Message);
        Assert.Equal(Request().BaselinePath, error.File); // no PDB: the baseline entry
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void With_the_gate_disabled_a_regression_is_reported_but_never_warns_or_fails()
    {
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)))));

        var outcome = GateRunner.Gate(Request(Results("slow", BdnJson.Benchmark("A", Launches(180)))) with { Options = new GateOptions { Enabled = false } });

        Assert.Contains(outcome.Diagnostics, d => d.Code == DiagnosticCodes.TimeRegression && d.Level == DiagnosticLevel.Message);
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Level != DiagnosticLevel.Message);
        Assert.Contains(outcome.Result!.Verdicts, v => v.Outcome == Lyra.Perf.Engine.Judging.Outcome.Regressed);
    }

    [Fact]
    public void The_preliminary_pass_names_what_to_confirm_and_logs_nothing_yet()
    {
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)), BdnJson.Benchmark("B", Launches(50)))));

        var outcome = GateRunner.Gate(Request(Results("slow", BdnJson.Benchmark("A", Launches(180)), BdnJson.Benchmark("B", Launches(50)))) with { Preliminary = true });

        Assert.Equal(new[] { "Ns.Type.A" }, outcome.ToConfirm);
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Level == DiagnosticLevel.Error);
    }

    [Fact]
    public void Confirmation_re_runs_only_the_flagged_parameter_values()
    {
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100), parameters: "N=16"), BdnJson.Benchmark("A", Launches(900), parameters: "N=64"))));

        var outcome = GateRunner.Gate(Request(Results("slow", BdnJson.Benchmark("A", Launches(180), parameters: "N=16"))) with { Preliminary = true, Options = new GateOptions { Filter = "*A(N: 16)" } });

        Assert.Equal(new[] { "Ns.Type.A(N: 16)" }, outcome.ToConfirm);
    }

    [Fact]
    public void Recording_with_a_filter_replaces_only_the_selected_benchmarks()
    {
        GateRunner.RecordBaseline(Request(Results("base", BdnJson.Benchmark("A", Launches(100)), BdnJson.Benchmark("B", Launches(50)))));

        var outcome = GateRunner.RecordBaseline(Request(Results("again", BdnJson.Benchmark("A", Launches(70)))) with { Options = new GateOptions { Filter = "*.A" } });

        Assert.Equal(DiagnosticCodes.BaselineWritten, Assert.Single(outcome.Diagnostics).Code);
        var baseline = BaselineSerializer.Read(Request().BaselinePath);
        Assert.Equal(70, baseline.Benchmarks["Ns.Type.A"].Measurement.TypicalNanoseconds!.Value, 0);
        Assert.Equal(50, baseline.Benchmarks["Ns.Type.B"].Measurement.TypicalNanoseconds!.Value, 0);
    }

    [Fact]
    public void A_baseline_keeping_several_runs_adds_each_recording_and_drops_the_oldest()
    {
        var start = Request().Now;
        GateRunner.RecordBaseline(Request(Results("r0", BdnJson.Benchmark("A", Launches(100)), BdnJson.Benchmark("B", Launches(50)))));
        for (var k = 1; k <= 3; k++)
        {
            var outcome = GateRunner.RecordBaseline(Request(Results("r" + k, BdnJson.Benchmark("A", Launches(100 + k)))) with
            {
                BaselineRuns = 3,
                Now = start.AddHours(k),
                Options = new GateOptions { Filter = "*.A" },
            });
            Assert.Contains("PerfGateBaselineRuns=3", Assert.Single(outcome.Diagnostics).Message);
        }

        var baseline = BaselineSerializer.Read(Request().BaselinePath);
        var a = baseline.Benchmarks["Ns.Type.A"].Measurement;
        Assert.Equal(new[] { "2026-11-27T13:00:00Z", "2026-11-27T14:00:00Z", "2026-11-27T15:00:00Z" }, a.Launches.Select(l => l.Session).Distinct());
        Assert.Equal(9, a.Launches.Count);
        Assert.Equal(101, a.Launches[0].Samples.Min(), 6); // the first recording (100) was the oldest of four runs
        Assert.All(baseline.Benchmarks["Ns.Type.B"].Measurement.Launches, l => Assert.Null(l.Session)); // not selected: untouched

        // Back to one run: the next recording replaces the launches and the file loses its run stamps.
        GateRunner.RecordBaseline(Request(Results("r4", BdnJson.Benchmark("A", Launches(90)))) with { Options = new GateOptions { Filter = "*.A" } });
        var replaced = BaselineSerializer.Read(Request().BaselinePath).Benchmarks["Ns.Type.A"].Measurement;
        Assert.Equal(3, replaced.Launches.Count);
        Assert.All(replaced.Launches, l => Assert.Null(l.Session));
    }

    [Fact]
    public void The_first_runs_launches_join_under_the_baselines_own_time()
    {
        GateRunner.RecordBaseline(Request(Results("r0", BdnJson.Benchmark("A", Launches(100)))));
        GateRunner.RecordBaseline(Request(Results("r1", BdnJson.Benchmark("A", Launches(104)))) with { BaselineRuns = 2, Now = Request().Now.AddDays(1) });

        var a = BaselineSerializer.Read(Request().BaselinePath).Benchmarks["Ns.Type.A"].Measurement;
        Assert.Equal(new[] { "2026-11-27T12:00:00Z", "2026-11-28T12:00:00Z" }, a.Launches.Select(l => l.Session).Distinct());
        Assert.Equal(6, a.Launches.Count);
    }

    [Fact]
    public void The_same_results_recorded_again_are_not_a_second_run()
    {
        var results = Results("r0", BdnJson.Benchmark("A", Launches(100.123456789)));
        GateRunner.RecordBaseline(Request(results) with { BaselineRuns = 3 });
        var outcome = GateRunner.RecordBaseline(Request(results) with { BaselineRuns = 3, Now = Request().Now.AddDays(1) });

        Assert.Contains("3 launch(es) were already in the baseline", Assert.Single(outcome.Diagnostics).Message);
        var a = BaselineSerializer.Read(Request().BaselinePath).Benchmarks["Ns.Type.A"].Measurement;
        Assert.Equal(3, a.Launches.Count);
        Assert.Equal(new[] { "2026-11-27T12:00:00Z" }, a.Launches.Select(l => l.Session).Distinct());
    }

    [Fact]
    public void Runs_from_another_environment_are_replaced_not_joined_with_LPG0205()
    {
        GateRunner.RecordBaseline(Request(Results("r0", BdnJson.Benchmark("A", Launches(100)))));
        File.WriteAllText(Request().BaselinePath, File.ReadAllText(Request().BaselinePath).Replace("CPU X", "CPU Elsewhere"));

        var outcome = GateRunner.RecordBaseline(Request(Results("r1", BdnJson.Benchmark("A", Launches(104)))) with { BaselineRuns = 3, Now = Request().Now.AddDays(1) });

        var warning = Assert.Single(outcome.Diagnostics, d => d.Level == DiagnosticLevel.Warning);
        Assert.Equal(DiagnosticCodes.EnvironmentDiffers, warning.Code);
        Assert.Contains("replaces them", warning.Message);
        var a = BaselineSerializer.Read(Request().BaselinePath).Benchmarks["Ns.Type.A"].Measurement;
        Assert.Equal(3, a.Launches.Count);
        Assert.Equal(104, a.Launches[0].Samples.Min(), 6);
    }

    [Fact]
    public void A_failed_benchmark_is_LPG0303_and_is_not_recorded()
    {
        var outcome = GateRunner.RecordBaseline(Request(Results("r", BdnJson.Benchmark("A", Launches(100)), BdnJson.Benchmark("Bad", Launches(1), failed: true))));

        Assert.Contains(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BenchmarkFailed && d.Message.Contains("Ns.Type.Bad"));
        Assert.Equal(new[] { "Ns.Type.A" }, BaselineSerializer.Read(Request().BaselinePath).Benchmarks.Keys);
    }

    [Fact]
    public void An_unreadable_baseline_is_never_overwritten()
    {
        File.WriteAllText(Request().BaselinePath, "{ \"schemaVersion\": 1, \"benchmarks\": ");
        var before = File.ReadAllBytes(Request().BaselinePath);
        var results = Results("r", BdnJson.Benchmark("A", Launches(100)));

        Assert.Equal(DiagnosticCodes.BaselineUnreadable, Assert.Throws<GateException>(() => GateRunner.Gate(Request(results))).Diagnostic.Code);
        Assert.Throws<GateException>(() => GateRunner.RecordBaseline(Request(results)));
        Assert.Equal(before, File.ReadAllBytes(Request().BaselinePath));
    }

    [Fact]
    public void No_results_is_LPG0305_with_the_fix()
    {
        var outcome = GateRunner.Gate(Request(Path.Combine(_dir, "nothing")));

        var error = Assert.Single(outcome.Diagnostics);
        Assert.Equal(DiagnosticCodes.NoBenchmarks, error.Code);
        Assert.Contains("BenchmarkSwitcher", error.Message);
        Assert.False(File.Exists(Request().BaselinePath));
    }

    [Fact]
    public void A_gate_run_writes_reports_and_one_history_record_and_a_report_rerender_adds_none()
    {
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)))));
        var reports = Path.Combine(_dir, "reports");
        var history = Path.Combine(_dir, "history.jsonl");
        var request = Request(Results("run", BdnJson.Benchmark("A", Launches(100)))) with { ReportDirectory = reports, HistoryFile = history };

        var outcome = GateRunner.Gate(request);
        GateRunner.Gate(request with { AppendHistory = false });

        foreach (var file in new[] { "perf-report.json", "perf-report.md", "perf-report.html", "perf-report.sarif" })
        {
            Assert.True(File.Exists(Path.Combine(reports, file)), file);
        }

        Assert.Single(File.ReadAllLines(history), l => l.Trim().Length > 0);
        Assert.Contains(outcome.Summary, l => l.Contains("1 benchmark"));
    }

    [Fact]
    public void A_gate_reads_only_the_history_window_of_its_project_and_appends_one_line()
    {
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)))));
        var history = Path.Combine(_dir, "history.jsonl");
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        HistoryRecord Past(int i, string project) => new()
        {
            Time = start.AddHours(i),
            Commit = "c" + i,
            Project = project,
            Benchmarks = new[] { new HistoryBenchmark("Ns.Type.A") { TypicalNanoseconds = 100 } },
        };

        // An unreadable line before the window (never read), the runs of another project sharing the file in between.
        var lines = new[] { "{\"v\":1,\"ti" }
            .Concat(Enumerable.Range(0, HistoryWindow.Runs + 50).SelectMany(i => new[] { HistoryStore.Serialize(Past(i, "P")), HistoryStore.Serialize(Past(i, "Other")) }));
        File.WriteAllText(history, string.Join("\n", lines) + "\n");
        var before = File.ReadAllLines(history).Length;
        var reports = Path.Combine(_dir, "reports");

        var outcome = GateRunner.Gate(Request(Results("run", BdnJson.Benchmark("A", Launches(100)))) with { HistoryFile = history, ReportDirectory = reports });

        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == DiagnosticCodes.HistoryUnreadable);
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "perf-report.json")));
        Assert.Equal(HistoryWindow.Runs + 1, report.RootElement.GetProperty("historyRuns").GetInt32()); // the window and this run
        Assert.Equal(before + 1, File.ReadAllLines(history).Length);
        Assert.Equal("P", HistoryStore.ReadRecent(history, 1).Records.Single().Project);
    }

    [Fact]
    public void Histories_of_several_shards_concatenated_in_any_order_still_show_a_drift()
    {
        // Baseline at 103; ten runs climb from 100 to 105.4: none crosses the threshold, together they drift 5.4 %.
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(103)))));
        var history = Path.Combine(_dir, "history.jsonl");
        GateOutcome Run(int i) => GateRunner.Gate(Request(Results("run" + i, BdnJson.Benchmark("A", Launches(100 * (1 + (0.006 * i)))))) with
        {
            HistoryFile = history,
            Now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero).AddHours(i),
        });

        for (var i = 0; i < 9; i++)
        {
            Assert.DoesNotContain(Run(i).Diagnostics, d => d.Code == DiagnosticCodes.TimeRegression);
        }

        // Two shards' files appended one after the other: the later runs come first in the file.
        var lines = File.ReadAllLines(history).Where(l => l.Trim().Length > 0).ToList();
        File.WriteAllLines(history, lines.Skip(5).Concat(lines.Take(5)));

        var drift = Assert.Single(Run(9).Diagnostics, d => d.Code == DiagnosticCodes.SlowDrift);
        Assert.Contains("Ns.Type.A has drifted", drift.Message);
    }
}
