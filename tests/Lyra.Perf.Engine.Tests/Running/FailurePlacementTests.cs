using System;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Running;
using Lyra.Perf.Engine.Tests.Ingest;

namespace Lyra.Perf.Engine.Tests.Running;

/// <summary>Issue #10 item 6: a benchmark that threw fails the build and every report says so; its LPG0303 names the
/// log to read; diagnostics with no place of their own point at the project, never at the SDK's targets file.</summary>
public sealed class FailurePlacementTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-placement-" + Guid.NewGuid().ToString("N"));

    public FailurePlacementTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ProjectFile => Path.Combine(_dir, "P.csproj");

    /// <summary>A launch folder as RunBenchmarks leaves it: run-1/benchmark-output.log and run-1/results/*-report-full.json.</summary>
    private string Launch(string name, params string[] benchmarks)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.Combine(folder, "results"));
        File.WriteAllText(Path.Combine(folder, "results", "Ns.Type-report-full.json"), BdnJson.Report(benchmarks));
        File.WriteAllText(Path.Combine(folder, BenchmarkLog.FileName), "System.InvalidOperationException: planted failure\n");
        return folder;
    }

    private static double[][] Launches(double level) =>
        Enumerable.Range(0, 3).Select(l => Enumerable.Range(0, 10).Select(i => level * (1 + (0.002 * ((i + l) % 3)))).ToArray()).ToArray();

    private GateRequest Request(string reports, params string[] results) => new()
    {
        ResultsDirectories = results,
        BaselinePath = Path.Combine(_dir, "perf-baseline.json"),
        ProjectDirectory = _dir,
        ProjectName = "P",
        ProjectFile = ProjectFile,
        ReportDirectory = Path.Combine(_dir, reports),
        Now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_benchmark_that_threw_fails_names_its_log_and_every_report_says_failed(bool baselineExists)
    {
        if (baselineExists)
        {
            Assert.False(GateRunner.Gate(Request("first", Launch("base", BdnJson.Benchmark("Fine", Launches(100)), BdnJson.Benchmark("Throws", Launches(100))))).Fails);
        }

        var run = Launch("run-1", BdnJson.Benchmark("Fine", Launches(100)), BdnJson.Benchmark("Throws", Launches(1), failed: true));
        var outcome = GateRunner.Gate(Request("reports", run));

        Assert.True(outcome.Fails);
        var failed = Assert.Single(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BenchmarkFailed);
        Assert.Equal(DiagnosticLevel.Error, failed.Level);
        var log = Path.Combine(run, BenchmarkLog.FileName);
        Assert.Contains(log, failed.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(log));
        Assert.NotNull(failed.File); // no PDB here: the baseline entry or the project, never MSBuild's default (Sdk.targets)

        var reports = Path.Combine(_dir, "reports");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "perf-report.json")));
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        Assert.StartsWith("FAILED", json.RootElement.GetProperty("headline").GetString(), StringComparison.Ordinal);
        Assert.Contains("FAILED", File.ReadAllLines(Path.Combine(reports, "perf-report.md"))[0], StringComparison.Ordinal);
        Assert.Contains("FAILED", outcome.Summary[0], StringComparison.Ordinal);
        Assert.Contains(outcome.Summary, l => l.Contains("Ns.Type.Throws", StringComparison.Ordinal) && l.Contains(log, StringComparison.Ordinal));
    }

    [Fact]
    public void Results_made_elsewhere_name_the_results_file_when_no_log_is_beside_them()
    {
        var folder = Path.Combine(_dir, "elsewhere");
        Directory.CreateDirectory(folder);
        var report = Path.Combine(folder, "Ns.Type-report-full.json");
        File.WriteAllText(report, BdnJson.Report(BdnJson.Benchmark("Throws", Launches(1), failed: true)));

        var outcome = GateRunner.Gate(Request("r", folder));

        var failed = Assert.Single(outcome.Diagnostics, d => d.Code == DiagnosticCodes.BenchmarkFailed);
        Assert.Contains(report, failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("see the benchmark log", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchmarkDotNets_own_log_is_named_when_the_gate_wrote_none()
    {
        var artifacts = Path.Combine(_dir, "BenchmarkDotNet.Artifacts");
        Directory.CreateDirectory(Path.Combine(artifacts, "results"));
        var report = Path.Combine(artifacts, "results", "Ns.Type-report-full.json");
        File.WriteAllText(report, "{}");
        Assert.Null(BenchmarkLog.For(report));
        var own = Path.Combine(artifacts, "BenchmarkRun-20261202-010000.log");
        File.WriteAllText(own, "// exception");
        Assert.Equal(own, BenchmarkLog.For(report));
        Assert.Contains(own, BenchmarkLog.Pointer(report), StringComparison.Ordinal);
    }

    [Fact]
    public void No_results_and_a_failure_while_recording_point_at_the_project()
    {
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var none = GateRunner.Gate(Request("r", empty));
        Assert.Equal(ProjectFile, Assert.Single(none.Diagnostics, d => d.Code == DiagnosticCodes.NoBenchmarks).File);

        var recorded = GateRunner.RecordBaseline(Request("r", Launch("run-1", BdnJson.Benchmark("Fine", Launches(100)), BdnJson.Benchmark("Throws", Launches(1), failed: true))));
        var failed = Assert.Single(recorded.Diagnostics, d => d.Code == DiagnosticCodes.BenchmarkFailed);
        Assert.Equal(ProjectFile, failed.File);
        Assert.All(recorded.Diagnostics, d => Assert.NotNull(d.File));
    }
}
