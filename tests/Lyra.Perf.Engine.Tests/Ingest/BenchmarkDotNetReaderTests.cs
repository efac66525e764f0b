using System;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Running;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Tests.Ingest;

public sealed class BenchmarkDotNetReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-ingest-" + Guid.NewGuid().ToString("N"));

    public BenchmarkDotNetReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BenchmarkDotNetReader.ParsedReport Read(string json) => BenchmarkDotNetReader.ReadReport(Encoding.UTF8.GetBytes(json), "r.json");

    [Fact]
    public void Reads_a_real_report_with_per_iteration_samples_allocations_and_environment()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "NoiseSuite.StringBenchmarks-report-full.json");

        var report = BenchmarkDotNetReader.ReadReport(File.ReadAllBytes(path), path);

        Assert.Equal(6, report.Benchmarks.Count);
        var append = report.Benchmarks.Single(b => b.Id == "NoiseSuite.StringBenchmarks.StringBuilderAppend");
        Assert.Equal("NoiseSuite", append.Namespace);
        Assert.Equal("StringBenchmarks", append.Type);
        Assert.Single(append.Launches);
        Assert.Equal(15, append.Launches[0].Samples.Count); // Workload/Result: what BenchmarkDotNet's statistics use
        Assert.InRange(append.AllocatedBytesPerOperation!.Value, 50, 70);
        Assert.Equal("0.15.8", report.Environment.BenchmarkDotNetVersion);
        Assert.Equal(2, report.Environment.LogicalCores);
        Assert.DoesNotContain("Job-", report.Environment.Job); // the random job id is not part of the fingerprint
        Assert.Contains("IterationCount=15", report.Environment.Job);
    }

    [Fact]
    public void Samples_are_nanoseconds_per_operation_grouped_by_launch_and_warmups_are_ignored()
    {
        var report = Read(BdnJson.Report(BdnJson.Benchmark("M", new[] { new[] { 10.0, 11, 12 }, new[] { 20.0, 21 } })));

        var launches = report.Benchmarks.Single().Launches;
        Assert.Equal(new[] { 10.0, 11, 12 }, launches[0].Samples);
        Assert.Equal(new[] { 20.0, 21 }, launches[1].Samples);
        Assert.Equal(0.5, launches[0].Gen0PerThousandOps); // 2 collections over 4000 operations
        Assert.Equal(15.75, report.Benchmarks.Single().TypicalNanoseconds); // median of launch medians (11, 20.5)
    }

    [Fact]
    public void A_benchmark_with_null_statistics_is_failed_not_dropped()
    {
        var report = Read(BdnJson.Report(BdnJson.Benchmark("Good", new[] { new[] { 1.0, 2 } }), BdnJson.Benchmark("Bad", new[] { new[] { 1.0 } }, failed: true)));

        Assert.False(report.Benchmarks.Single(b => b.Method == "Good").Failed);
        Assert.Contains("Statistics", report.Benchmarks.Single(b => b.Method == "Bad").Failure);
    }

    [Fact]
    public void The_same_full_name_under_two_jobs_is_keyed_by_job_settings_never_merged()
    {
        var report = Read(BdnJson.Report(
            BdnJson.Benchmark("M", new[] { new[] { 1.0 } }, job: "Job-QWERTY(IterationCount=5)"),
            BdnJson.Benchmark("M", new[] { new[] { 2.0 } }, job: "ShortRun(IterationCount=3, LaunchCount=1)")));

        Assert.Equal(new[] { "Ns.Type.M [IterationCount=5]", "Ns.Type.M [IterationCount=3, LaunchCount=1]" }, report.Benchmarks.Select(b => b.Id));
    }

    [Fact]
    public void Parameters_are_part_of_the_id()
    {
        var report = Read(BdnJson.Report(BdnJson.Benchmark("M", new[] { new[] { 1.0 } }, parameters: "N=1024")));

        Assert.Equal("Ns.Type.M(N: 1024)", report.Benchmarks.Single().Id);
        Assert.Equal("N=1024", report.Benchmarks.Single().Parameters);
    }

    [Fact]
    public void Reports_of_one_benchmark_in_several_folders_are_several_launches_and_compressed_twins_count_once()
    {
        foreach (var (run, value) in new[] { ("run-1", 10.0), ("run-2", 20.0) })
        {
            var results = Path.Combine(_dir, run, "results");
            Directory.CreateDirectory(results);
            var json = BdnJson.Report(BdnJson.Benchmark("M", new[] { new[] { value, value } }));
            File.WriteAllText(Path.Combine(results, "Ns.Type-report-full.json"), json);
            File.WriteAllText(Path.Combine(results, "Ns.Type-report-full-compressed.json"), json);
        }

        var (run1, problems) = BenchmarkDotNetReader.ReadDirectories(new[] { _dir });

        Assert.Empty(problems);
        Assert.Equal(2, run1.Benchmarks.Single().Launches.Count);
    }

    [Fact]
    public void The_gate_s_own_report_is_read_instead_of_the_full_reports_of_its_title_and_only_those()
    {
        var results = Path.Combine(_dir, "run-1", "results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "Ns.Type-report-full.json"), BdnJson.Report(BdnJson.Benchmark("M", new[] { new[] { 10.0 } })));
        File.WriteAllText(Path.Combine(results, "Ns.Type-report-full-compressed.json"), BdnJson.Report(BdnJson.Benchmark("M", new[] { new[] { 10.0 } })));
        File.WriteAllText(Path.Combine(results, "Ns.Type" + BenchmarkDotNetReader.GateSuffix), BdnJson.Report(BdnJson.Benchmark("M", new[] { new[] { 30.0 } })));
        // Another class exported without the SDK's entry point: its full report still counts.
        File.WriteAllText(Path.Combine(results, "Ns.Other-report-full.json"), BdnJson.Report(BdnJson.Benchmark("N", new[] { new[] { 20.0 } })));

        var reports = BenchmarkDotNetReader.FindReports(_dir);
        var (run, problems) = BenchmarkDotNetReader.ReadFiles(reports);

        Assert.Equal(new[] { "Ns.Other-report-full.json", "Ns.Type-report-lyra.json" }, reports.Select(Path.GetFileName));
        Assert.Empty(problems);
        Assert.Equal(30.0, run.Benchmarks.Single(b => b.Method == "M").Launches.Single().Samples.Single(), 9);
        Assert.Equal(20.0, run.Benchmarks.Single(b => b.Method == "N").Launches.Single().Samples.Single(), 9);
    }

    [Fact]
    public void Invalid_json_is_LPG0302_with_file_line_and_column()
    {
        var ex = Assert.Throws<GateException>(() => Read("{\n  \"Benchmarks\": [\n    { \"FullName\": oops }\n  ]\n}"));

        Assert.Equal(DiagnosticCodes.ResultsUnreadable, ex.Diagnostic.Code);
        Assert.Equal("r.json", ex.Diagnostic.File);
        Assert.Equal(3, ex.Diagnostic.Line);
        Assert.True(ex.Diagnostic.Column > 1);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{ \"Title\": \"brief\" }")]
    [InlineData("{ \"Benchmarks\": [ { \"Method\": \"NoFullName\" } ] }")]
    public void Json_that_is_not_a_full_report_is_LPG0302(string json)
    {
        var ex = Assert.Throws<GateException>(() => Read(json));

        Assert.Equal(DiagnosticCodes.ResultsUnreadable, ex.Diagnostic.Code);
    }

    [Fact]
    public void Empty_string_numbers_and_non_positive_operations_are_skipped_not_crashed_on()
    {
        var json = BdnJson.Report("""
            { "DisplayInfo": "T.M: Job-A(X=1)", "Namespace": null, "Type": "T", "Method": "M", "FullName": "T.M",
              "Statistics": { "OriginalValues": [5, "", 7] },
              "Memory": { "BytesAllocatedPerOperation": "", "TotalOperations": 0, "Gen0Collections": 1 },
              "Measurements": [ { "IterationMode": "Workload", "IterationStage": "Result", "LaunchIndex": 0, "Operations": 0, "Nanoseconds": 10 } ] }
            """);

        var benchmark = Read(json).Benchmarks.Single();

        Assert.Null(benchmark.Namespace);
        Assert.Equal("T", benchmark.QualifiedType);
        Assert.Equal(new[] { 5.0, 7.0 }, benchmark.Launches.Single().Samples); // fell back to OriginalValues
        Assert.Null(benchmark.AllocatedBytesPerOperation);
        Assert.Null(benchmark.Gen0PerThousandOps);
    }

    [Fact]
    public void An_unreadable_file_among_good_ones_is_reported_and_the_rest_still_count()
    {
        var results = Path.Combine(_dir, "mixed");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "A-report-full.json"), BdnJson.Report(BdnJson.Benchmark("M", new[] { new[] { 1.0 } })));
        File.WriteAllText(Path.Combine(results, "B-report-full.json"), "{ truncated");

        var (run, problems) = BenchmarkDotNetReader.ReadDirectories(new[] { results });

        Assert.Single(run.Benchmarks);
        Assert.Equal(DiagnosticCodes.ResultsUnreadable, Assert.Single(problems).Code);
    }

    [Theory]
    [InlineData("T.M: Job-ABCDEF(IterationCount=10, WarmupCount=3)", "IterationCount=10, WarmupCount=3")]
    [InlineData("T.M: DefaultJob", "DefaultJob")]
    [InlineData("T.M: ShortRun [N=1024]", "ShortRun", "N=1024")]
    [InlineData("T.M: Job-ABCDEF(IterationCount=10) [N=1024, Text=a [b], c]", "IterationCount=10", "N=1024&Text=a [b], c")]
    [InlineData("T.M: Job-ABCDEF(EnvironmentVariables=A [x], IterationCount=10) [N=1024]", "EnvironmentVariables=A [x], IterationCount=10", "N=1024")]
    [InlineData("T.M: Job-ABCDEF(EnvironmentVariables=N [N], IterationCount=10) [N=1024]", "EnvironmentVariables=N [N], IterationCount=10", "N=1024")]
    [InlineData("T.M: Job-ABCDEF(IterationCount=10) [Size=1]", "IterationCount=10", "Size=1")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Job_settings_drop_the_random_job_id_and_the_parameters(string? displayInfo, string expected, string? parameters = null) =>
        Assert.Equal(expected, BenchmarkDotNetReader.JobSettings(displayInfo, parameters));

    [Fact]
    public void The_fingerprint_names_the_job_never_the_parameter_values_that_ran()
    {
        var all = BenchmarkDotNetReader.ReadReport(Encoding.UTF8.GetBytes(BdnJson.Report(
            BdnJson.Benchmark("Hash", new[] { new[] { 1.0 } }, parameters: "N=1024"),
            BdnJson.Benchmark("Hash", new[] { new[] { 9.0 } }, parameters: "N=1048576"))), "all.json");
        var subset = BenchmarkDotNetReader.ReadReport(Encoding.UTF8.GetBytes(BdnJson.Report(
            BdnJson.Benchmark("Hash", new[] { new[] { 1.0 } }, job: "Job-QWERTY(IterationCount=5, WarmupCount=3)", parameters: "N=1024"))), "subset.json");

        Assert.Equal("IterationCount=5, WarmupCount=3", all.Environment.Job);
        Assert.Equal(all.Environment.Job, subset.Environment.Job);
        Assert.Empty(all.Environment.Differences(subset.Environment));
    }

    [Fact]
    public void A_process_wide_setting_an_in_process_run_could_not_apply_is_said_and_never_recorded()
    {
        var results = Path.Combine(_dir, "server-gc");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "Gc-report-full.json"), BdnJson.Report(
            BdnJson.Benchmark("Allocate", new[] { new[] { 1.0 } }, job: "PerfGate(Server=True, Toolchain=InProcessEmitToolchain, IterationCount=5)"),
            BdnJson.Benchmark("Other", new[] { new[] { 1.0 } }, job: "PerfGate(Toolchain=InProcessEmitToolchain, IterationCount=5)")));

        var (run, problems) = BenchmarkDotNetReader.ReadDirectories(new[] { results });

        Assert.Equal("Toolchain=InProcessEmitToolchain, IterationCount=5", run.Environment.Job);
        var warning = Assert.Single(problems);
        Assert.Equal(DiagnosticCodes.JobSettingNotInEffect, warning.Code);
        Assert.Equal(DiagnosticLevel.Warning, warning.Level);
        Assert.Contains("Server=True (Ns.Type.Allocate)", warning.Message);
        Assert.Equal(2, run.Benchmarks.Count);
        // Out of process the same setting takes effect, so it is part of the job.
        Assert.Equal("Server=True, IterationCount=5", BenchmarkDotNetReader.JobSettingsInEffect("T.M: Job-X(Server=True, IterationCount=5)", null, out var ignored));
        Assert.Empty(ignored);
    }

    [Fact]
    public void Start_up_settings_are_recorded_only_from_a_process_that_was_started_with_them_and_checked_them()
    {
        const string Job = "PerfGate(Server=True, EnvironmentVariables=LYRA_E2E=1, Toolchain=InProcessEmitToolchain, IterationCount=5)";
        var main = Path.Combine(_dir, "run-1", "results");
        var own = Path.Combine(_dir, "run-1", "process-1", "results");
        Directory.CreateDirectory(main);
        Directory.CreateDirectory(own);
        File.WriteAllText(Path.Combine(own, "Gc-report-full.json"), BdnJson.Report(BdnJson.Benchmark("Allocate", new[] { new[] { 1.0 } }, job: Job)));

        // Without the process's check the settings were not in effect: said, and left out of the fingerprint.
        var (withoutCheck, problems) = BenchmarkDotNetReader.ReadDirectories(new[] { Path.Combine(_dir, "run-1") });
        Assert.Equal("Toolchain=InProcessEmitToolchain, IterationCount=5", withoutCheck.Environment.Job);
        Assert.Contains("Server=True (Ns.Type.Allocate)", Assert.Single(problems).Message);
        Assert.Contains("EnvironmentVariables=LYRA_E2E=1 (Ns.Type.Allocate)", problems[0].Message);

        File.WriteAllText(Path.Combine(_dir, "run-1", "process-1", ProcessSettings.InEffectFile), "DOTNET_gcServer=1\nLYRA_E2E=1\n");
        var (applied, none) = BenchmarkDotNetReader.ReadDirectories(new[] { Path.Combine(_dir, "run-1") });
        Assert.Empty(none);
        Assert.Equal("Server=True, EnvironmentVariables=LYRA_E2E=1, Toolchain=InProcessEmitToolchain, IterationCount=5", applied.Environment.Job);

        // The run's fingerprint holds every report's jobs, whichever report comes first.
        File.WriteAllText(Path.Combine(main, "Plain-report-full.json"), BdnJson.Report(BdnJson.Benchmark("Sum", new[] { new[] { 1.0 } }, job: "PerfGate(Toolchain=InProcessEmitToolchain, IterationCount=5)", ns: "Other")));
        var (both, _) = BenchmarkDotNetReader.ReadDirectories(new[] { Path.Combine(_dir, "run-1") });
        Assert.Equal("Server=True, EnvironmentVariables=LYRA_E2E=1, Toolchain=InProcessEmitToolchain, IterationCount=5 | Toolchain=InProcessEmitToolchain, IterationCount=5", both.Environment.Job);

        // A runtime of its own is never in effect in process, checked or not.
        Assert.Equal("Toolchain=InProcessEmitToolchain", BenchmarkDotNetReader.JobSettingsInEffect("T.M: PerfGate(Runtime=.NET 8.0, Toolchain=InProcessEmitToolchain)", null, out var runtime, processSettingsApplied: true));
        Assert.Equal(new[] { "Runtime=.NET 8.0" }, runtime);
    }

    [Fact]
    public void A_run_of_some_of_the_baselines_jobs_is_the_same_environment_and_a_new_job_is_not()
    {
        var baseline = new RunEnvironment { Job = RunEnvironment.JoinJobs(new[] { "IterationCount=5", "ShortRun" }) };

        Assert.Empty(baseline.Differences(baseline with { Job = "ShortRun" }));
        Assert.Contains(baseline.Differences(baseline with { Job = "IterationCount=9" }), d => d.StartsWith("job:", StringComparison.Ordinal));
        // Baselines recorded before the parameter suffix was dropped still match.
        Assert.Empty((baseline with { Job = "Job-ABCDEF(IterationCount=5) [N=1] | Job-ABCDEF(IterationCount=5) [N=2]" }).Differences(baseline with { Job = "IterationCount=5" }));
    }
}
