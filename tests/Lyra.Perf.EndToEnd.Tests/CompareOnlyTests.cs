using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>-p:PerfGateResults=DIR: gate, or record a baseline from, results made elsewhere, running nothing.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class CompareOnlyTests
{
    private static readonly string Results = Path.Combine(AppContext.BaseDirectory, "TestData", "results");
    private readonly SdkFeed _feed;

    public CompareOnlyTests(SdkFeed feed) => _feed = feed;

    /// <summary>A project whose one benchmark never runs here: the results come from elsewhere.</summary>
    private string NewProject(string name) =>
        _feed.NewProject(name, "Suite").Source("Empty.cs", "namespace E2E; public class Empty { [BenchmarkDotNet.Attributes.Benchmark] public void Nothing() { } }").Create().Directory;

    [Fact]
    public void Records_a_baseline_from_foreign_results_and_gates_against_it_without_running_anything()
    {
        var project = NewProject("compare");

        var record = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + Results);
        Assert.True(record.ExitCode == 0, record.ToString());
        var baseline = File.ReadAllText(Path.Combine(project, "perf-baseline.json"));
        Assert.Contains("\"NoiseSuite.NumericBenchmarks.DotProduct\"", baseline);
        Assert.Contains("\"samplesNs\"", baseline);

        var gate = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Results);
        Assert.True(gate.ExitCode == 0, gate.ToString());
        Assert.Matches(@"\n\s+6 benchmarks:", gate.Output);
        Assert.DoesNotContain(" regressed", gate.Output);
        Assert.DoesNotContain("launch 1/", gate.Output);
        Assert.False(Directory.Exists(Path.Combine(project, "bin", "PerfGate")), "compare-only must not build the benchmarks");
        Assert.False(Directory.Exists(Path.Combine(project, "obj", "lyra-perf")), "compare-only must not run the benchmarks");
    }

    [Fact]
    public void A_uniformly_slowed_suite_is_a_machine_shift_while_a_benchmark_slowed_3x_beyond_the_rest_still_fails()
    {
        var project = NewProject("shift");
        Assert.Equal(0, DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + Results).ExitCode);

        var uniform = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Slowed(project, "uniform", 3, null));
        Assert.True(uniform.ExitCode == 0, uniform.ToString());
        Assert.True(uniform.Output.Contains("warning LPG0107: Machine-state shift: the whole suite ran +200.0% (slower)", StringComparison.Ordinal), uniform.ToString());
        Assert.DoesNotContain("error LPG", uniform.Output);
        Assert.Contains("NOT DECIDED", uniform.Output);

        var beyond = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Slowed(project, "beyond", 3, "DotProduct"));
        Assert.True(beyond.ExitCode != 0, beyond.ToString());
        Assert.Matches(@"error LPG0101: Critical time regression in NoiseSuite\.NumericBenchmarks\.DotProduct: .*\(\+200\.0%.*on the ratio to the whole suite's \+200\.0% machine-state shift", beyond.Output);
        Assert.Single(Regex.Matches(beyond.Output, @"error LPG0101: [^\n]*").Select(m => m.Value).Distinct());
    }

    /// <summary>The test results with every iteration time × <paramref name="factor"/> (and <paramref name="extra"/>'s × 3 more).</summary>
    private static string Slowed(string project, string name, double factor, string? extra)
    {
        var directory = Path.Combine(project, "results-" + name);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Results, "*.json"))
        {
            var report = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var benchmark in report["Benchmarks"]!.AsArray())
            {
                var scale = factor * (benchmark!["Method"]!.GetValue<string>() == extra ? 3 : 1);
                foreach (var measurement in benchmark["Measurements"]!.AsArray())
                {
                    measurement!["Nanoseconds"] = measurement["Nanoseconds"]!.GetValue<double>() * scale;
                }
            }

            File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)), report.ToJsonString());
        }

        return directory;
    }

    [Fact]
    public void A_multithreaded_benchmark_that_lacked_cores_is_reported_not_failed_while_a_singlethreaded_one_is_judged()
    {
        var project = NewProject("cores");
        // The baseline: DotProduct used 1.9 cores on a quiet machine, the rest one core each.
        var record = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + WithCpu(project, "quiet", 0.05, 1.9, new string[0]));
        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.Contains("\"coresUsed\": 1.9,", File.ReadAllText(Path.Combine(project, "perf-baseline.json")));

        // Other processes held a core: DotProduct got 1.2 and ran 3x slower; nothing else moved.
        var busy = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + WithCpu(project, "busy", 1.0, 1.2, new[] { "DotProduct" }));
        Assert.True(busy.ExitCode == 0, busy.ToString());
        Assert.Contains("warning LPG0225: Other processes took 1.0 of the machine's 2 cores while 1 multi-threaded benchmark ran (NoiseSuite.NumericBenchmarks.DotProduct used 1.9 cores in the baseline)", busy.Output);
        Assert.Matches(@"warning LPG0101: Critical time regression in NoiseSuite\.NumericBenchmarks\.DotProduct: [^\n]*the machine lacked cores for this multi-threaded benchmark", busy.Output);
        Assert.DoesNotContain("error LPG", busy.Output);
        Assert.Contains("NOT DECIDED", busy.Output);

        // On the same busy machine a single-threaded benchmark 3x slower is still an error.
        var single = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + WithCpu(project, "busy-single", 1.0, 1.2, new[] { "DotProduct", "HashLoop1ms" }));
        Assert.True(single.ExitCode != 0, single.ToString());
        Assert.Matches(@"error LPG0101: Critical time regression in NoiseSuite\.NumericBenchmarks\.HashLoop1ms", single.Output);
        Assert.DoesNotContain("error LPG0101: Critical time regression in NoiseSuite.NumericBenchmarks.DotProduct", single.Output);
    }

    /// <summary>The test results as the SDK's CPU diagnoser reports them: every benchmark used one core and other
    /// processes kept <paramref name="otherLoad"/> busy; DotProduct used <paramref name="dotProductCores"/>; the
    /// <paramref name="slowed"/> ones ran 3x slower.</summary>
    private static string WithCpu(string project, string name, double otherLoad, double dotProductCores, string[] slowed)
    {
        var directory = Path.Combine(project, "results-" + name);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Results, "*.json"))
        {
            var report = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var benchmark in report["Benchmarks"]!.AsArray())
            {
                var method = benchmark!["Method"]!.GetValue<string>();
                if (slowed.Contains(method))
                {
                    foreach (var measurement in benchmark["Measurements"]!.AsArray())
                    {
                        measurement!["Nanoseconds"] = measurement["Nanoseconds"]!.GetValue<double>() * 3;
                    }
                }

                var metrics = benchmark["Metrics"]!.AsArray();
                metrics.Add(CpuMetric("Lyra.Perf.CoresUsed", method == "DotProduct" ? dotProductCores : 1.0));
                metrics.Add(CpuMetric("Lyra.Perf.OtherLoad", otherLoad));
            }

            File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)), report.ToJsonString());
        }

        return directory;
    }

    private static JsonNode CpuMetric(string id, double value) => new JsonObject
    {
        ["Value"] = value,
        ["Descriptor"] = new JsonObject { ["Id"] = id, ["DisplayName"] = id, ["Legend"] = "", ["NumberFormat"] = "0.00", ["UnitType"] = 0, ["Unit"] = "cores", ["TheGreaterTheBetter"] = false, ["PriorityInCategory"] = 0 },
    };

    [Fact]
    public void Recording_the_same_results_again_does_not_pose_as_a_second_run()
    {
        var project = NewProject("runs");
        var path = Path.Combine(project, "perf-baseline.json");
        var first = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + Results, "-p:PerfGateBaselineRuns=3");
        Assert.True(first.ExitCode == 0, first.ToString());
        var launches = Regex.Matches(File.ReadAllText(path), "\"samplesNs\"").Count;

        var again = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + Results, "-p:PerfGateBaselineRuns=3");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("were already in the baseline", again.Output);
        Assert.Equal(launches, Regex.Matches(File.ReadAllText(path), "\"samplesNs\"").Count);
        Assert.DoesNotContain("\"runs\":", File.ReadAllText(path));
    }

    [Fact]
    public void Reports_are_written_each_run_and_PerfReport_rerenders_them_without_adding_to_the_history()
    {
        var project = NewProject("reports");
        Assert.Equal(0, DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + Results).ExitCode);
        var reports = Path.Combine(project, "bin", "lyra-perf");

        var gate = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Results);
        Assert.True(gate.ExitCode == 0, gate.ToString());
        foreach (var file in new[] { "perf-report.json", "perf-report.md", "perf-report.html", "perf-report.sarif" })
        {
            Assert.True(File.Exists(Path.Combine(reports, file)), file + " missing");
            File.Delete(Path.Combine(reports, file));
        }

        var history = Path.Combine(reports, "perf-history.jsonl");
        var records = File.ReadAllLines(history).Length;
        Assert.Equal(1, records);

        var rerender = DotNet.Build(project, "-t:PerfReport", "-p:PerfGateResults=" + Results);
        Assert.True(rerender.ExitCode == 0, rerender.ToString());
        Assert.True(File.Exists(Path.Combine(reports, "perf-report.html")));
        Assert.Equal(records, File.ReadAllLines(history).Length);
    }

    [Fact]
    public void Lyra_codes_obey_NoWarn_and_WarningsAsErrors_like_compiler_codes()
    {
        var quiet = DotNet.Build(NewProject("nowarn"), "-t:PerfGate", "-p:PerfGateResults=" + Results, "-p:NoWarn=LPG0201");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("LPG0201", quiet.Output);

        var strict = DotNet.Build(NewProject("werror"), "-t:PerfGate", "-p:PerfGateResults=" + Results, "-p:WarningsAsErrors=LPG0201");
        Assert.True(strict.ExitCode != 0, strict.ToString());
        Assert.Contains("error LPG0201", strict.Output);
    }

    /// <summary>On a CI machine a missing baseline fails the build (a deleted baseline must not turn the gate green);
    /// establishing one there is an explicit act.</summary>
    [Theory]
    [InlineData("CI", "true")]
    [InlineData("TF_BUILD", "True")]
    public void On_CI_a_missing_baseline_is_an_error_and_nothing_is_established(string variable, string value)
    {
        var project = NewProject("ci-" + variable);
        var baseline = Path.Combine(project, "perf-baseline.json");
        var ci = new Dictionary<string, string> { [variable] = value };

        var gate = DotNet.Build(project, ci, "-t:PerfGate", "-p:PerfGateResults=" + Results);
        Assert.True(gate.ExitCode != 0, gate.ToString());
        Assert.Contains("error LPG0201", gate.Output);
        Assert.Contains("-t:PerfBaseline", gate.Output);
        Assert.False(File.Exists(baseline), "a required baseline must not be established");
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "bin", "lyra-perf", "perf-report.json"))))
        {
            Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        }

        var explicitly = DotNet.Build(project, ci, "-t:PerfGate", "-p:PerfGateResults=" + Results, "-p:PerfGateRequireBaseline=false");
        Assert.True(explicitly.ExitCode == 0, explicitly.ToString());
        Assert.Contains("warning LPG0201", explicitly.Output);
        Assert.True(File.Exists(baseline));
    }

    /// <summary>MSBuild's promotion of a warning (WarningsAsErrors, -warnaserror) or its suppression (NoWarn) decides
    /// the build, and the exit code and every report agree with it.</summary>
    [Fact]
    public void WarningsAsErrors_and_NoWarn_decide_the_exit_code_and_every_report_alike()
    {
        var project = NewProject("promote");
        Assert.Equal(0, DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + Results).ExitCode);
        // The baseline ran 1.7× faster: every benchmark of the results is a Critical regression, a warning with FailOn=None.
        var path = Path.Combine(project, "perf-baseline.json");
        File.WriteAllText(path, Regex.Replace(File.ReadAllText(path), "\"samplesNs\": \\[([^\\]]*)\\]", m => "\"samplesNs\": ["
            + string.Join(", ", m.Groups[1].Value.Split(',').Select(v => (double.Parse(v, CultureInfo.InvariantCulture) / 1.7).ToString("R", CultureInfo.InvariantCulture))) + "]"));
        var reports = Path.Combine(project, "bin", "lyra-perf");

        var warned = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Results, "-p:PerfGateFailOn=None");
        Assert.True(warned.ExitCode == 0, warned.ToString());
        Assert.Contains("warning LPG0101", warned.Output);
        AssertReports(reports, failed: false);

        var promoted = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Results, "-p:PerfGateFailOn=None", "-p:WarningsAsErrors=LPG0101");
        Assert.True(promoted.ExitCode != 0, promoted.ToString());
        Assert.Contains("error LPG0101", promoted.Output);
        Assert.Contains("FAILED", promoted.Output);
        AssertReports(reports, failed: true);

        var suppressed = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Results, "-p:PerfGateFailOn=None", "-p:NoWarn=LPG0101", "-p:WarningsAsErrors=LPG0101");
        Assert.True(suppressed.ExitCode == 0, suppressed.ToString());
        Assert.DoesNotContain("error LPG0101", suppressed.Output);
        AssertReports(reports, failed: false);
    }

    private static void AssertReports(string reports, bool failed)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "perf-report.json")));
        Assert.Equal(failed ? "failed" : "passed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(failed, json.RootElement.GetProperty("benchmarks").EnumerateArray().Any(b => b.GetProperty("failsBuild").GetBoolean()));
        Assert.Equal(failed, File.ReadAllText(Path.Combine(reports, "perf-report.md")).StartsWith("## ❌", StringComparison.Ordinal));
        Assert.Equal(failed, File.ReadAllText(Path.Combine(reports, "perf-report.html")).Contains("<h1>✖", StringComparison.Ordinal));
        using var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "perf-report.sarif")));
        var levels = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r => r.GetProperty("level").GetString()).ToList();
        Assert.Equal(failed, levels.Contains("error"));
    }

    [Theory]
    [InlineData("{ \"schemaVersion\": 1,\n  \"benchmarks\": {\n    \"A\": [1, 2,\n", "perf-baseline.json(4,")]
    [InlineData("{\n  \"schemaVersion\": 1,\n  \"benchmarks\": [1, 2]\n}\n", "perf-baseline.json(3,17)")]
    [InlineData("{\n  \"schemaVersion\": 99,\n  \"benchmarks\": {}\n}\n", "perf-baseline.json(2,20)")]
    public void An_unreadable_baseline_is_a_coded_error_at_its_line_and_is_left_untouched(string content, string location)
    {
        var project = NewProject("corrupt");
        var path = Path.Combine(project, "perf-baseline.json");
        File.WriteAllText(path, content);
        var before = File.ReadAllBytes(path);

        var gate = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Results);

        Assert.True(gate.ExitCode != 0, gate.ToString());
        Assert.Contains(location, gate.Output);
        Assert.Contains("error LPG0301: Baseline unreadable", gate.Output);
        Assert.DoesNotContain("MSB4018", gate.Output);
        Assert.Equal(before, File.ReadAllBytes(path));

        var record = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + Results);
        Assert.True(record.ExitCode != 0, "PerfBaseline must not overwrite an unreadable baseline silently:\n" + record);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("PerfGateThreshold=abc", "Invalid value 'abc' for PerfGateThreshold")]
    [InlineData("PerfGateFailOn=Sometimes", "Invalid value 'Sometimes' for PerfGateFailOn")]
    [InlineData("PerfGateJob=Turbo", "Invalid value 'Turbo' for PerfGateJob")]
    [InlineData("PerfGateBaselineRuns=0", "Invalid value '0' for PerfGateBaselineRuns")]
    public void An_invalid_property_is_a_coded_error_with_the_fix(string property, string message)
    {
        var project = NewProject("invalid");
        var run = property.StartsWith("PerfGateJob", StringComparison.Ordinal);

        var gate = run ? DotNet.Build(project, "-t:PerfGate", "-p:" + property) : DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + Results, "-p:" + property);

        Assert.True(gate.ExitCode != 0, gate.ToString());
        Assert.Contains("error LPG0401: " + message, gate.Output);
        Assert.DoesNotContain("MSB4018", gate.Output);
    }

    [Fact]
    public void A_results_folder_without_reports_is_a_coded_error()
    {
        var project = NewProject("noresults");
        var empty = Path.Combine(project, "empty-results");
        Directory.CreateDirectory(empty);

        var gate = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + empty);

        Assert.True(gate.ExitCode != 0, gate.ToString());
        Assert.Contains("error LPG0305: No BenchmarkDotNet results", gate.Output);
    }
}
