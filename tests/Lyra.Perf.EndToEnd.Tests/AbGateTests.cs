using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>A/B mode (PerfGateBaseRef) on the packed SDK, in a fresh git repository of a user.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class AbGateTests
{
    private readonly SdkFeed _feed;

    public AbGateTests(SdkFeed feed) => _feed = feed;

    /// <summary>Two tiny benchmarks; <paramref name="loopCount"/> is Loop's work, so a commit can make it slower.</summary>
    private static string Work(int loopCount, string comment = "") => $$"""
        using BenchmarkDotNet.Attributes;

        namespace E2E;

        [MemoryDiagnoser]
        public class Work
        {
            [Benchmark]
            public int Loop()
            {
                var sum = 0;
                for (var i = 0; i < {{loopCount}}; i++)
                {
                    sum += i * 7 % 13;
                }

                return sum;
            }

            [Benchmark]
            public string Concat() => string.Concat("a", "b", "c");
        }
        {{comment}}
        """;

    /// <summary>The default scheme (PerfGateAbScheme=interleaved): both builds in one runner process; the same pair once
    /// more with the processes scheme.</summary>
    [Fact]
    public void An_unchanged_commit_passes_and_one_made_three_times_slower_fails_at_its_benchmark_with_the_users_checkout_untouched()
    {
        // Critical only, as in the lifecycle test: 3× the work is far past 50 %, and no noise on a loaded machine reaches it.
        var (workspace, project) = _feed.NewProject("ab", "Bench").Source("Work.cs", Work(20000))
            .Property("PerfGateFailOn", "Critical").Property("PerfGateLaunches", "3").Committed("Base: two benchmarks").Create();
        var repo = workspace.Directory;
        File.WriteAllText(Path.Combine(project, "Work.cs"), Work(20000, "// A comment only."));
        Git.Run(repo, "commit", "-q", "-am", "Comment only");

        // The user's own state: a stash entry and an untracked file, which no A/B run may touch.
        File.WriteAllText(Path.Combine(repo, "notes.txt"), "draft");
        File.WriteAllText(Path.Combine(repo, ".gitignore"), "bin/\nobj/\n*.tmp\n");
        Git.Run(repo, "stash", "-q");
        File.WriteAllText(Path.Combine(repo, "untracked.txt"), "mine");
        string State() => Git.Run(repo, "status", "--porcelain") + "\n--\n" + Git.Run(repo, "stash", "list");
        var before = State();

        var unchanged = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateBaseRef=HEAD~1");
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.DoesNotMatch(@"error LPG\d{4}", unchanged.Output);
        Assert.Matches(@"A/B: [0-9a-f]{7,} ""Comment only"" \(current\) against [0-9a-f]{7,} ""Base: two benchmarks"" \(base\)", unchanged.Output);
        // Interleaved in one process: the runner's one result file holds both sides, no launch ran, the reports say so.
        Assert.Matches(@"\(base\), interleaved in one process", unchanged.Output);
        Assert.Contains("A/B interleaved in one process: 2 benchmark(s)", unchanged.Output);
        Assert.DoesNotContain("launch 1 of 3", unchanged.Output);
        Assert.True(File.Exists(Path.Combine(project, "obj", "lyra-perf", "run-interleaved", "lyra-perf-interleaved.json")), unchanged.ToString());
        Assert.Contains("interleaved in one process", File.ReadAllText(Path.Combine(project, "bin", "lyra-perf", "perf-report.md")));
        Assert.Contains("\"mode\": \"ab\"", File.ReadAllText(Path.Combine(project, "bin", "lyra-perf", "perf-report.json")));
        Assert.False(File.Exists(Path.Combine(project, "perf-baseline.json")), "A/B mode neither needs nor writes a baseline");
        Assert.Equal(before, State());

        // The runner's real file records each pass's units, and per benchmark they add up to each side's units.
        var interleavedFile = Path.Combine(project, "obj", "lyra-perf", "run-interleaved", "lyra-perf-interleaved.json");
        using (var interleaved = JsonDocument.Parse(File.ReadAllText(interleavedFile)))
        {
            var benchmarks = interleaved.RootElement.GetProperty("benchmarks").EnumerateArray().ToList();
            Assert.Equal(2, benchmarks.Count);
            foreach (var benchmark in benchmarks)
            {
                var passUnits = benchmark.GetProperty("passUnits").EnumerateArray().Select(u => u.GetInt32()).ToList();
                var id = benchmark.GetProperty("id").GetString();
                Assert.True(passUnits.Count >= 1 && passUnits.All(u => u > 0), $"{id}: passUnits [{string.Join(", ", passUnits)}]");
                foreach (var side in new[] { "current", "base" })
                {
                    var units = benchmark.GetProperty(side).GetProperty("nanoseconds").GetArrayLength();
                    Assert.True(passUnits.Sum() == units, $"{id}: passUnits [{string.Join(", ", passUnits)}] do not add up to the {side} side's {units} units");
                }
            }
        }

        // -t:PerfReport renders the reports again from that run's results: A/B against its base side, in units.
        var markdownPath = Path.Combine(project, "bin", "lyra-perf", "perf-report.md");
        var jsonPath = Path.Combine(project, "bin", "lyra-perf", "perf-report.json");
        var gateJson = File.ReadAllText(jsonPath);
        File.Delete(markdownPath);
        File.Delete(jsonPath);
        var report = DotNet.Build(project, "-t:PerfReport");
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.DoesNotMatch(@"error LPG\d{4}", report.Output);
        Assert.DoesNotContain("launch 1 of", report.Output);
        Assert.Contains("interleaved in one process", File.ReadAllText(markdownPath));
        Assert.Contains("centre over units", File.ReadAllText(markdownPath));
        using (var regenerated = JsonDocument.Parse(File.ReadAllText(jsonPath)))
        using (var gated = JsonDocument.Parse(gateJson))
        {
            Assert.Equal("ab", regenerated.RootElement.GetProperty("comparison").GetProperty("mode").GetString());
            Assert.Equal("unit", regenerated.RootElement.GetProperty("comparison").GetProperty("measuringUnit").GetString());
            string Verdicts(JsonDocument d) => string.Join("; ", d.RootElement.GetProperty("benchmarks").EnumerateArray()
                .Select(b => $"{b.GetProperty("id").GetString()} {b.GetProperty("outcome").GetString()} {b.GetProperty("currentLaunches").GetInt32()}/{b.GetProperty("baselineLaunches").GetInt32()}"));
            Assert.Equal(Verdicts(gated), Verdicts(regenerated));
        }

        Assert.Equal(before, State());

        // The processes scheme on the same pair: whole-suite processes alternated per launch.
        var processes = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateBaseRef=HEAD~1", "-p:PerfGateAbScheme=processes");
        Assert.True(processes.ExitCode == 0, processes.ToString());
        Assert.DoesNotMatch(@"error LPG\d{4}", processes.Output);
        Assert.Contains("launch 3 of 3, base", processes.Output);
        Assert.Matches(@"\(base\), launches alternated", processes.Output);
        Assert.False(Directory.Exists(Path.Combine(project, "obj", "lyra-perf", "run-interleaved")), "a processes run replaces the interleaved results");
        Assert.Equal(before, State());

        File.WriteAllText(Path.Combine(project, "Work.cs"), Work(60000, "// A comment only."));
        Git.Run(repo, "commit", "-q", "-am", "Loop does three times the work");
        before = State();
        var slowed = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateBaseRef=HEAD~1");
        Assert.True(slowed.ExitCode != 0, slowed.ToString());
        // At the benchmark method's line (9) in the user's file, not in the base worktree's copy.
        Assert.True(Regex.IsMatch(slowed.Output, @"/Bench/Work\.cs\(9,\d+\): error LPG0101: Critical time regression in E2E\.Work\.Loop: .+ → .+ \(\+\d"), slowed.ToString());
        Assert.DoesNotMatch(@"LPG0101: [A-Za-z]+ time regression in E2E\.Work\.Concat", slowed.Output);
        Assert.Contains("Against the base commit", slowed.Output);
        // Confirmation re-ran the flagged benchmarks only. Loop is always among them; on a loaded runner the 10 ns Concat
        // can be flagged (as a warning) too, and then it must be re-run, otherwise it must not be.
        var toConfirm = Regex.Match(slowed.Output, @"regression\(s\) to confirm by re-running: (?<names>[^\r\n]+)");
        Assert.True(toConfirm.Success, slowed.ToString());
        var flagged = toConfirm.Groups["names"].Value.Split(", ").Select(name => name.Trim()).ToList();
        Assert.Contains("E2E.Work.Loop", flagged);
        var confirmedReport = File.ReadAllText(Path.Combine(project, "obj", "lyra-perf", "confirm-interleaved", "lyra-perf-interleaved.json"));
        Assert.Contains("\"id\": \"E2E.Work.Loop\"", confirmedReport);
        Assert.Equal(flagged.Contains("E2E.Work.Concat"), confirmedReport.Contains("\"id\": \"E2E.Work.Concat\""));
        Assert.Contains("\"phase\": \"confirm\"", confirmedReport);
        Assert.Equal(before, State());
        Assert.Contains("\"comparison\":\"ab\"", File.ReadAllText(Path.Combine(project, "bin", "lyra-perf", "perf-history.jsonl")));
    }

    /// <summary>The base's faults, each its own coded error: a base that does not compile (LPG0334, with the compiler's
    /// first errors and the log), a base without benchmarks (LPG0335), and no git on PATH (LPG0331); the user's
    /// checkout is never written.</summary>
    [Fact]
    public void A_base_that_does_not_build_or_has_no_benchmarks_and_a_machine_without_git_are_each_a_coded_error()
    {
        const string broken = """
            using BenchmarkDotNet.Attributes;

            namespace E2E;

            public class Work
            {
                [Benchmark]
                public int Loop() { return 1 }
            }
            """;
        const string noBenchmarks = """
            namespace E2E;

            public class Work
            {
                public int Loop() => 1;
            }
            """;
        var (workspace, project) = _feed.NewProject("ab-base-faults", "Bench").Source("Work.cs", broken)
            .Property("PerfGateLaunches", "1").Committed("Base: does not compile").Create();
        var repo = workspace.Directory;
        void Commit(string source, string message)
        {
            File.WriteAllText(Path.Combine(project, "Work.cs"), source);
            Git.Run(repo, "commit", "-q", "-am", message);
        }

        Commit(Work(20000), "Fixed");
        var notBuilding = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateBaseRef=HEAD~1");
        Assert.True(notBuilding.ExitCode != 0, notBuilding.ToString());
        Assert.Matches(@"error LPG0334: The base commit's build of Bench\.csproj failed \(dotnet build exited with code 1\): .*Work\.cs\(8,\d+\): error CS1002", notBuilding.Output);
        Assert.Contains(Path.Combine("obj", "lyra-perf", "ab"), notBuilding.Output);
        Assert.DoesNotContain("Running benchmark", notBuilding.Output);
        Assert.Equal("", Git.Run(repo, "status", "--porcelain"));

        Commit(noBenchmarks, "No benchmarks");
        Commit(Work(20000), "Benchmarks again");
        var empty = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateBaseRef=HEAD~1");
        Assert.True(empty.ExitCode != 0, empty.ToString());
        Assert.Contains("error LPG0335: The base commit's build ran no benchmarks", empty.Output);
        Assert.DoesNotContain("error LPG0334", empty.Output);
        Assert.Equal("", Git.Run(repo, "status", "--porcelain"));

        // PATH with dotnet only (a link to the host that runs these tests): the gate cannot start git.
        var bin = Directory.CreateTempSubdirectory("lyra-e2e-no-git-").FullName;
        var dotnet = new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet")))
            .Where(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            .Select(c => new FileInfo(c!))
            .Select(f => f.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? f.FullName)
            .First();
        File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), dotnet);
        Assert.False(File.Exists(Path.Combine(bin, "git")));
        CommandResult noGit;
        try
        {
            noGit = DotNet.Build(project, new Dictionary<string, string> { ["PATH"] = bin }, "-t:PerfGate", "-p:PerfGateBaseRef=HEAD~1");
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }

        Assert.True(noGit.ExitCode != 0, noGit.ToString());
        Assert.Contains("error LPG0331: PerfGateBaseRef needs the git executable, but it could not be started", noGit.Output);
        Assert.DoesNotContain("Running benchmark", noGit.Output);
        Assert.Equal("", Git.Run(repo, "status", "--porcelain"));
    }

    [Fact]
    public void Outside_a_repository_and_with_an_unknown_ref_the_gate_stops_early_with_the_fix()
    {
        var (workspace, project) = _feed.NewProject("ab-errors", "Bench").Source("Work.cs", Work(20000)).Create();

        var notRepo = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateBaseRef=origin/main");
        Assert.True(notRepo.ExitCode != 0, notRepo.ToString());
        Assert.Matches(@"Bench\.csproj : error LPG0330: PerfGateBaseRef=origin/main compares with a commit of the project's git repository", notRepo.Output);
        Assert.DoesNotContain("Running benchmark", notRepo.Output);

        Git.InitAndCommit(workspace.Directory, "only commit");
        var badRef = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateBaseRef=origin/main");
        Assert.True(badRef.ExitCode != 0, badRef.ToString());
        Assert.Matches(@"error LPG0332: PerfGateBaseRef=origin/main does not name a commit", badRef.Output);
        Assert.Contains("git fetch origin main", badRef.Output);
        Assert.Equal("", Git.Run(workspace.Directory, "status", "--porcelain"));
    }
}
