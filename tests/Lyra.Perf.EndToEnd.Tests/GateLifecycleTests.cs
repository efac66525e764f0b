using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

[Collection(SdkFeedCollection.Name)]
public sealed class GateLifecycleTests
{
    private readonly SdkFeed _feed;

    public GateLifecycleTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void First_run_establishes_the_baseline_a_clean_rerun_passes_and_a_planted_slowdown_fails()
    {
        // Critical only: a clean rerun on a noisy machine must not fail this test; 4× work is far past 50 %.
        var project = _feed.NewProject("lifecycle", "Bench").Source("Work.cs", Workspace.LoopAndConcat).Property("PerfGateFailOn", "Critical").Create().Directory;
        var baselinePath = Path.Combine(project, "perf-baseline.json");

        var first = DotNet.Build(project, "-t:PerfGate");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches(@"perf-baseline\.json : warning LPG0201: No baseline was found", first.Output);
        Assert.Contains("\"E2E.Work.Loop\"", File.ReadAllText(baselinePath));
        Assert.Contains("\"E2E.Work.Concat\"", File.ReadAllText(baselinePath));
        Assert.Contains("Running benchmark 2 of 2: Work.Concat (launch 2 of 2)", first.Output);
        AssertGateReportsAreCutsOfTheFullOnes(project);

        var clean = DotNet.Build(project, "-t:PerfGate");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.DoesNotMatch(@"error LPG\d{4}", clean.Output);
        // On a busy machine most verdicts may be undecided: then the count and what would decide come first (two lines).
        Assert.Matches(@"Performance gate Bench: .*\n(\s+\d+ of 2 benchmarks not decided: .*\n\s+To decide: .*\n)?\s+2 benchmarks", clean.Output);

        // A second recording run joins the first (PerfGateBaselineRuns): every launch is stamped with its run.
        var second = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateBaselineRuns=2");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("up to 2 recording run(s) per benchmark", second.Output);
        var joined = File.ReadAllText(baselinePath);
        Assert.Equal(2, Regex.Matches(joined, "\"runs\": 2,").Count);
        Assert.Equal(8, Regex.Matches(joined, "\"samplesNs\"").Count);

        var recorded = File.ReadAllBytes(baselinePath);

        var slowed = DotNet.Build(project, new Dictionary<string, string> { ["LYRA_E2E_SLOW"] = "4" }, "-t:PerfGate");
        Assert.True(slowed.ExitCode != 0, slowed.ToString());
        // Canonical MSBuild format, so terminals, CI problem matchers and IDEs all pick it up.
        // At the benchmark method's source (from the PDB), so a double-click in the IDE opens it.
        Assert.Matches(new Regex(@"/Bench/Work\.cs\(1[0-9],\d+\): error LPG0101: Critical time regression in E2E\.Work\.Loop: .+ → .+ \(\+\d"), slowed.Output);
        Assert.Contains("regression(s) to confirm by re-running: E2E.Work.Loop", slowed.Output);
        // The whole output on failure: under load this line once went missing in CI and the truncated string hid why.
        Assert.True(Regex.IsMatch(slowed.Output, @"Running benchmark \d+ of \d+: Work\.Loop \(confirmation launch \d+ of \d+\)"), slowed.ToString());
        Assert.Contains("FAIL E2E.Work.Loop: time regression +", slowed.Output);
        Assert.True(Directory.Exists(Path.Combine(project, "obj", "lyra-perf", "confirm-1")), "the confirmation run should have its own results");
        Assert.Equal(recorded, File.ReadAllBytes(baselinePath));
    }

