using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Tests.Ingest;

namespace Lyra.Perf.Engine.Tests.Robustness;

/// <summary>The gate's whole pass (GateRunner, what the task calls) when files cannot be written or are left half-done.</summary>
public sealed class GateFailureTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-failures-" + Guid.NewGuid().ToString("N"));

    public GateFailureTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        foreach (var directory in Directory.EnumerateDirectories(_dir, "*", SearchOption.AllDirectories))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    private string Results(string name, params string[] benchmarks)
    {
        var folder = Path.Combine(_dir, name, "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Ns.Type-report-full.json"), BdnJson.Report(benchmarks));
        return Path.Combine(_dir, name);
    }

    private static double[][] Launches(double level) =>
        Enumerable.Range(0, 3).Select(l => Enumerable.Range(0, 10).Select(i => level * (1 + (0.002 * ((i + l) % 3)))).ToArray()).ToArray();

    private GateRequest Request(string results, string? baseline = null) => new()
    {
        ResultsDirectories = new[] { results },
        BaselinePath = baseline ?? Path.Combine(_dir, "perf-baseline.json"),
        ProjectDirectory = _dir,
        ProjectName = "P",
        Now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero),
    };

    // Repro 3: read-only folder / folder is a file / too-long name -> LPG0310 naming the file, old baseline intact.
    [Fact]
    public void Repro03_a_baseline_whose_folder_is_a_file_is_LPG0310_naming_the_file()
    {
        var notAFolder = Path.Combine(_dir, "file");
        File.WriteAllText(notAFolder, "x");
        var baseline = Path.Combine(notAFolder, "perf-baseline.json");

        var recorded = GateRunner.RecordBaseline(Request(Results("r", BdnJson.Benchmark("A", Launches(100)))) with { BaselinePath = baseline });
        var established = GateRunner.Gate(Request(Results("g", BdnJson.Benchmark("A", Launches(100)))) with { BaselinePath = baseline });

        foreach (var outcome in new[] { recorded, established })
        {
            var error = Assert.Single(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BaselineWriteFailed);
            Assert.Equal((DiagnosticLevel.Error, baseline), (error.Level, error.File));
            Assert.Contains(baseline, error.Message);
        }

        Assert.NotNull(established.Result); // still judged (every benchmark new) and reported
        Assert.Equal("x", File.ReadAllText(notAFolder));
    }

    [Fact]
    public void Repro03_a_300_character_baseline_name_is_LPG0310()
    {
        var baseline = Path.Combine(_dir, new string('b', 300) + ".json");

        var outcome = GateRunner.RecordBaseline(Request(Results("r", BdnJson.Benchmark("A", Launches(100))), baseline));

        var error = Assert.Single(outcome.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal((DiagnosticCodes.BaselineWriteFailed, baseline), (error.Code, error.File));
    }

    [Fact]
    public void Repro03_a_read_only_baseline_folder_is_LPG0310_and_the_old_baseline_stays()
    {
        var folder = Path.Combine(_dir, "ro");
        Directory.CreateDirectory(folder);
        var baseline = Path.Combine(folder, "perf-baseline.json");
        GateRunner.RecordBaseline(Request(Results("first", BdnJson.Benchmark("A", Launches(100))), baseline));
        var before = File.ReadAllText(baseline);
        if (!MakeReadOnly(folder))
        {
            return;
        }

        var outcome = GateRunner.RecordBaseline(Request(Results("second", BdnJson.Benchmark("A", Launches(200))), baseline));

        var error = Assert.Single(outcome.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Equal((DiagnosticCodes.BaselineWriteFailed, baseline), (error.Code, error.File));
        Assert.Equal(before, File.ReadAllText(baseline));
    }

    /// <summary>Makes <paramref name="folder"/> read-only; false where that cannot bind this process (Windows ACLs
    /// aside, root ignores modes): the folder-is-a-file and lock-path tests cover the same paths there.</summary>
    private static bool MakeReadOnly(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            File.WriteAllText(Path.Combine(folder, ".probe"), "");
            File.Delete(Path.Combine(folder, ".probe"));
            return false; // root
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    // Repro 15: every benchmark failed -> no empty baseline, the gate can still establish one later.
    [Fact]
    public void Repro15_PerfBaseline_with_every_benchmark_failed_writes_nothing()
    {
        var outcome = GateRunner.RecordBaseline(Request(Results("r", BdnJson.Benchmark("A", Launches(100), failed: true), BdnJson.Benchmark("B", Launches(50), failed: true))));
        var gate = GateRunner.Gate(Request(Results("g", BdnJson.Benchmark("A", Launches(100), failed: true))));

        Assert.Contains(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BenchmarkFailed && d.Message.Contains("Every benchmark failed"));
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BaselineWritten);
        Assert.DoesNotContain(gate.Diagnostics, d => d.Code == DiagnosticCodes.BaselineEstablished);
        Assert.False(File.Exists(Request("x").BaselinePath));

        var later = GateRunner.Gate(Request(Results("ok", BdnJson.Benchmark("A", Launches(100)))));
        Assert.Contains(later.Diagnostics, d => d.Code == DiagnosticCodes.BaselineEstablished);
    }

    [Fact]
    public void Repro15_an_existing_baseline_is_unchanged_when_every_benchmark_of_a_refresh_fails()
    {
        GateRunner.RecordBaseline(Request(Results("first", BdnJson.Benchmark("A", Launches(100)))));
        var before = File.ReadAllText(Request("x").BaselinePath);

        GateRunner.RecordBaseline(Request(Results("second", BdnJson.Benchmark("A", Launches(100), failed: true))) with { Now = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(before, File.ReadAllText(Request("x").BaselinePath));
    }

    // Repro 4 end to end: a report with an infinite sample never reaches the baseline writer.
    [Fact]
    public void Repro04_recording_from_a_report_with_a_non_finite_sample_is_LPG0302_not_a_crash()
    {
        var results = Results("r", BdnJson.Benchmark("A", Launches(100)));
        var report = Directory.GetFiles(results, "*.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(report, File.ReadAllText(report).Replace("\"Operations\": 1000", "\"Operations\": 1e-320"));

        var outcome = GateRunner.RecordBaseline(Request(results));

        Assert.Contains(outcome.Diagnostics, d => d.Code == DiagnosticCodes.ResultsUnreadable && d.File == report && d.Line > 0);
        Assert.False(File.Exists(Request("x").BaselinePath));
    }

    // Repro 5: what ingest accepts, the baseline reader reads back.
    [Fact]
    public void Repro05_a_recorded_baseline_always_reads_back()
    {
        GateRunner.RecordBaseline(Request(Results("r", BdnJson.Benchmark("A", Launches(100), allocated: 0), BdnJson.Benchmark("B", Launches(1e-9)))));

        var read = BaselineSerializer.Read(Request("x").BaselinePath);

        Assert.Equal(2, read.Benchmarks.Count);
        var next = GateRunner.Gate(Request(Results("g", BdnJson.Benchmark("A", Launches(100), allocated: 0), BdnJson.Benchmark("B", Launches(1e-9)))));
        Assert.DoesNotContain(next.Diagnostics, d => d.Code == DiagnosticCodes.BaselineUnreadable);
    }

    // Repro 2: a bad history line never fails the gate.
    [Fact]
    public void Repro02_a_gate_with_an_unreadable_history_line_still_judges_reports_and_appends()
    {
        var history = Path.Combine(_dir, "reports", "perf-history.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(history)!);
        File.WriteAllText(history, "{\"v\":1,\"time\":\"2026-11-20T00:00:00Z\",\"benchmarks\":[{\"id\":\"\\ud800\"}]}\n");
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)))));

        var outcome = GateRunner.Gate(Request(Results("g", BdnJson.Benchmark("A", Launches(100)))) with { HistoryFile = history, ReportDirectory = Path.Combine(_dir, "reports") });

        Assert.NotNull(outcome.Result);
        var warning = Assert.Single(outcome.Diagnostics, d => d.Code == DiagnosticCodes.HistoryUnreadable);
        Assert.Equal((history, 1), (warning.File, warning.Line));
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Level == DiagnosticLevel.Error);
        Assert.Single(HistoryStore.Read(history).Records); // this run was appended
        Assert.True(File.Exists(Path.Combine(_dir, "reports", "perf-report.html")));
    }

    // Repro 8: no stall blaming a lock when the lock can never be taken.
    [Fact]
    public void Repro08_a_history_whose_lock_cannot_be_created_fails_fast_with_LPG0307()
    {
        var reports = Path.Combine(_dir, "reports");
        var history = Path.Combine(reports, "perf-history.jsonl");
        Directory.CreateDirectory(reports);
        Directory.CreateDirectory(history + ".lock"); // the lock path is taken by a folder: no waiting cures that
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)))));

        var watch = Stopwatch.StartNew();
        var outcome = GateRunner.Gate(Request(Results("g", BdnJson.Benchmark("A", Launches(100)))) with { HistoryFile = history, ReportDirectory = reports });
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"{watch.Elapsed.TotalSeconds:0.0} s"); // was 61-73 s
        var warning = Assert.Single(outcome.Diagnostics, d => d.Code == DiagnosticCodes.ReportWriteFailed);
        Assert.Equal(DiagnosticLevel.Warning, warning.Level);
        Assert.Contains(history, warning.Message);
        Assert.DoesNotContain("another build", warning.Message);
    }

    [Fact]
    public void Repro08_a_read_only_history_folder_fails_fast_with_LPG0307()
    {
        var reports = Path.Combine(_dir, "reports");
        var history = Path.Combine(reports, "perf-history.jsonl");
        Directory.CreateDirectory(reports);
        File.WriteAllText(history, HistoryStore.Serialize(new HistoryRecord { Time = DateTimeOffset.UtcNow }) + "\n");
        if (!MakeReadOnly(reports))
        {
            return;
        }

        var watch = Stopwatch.StartNew();

        var error = Assert.ThrowsAny<Exception>(() => HistoryStore.Append(history, new HistoryRecord { Time = DateTimeOffset.UtcNow }, 1000));
        var read = HistoryStore.Read(history);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"{watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(error is UnauthorizedAccessException or IOException, error.ToString());
        Assert.Single(read.Records);
    }

    // Repro 13: temp files left by killed writes are removed by the next run; a live writer's are not.
    [Fact]
    public void Repro13_abandoned_temp_files_are_removed_by_the_next_gate()
    {
        GateRunner.Gate(Request(Results("base", BdnJson.Benchmark("A", Launches(100)))));
        var baseline = Request("x").BaselinePath;
        var history = Path.Combine(_dir, "perf-history.jsonl");
        var oldFormat = Path.Combine(_dir, ".perf-baseline.json.1a2b3c4d.tmp");
        var deadWriter = Path.Combine(_dir, $".perf-baseline.json.{DeadProcessId()}.5e6f7a8b.tmp");
        var liveWriter = Path.Combine(_dir, $".perf-baseline.json.{Environment.ProcessId}.9c0d1e2f.tmp");
        var historyTemp = Path.Combine(_dir, $".perf-history.jsonl.{DeadProcessId()}.01234567.tmp");
        var unrelated = Path.Combine(_dir, ".other.json.1a2b3c4d.tmp");
        foreach (var file in new[] { oldFormat, deadWriter, liveWriter, historyTemp, unrelated })
        {
            File.WriteAllText(file, "{ half a baseline");
        }

        GateRunner.Gate(Request(Results("g", BdnJson.Benchmark("A", Launches(100)))) with { HistoryFile = history });

        Assert.False(File.Exists(oldFormat));
        Assert.False(File.Exists(deadWriter));
        Assert.False(File.Exists(historyTemp));
        Assert.True(File.Exists(liveWriter)); // this process may still be writing it
        Assert.True(File.Exists(unrelated));
        Assert.NotNull(BaselineSerializer.Read(baseline));
    }

    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
