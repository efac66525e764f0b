using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>-p:PerfGateShard=K/N on a CI matrix, and the merge job's compare-only run over every shard's results.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class ShardTests
{
    private const string Sources = """
        using BenchmarkDotNet.Attributes;

        namespace E2E;

        public class Text
        {
            [Benchmark] public string Concat() => string.Concat("a", "b", "c");
            [Benchmark] public int Length() => "abcdef".Length * 3;
        }

        public class Numbers
        {
            [Benchmark] public int Sum() { var s = 0; for (var i = 0; i < 100; i++) { s += i; } return s; }
        }
        """;

    private static readonly string[] Names = { "E2E.Numbers.Sum", "E2E.Text.Concat", "E2E.Text.Length" };

    private readonly SdkFeed _feed;

    public ShardTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void Two_shards_split_the_suite_and_their_merge_judges_it_exactly_like_one_unsharded_run()
    {
        // One launch, no confirmation: the test proves the split and the merge, not the statistics.
        var (workspace, project) = _feed.NewProject("shards", "Suite").Source("Bench.cs", Sources)
            .Property("PerfGateLaunches", "1").Property("PerfGateConfirmRegressions", "false").Create();
        string Artifacts(string name) => "-p:PerfGateArtifactsDirectory=" + workspace.PathOf(name) + "/";

        // Each shard records its part of the baseline; the other shard's entries are kept.
        foreach (var shard in new[] { 1, 2 })
        {
            var record = DotNet.Build(project, "-t:PerfBaseline", $"-p:PerfGateShard={shard}/2", Artifacts("record-" + shard));
            Assert.True(record.ExitCode == 0, record.ToString());
        }

        var baseline = File.ReadAllText(Path.Combine(project, "perf-baseline.json"));
        Assert.All(Names, name => Assert.Contains($"\"{name}\"", baseline));

        var owned = new List<string>[3];
        foreach (var shard in new[] { 1, 2 })
        {
            // FailOn=None: one launch of a nanosecond benchmark on a loaded machine can look Critical; the merge below
            // is judged with the defaults and must agree with the unsharded run whatever the verdicts are.
            var gate = DotNet.Build(project, "-t:PerfGate", $"-p:PerfGateShard={shard}/2", Artifacts("shard-" + shard), "-p:PerfGateFailOn=None");
            Assert.True(gate.ExitCode == 0, gate.ToString());
            Assert.DoesNotContain("LPG0203", gate.Output);
            Assert.DoesNotContain("LPG0204", gate.Output);

            using var manifest = JsonDocument.Parse(File.ReadAllText(workspace.PathOf("shard-" + shard, "lyra-perf-shard.json")));
            owned[shard] = manifest.RootElement.GetProperty("benchmarks").EnumerateObject().Where(p => p.Value.GetInt32() == shard).Select(p => p.Name).ToList();
            Assert.NotEmpty(owned[shard]);
            Assert.Matches($@"Shard {shard} of 2: {owned[shard].Count} benchmarks? \({owned[shard].Count} of 3 benchmark methods\)", gate.Output);
            Assert.Equal(owned[shard].OrderBy(n => n), Ran(workspace.PathOf("shard-" + shard)));
        }

        Assert.Empty(owned[1].Intersect(owned[2]));
        Assert.Equal(Names, owned[1].Concat(owned[2]).OrderBy(n => n, StringComparer.Ordinal));

        // The merge job: every shard's artifact in one folder, one compare-only run.
        var merged = workspace.PathOf("merged");
        var flat = workspace.PathOf("flat");
        foreach (var shard in new[] { 1, 2 })
        {
            Copy(workspace.PathOf("shard-" + shard), Path.Combine(merged, "shard-" + shard));
            // The same result files without the shard layout or manifests: what one unsharded run would hand over.
            Copy(workspace.PathOf("shard-" + shard, "run-1"), Path.Combine(flat, "shard-" + shard, "run-1"));
        }

        Assert.Empty(Directory.GetFiles(flat, "lyra-perf-shard.json", SearchOption.AllDirectories));
        var merge = Gate(project, merged, workspace.PathOf("reports-merged"));
        var single = Gate(project, flat, workspace.PathOf("reports-single"));

        Assert.Contains("merged 2 shard(s) of 2", merge.Output);
        Assert.Equal(single.ExitCode, merge.ExitCode);
        Assert.Equal(Verdicts(single), Verdicts(merge));
        Assert.Matches(@"\n\s+3 benchmarks:", merge.Output);
        foreach (var report in new[] { "perf-report.json", "perf-report.md", "perf-report.sarif", "perf-report.comment.md" })
        {
            Assert.Equal(Normalised(workspace.PathOf("reports-single", report)), Normalised(workspace.PathOf("reports-merged", report)));
        }

        // A baseline recorded from the merged shards holds the whole suite.
        var full = workspace.PathOf("merged-baseline.json");
        var rebaseline = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateResults=" + merged, "-p:PerfGateBaselineFile=" + full);
        Assert.True(rebaseline.ExitCode == 0, rebaseline.ToString());
        Assert.All(Names, name => Assert.Contains($"\"{name}\"", File.ReadAllText(full)));

        // A missing shard is an error naming it, never a partial pass.
        Directory.Delete(Path.Combine(merged, "shard-2"), recursive: true);
        var partial = Gate(project, merged, workspace.PathOf("reports-partial"));
        Assert.True(partial.ExitCode != 0, partial.ToString());
        Assert.Contains("error LPG0350: Shard 2 of 2 is missing from the merged results (found 1)", partial.Output);
        Assert.All(owned[2], name => Assert.Contains(name, partial.Output));

        // More shards than methods: shard 3 of 4 owns none of the three (fixed by the stable hash; the manifest proves it).
        // It says so, runs nothing and passes; its manifest still lets a merge count it.
        var empty = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateShard=3/4", Artifacts("empty"));
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.Contains("shard 3/4 owns no benchmarks", empty.Output);
        var plan = File.ReadAllText(workspace.PathOf("empty", "lyra-perf-shard.json"));
        Assert.Contains("\"shard\": 3", plan);
        Assert.DoesNotMatch("\"E2E\\.[^\"]+\": 3", plan);
        Assert.False(Directory.Exists(workspace.PathOf("empty", "run-1")), "an empty shard must not run the whole suite");

        var invalid = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateShard=3/2");
        Assert.True(invalid.ExitCode != 0, invalid.ToString());
        Assert.Contains("error LPG0401: Invalid value '3/2' for PerfGateShard", invalid.Output);
        Assert.DoesNotContain("MSB4018", invalid.Output);
    }

    private static CommandResult Gate(string project, string results, string reports) =>
        DotNet.Build(project, "-t:PerfGate", "-p:PerfGateResults=" + results, "-p:PerfGateReportDirectory=" + reports + "/", "-p:PerfGateHistoryFile=" + reports + "/history.jsonl");

    /// <summary>The benchmarks whose results a shard's artifacts hold.</summary>
    private static IEnumerable<string> Ran(string artifacts) =>
        Directory.GetFiles(artifacts, "*-report-full.json", SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"FullName\":\\s*\"([^\"]+)\"").Select(m => m.Groups[1].Value))
            .Distinct().OrderBy(n => n);

    private static IEnumerable<string> Verdicts(CommandResult result) =>
        result.Lines.Where(l => Regex.IsMatch(l, @"(error|warning) LPG0[12]\d\d|^\s+\d+ benchmarks|Performance gate")).Select(l => Regex.Replace(l, @"/[^ ]*/(reports|merged|flat)[^ ]*", "<dir>"));

    /// <summary>A report with its run time (and the folders it was written to) taken out.</summary>
    private static string Normalised(string path) =>
        Regex.Replace(Regex.Replace(File.ReadAllText(path), @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "<time>"), @"reports-(single|merged)", "<reports>");

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