    /// <summary>What the gate reads (*-report-lyra.json, the SDK's exporter) is BenchmarkDotNet's full report of the same
    /// launch, field for field, but for the measurements: exactly the workload's Result iterations, the only ones read.</summary>
    private static void AssertGateReportsAreCutsOfTheFullOnes(string project)
    {
        var cuts = Directory.GetFiles(Path.Combine(project, "obj", "lyra-perf"), "*-report-lyra.json", SearchOption.AllDirectories);
        Assert.NotEmpty(cuts);
        foreach (var cut in cuts)
        {
            var gate = JsonNode.Parse(File.ReadAllText(cut))!;
            var full = JsonNode.Parse(File.ReadAllText(cut.Replace("-report-lyra.json", "-report-full.json")))!;
            Assert.True(JsonNode.DeepEquals(full["HostEnvironmentInfo"], gate["HostEnvironmentInfo"]), cut);
            var fullBenchmarks = full["Benchmarks"]!.AsArray();
            var gateBenchmarks = gate["Benchmarks"]!.AsArray();
            Assert.Equal(fullBenchmarks.Count, gateBenchmarks.Count);
            for (var i = 0; i < fullBenchmarks.Count; i++)
            {
                var fullBenchmark = fullBenchmarks[i]!.AsObject();
                var gateBenchmark = gateBenchmarks[i]!.AsObject();
                Assert.Equal(fullBenchmark.Select(p => p.Key), gateBenchmark.Select(p => p.Key));
                foreach (var (name, value) in fullBenchmark)
                {
                    var expected = name != "Measurements" ? value
                        : new JsonArray(value!.AsArray().Where(m => (string?)m!["IterationMode"] == "Workload" && (string?)m["IterationStage"] == "Result").Select(m => m!.DeepClone()).ToArray());
                    Assert.True(JsonNode.DeepEquals(expected, gateBenchmark[name]), $"{cut}: {name} differs");
                }

                Assert.NotEmpty(gateBenchmark["Measurements"]!.AsArray());
                Assert.True(fullBenchmark["Measurements"]!.AsArray().Count > gateBenchmark["Measurements"]!.AsArray().Count);
            }
        }
    }

    [Fact]
    public void A_throwing_benchmark_fails_the_build_at_its_source_line_names_its_log_and_the_reports_say_failed()
    {
        var project = _feed.NewProject("throws", "Faulty").Source("Faulty.cs", """
                using System;
                using BenchmarkDotNet.Attributes;

                namespace E2E;

                public class Faulty
                {
                    [Benchmark]
                    public int Fine() => Environment.ProcessorCount * 3;

                    [Benchmark]
                    public int Throws() => throw new InvalidOperationException("planted failure");
                }
                """).Property("PerfGateLaunches", "1").Create().Directory;

        var result = DotNet.Build(project, "-t:PerfGate");

        Assert.True(result.ExitCode != 0, result.ToString());
        // At the benchmark method's line (from the PDB), naming the log that holds the exception.
        var error = Regex.Match(result.Output, @"/Faulty/Faulty\.cs\(12,\d+\): error LPG0303: Benchmark E2E\.Faulty\.Throws failed: .*? is in (\S+benchmark-output\.log)");
        Assert.True(error.Success, result.ToString());
        var log = error.Groups[1].Value;
        Assert.True(File.Exists(log), log);
        Assert.Contains("planted failure", File.ReadAllText(log));
        Assert.DoesNotContain("Sdk.targets", result.Output);
        Assert.DoesNotContain("MSB4018", result.Output);
        Assert.Contains("Performance gate Faulty: FAILED", result.Output);
        var reports = Path.Combine(project, "bin", "lyra-perf");
        Assert.Contains("\"status\": \"failed\"", File.ReadAllText(Path.Combine(reports, "perf-report.json")));
        Assert.Contains("FAILED", File.ReadAllLines(Path.Combine(reports, "perf-report.md"))[0]);
        var baseline = File.ReadAllText(Path.Combine(project, "perf-baseline.json"));
        Assert.Contains("\"E2E.Faulty.Fine\"", baseline);
        Assert.DoesNotContain("E2E.Faulty.Throws", baseline);
    }

    [Fact]
    public void A_hung_benchmark_is_killed_with_its_process_tree_after_the_timeout()
    {
        var project = _feed.NewProject("hang", "Hang").Source("Hang.cs", """
                using System.Threading;
                using BenchmarkDotNet.Attributes;

                namespace E2E;

                public class Hang
                {
                    [Benchmark]
                    public void Forever() => Thread.Sleep(Timeout.Infinite);
                }
                """).Property("PerfGateTimeout", "20").Create().Directory;

        var result = DotNet.Build(project, "-t:PerfGate");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Matches(@"error LPG0304: The benchmark process ran longer than PerfGateTimeout=20 s and was killed", result.Output);
        Assert.True(result.Elapsed.TotalSeconds < 150, $"took {result.Elapsed}");
        Assert.Empty(Processes.CommandLinesContaining(Path.Combine(project, "bin", "PerfGate")));
    }
}
