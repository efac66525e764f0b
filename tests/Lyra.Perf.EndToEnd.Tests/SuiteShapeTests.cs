using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>Suites as users bring them (issue #10): each situation in a fresh project of our own, combined into few runs.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class SuiteShapeTests
{
    /// <summary>`dotnet new console` shape: implicit usings (List, Enumerable), no Main, [Params]; LYRA_E2E_SLOW plants a slowdown.</summary>
    private const string Hashing = """
        using BenchmarkDotNet.Attributes;

        namespace E2E;

        [MemoryDiagnoser]
        public class Hashing
        {
            private static readonly double Slow = double.Parse(Environment.GetEnvironmentVariable("LYRA_E2E_SLOW") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            private List<int> _seeds = new();
            private int _count;

            [Params(16, 64)]
            public int N;

            [GlobalSetup]
            public void Setup()
            {
                _seeds = Enumerable.Range(1, 3).ToList();
                _count = (int)(N * 1000 * Slow);
            }

            [Benchmark]
            public int Hash()
            {
                var hash = _seeds[0];
                for (var i = 0; i < _count; i++)
                {
                    hash += i * 7 % 13;
                }

                return hash;
            }
        }
        """;

    private readonly SdkFeed _feed;

    public SuiteShapeTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void A_console_project_with_implicit_usings_and_TargetFrameworks_gates_and_a_slowdown_in_a_filtered_parameter_subset_still_fails()
    {
        var project = _feed.NewProject("console", "Console").Source("Hashing.cs", Hashing)
            .Property("ImplicitUsings", "enable").Property("TargetFrameworks", "net10.0").Property("PerfGateFailOn", "Critical")
            // Past tier-up (FACTS: few warmups leak slow iterations), and three launches: with two, one launch slowed
            // by the busy machine can leave even an 8x slowdown undecided (t with 1 degree of freedom).
            .Property("PerfGateWarmupCount", "8").Property("PerfGateLaunches", "3")
            .Create().Directory;

        // The README's scenario: only benchmark classes, implicit usings; a plain build works and its no-op rebuild
        // neither runs the entry-point detection nor loads the task assembly.
        var plain = DotNet.Build(project);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        var again = DotNet.Build(project, "-v:d");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Skipping target \"_PerfGateDetectEntryPoint\" because all output files are up-to-date", again.Output);
        Assert.DoesNotContain("Lyra.Perf.Tasks.dll", again.Output);

        var baseline = DotNet.Build(project, "-t:PerfBaseline");
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        Assert.DoesNotContain("MSB4057", baseline.Output);
        var baselineText = File.ReadAllText(Path.Combine(project, "perf-baseline.json"));
        Assert.Contains("\"E2E.Hashing.Hash(N: 16)\"", baselineText);
        Assert.Contains("\"E2E.Hashing.Hash(N: 64)\"", baselineText);

        // A subset of the parameters, written as a user writes it (a space inside), with a planted 16x slowdown.
        var slow = new Dictionary<string, string> { ["LYRA_E2E_SLOW"] = "16" };
        var slowed = DotNet.Build(project, slow, "-t:PerfGate", "-p:PerfGateFilter=*Hash*(N: 16)");
        Assert.True(slowed.ExitCode != 0, slowed.ToString());
        Assert.Matches(@"error LPG0101: Critical time regression in E2E\.Hashing\.Hash\(N: 16\)", slowed.Output);
        Assert.DoesNotContain("LPG0205", slowed.Output); // the parameter subset is the same environment
        Assert.DoesNotContain("Hash(N: 64)", slowed.Output.Replace("\"E2E.Hashing.Hash(N: 64)\"", ""));
        // Confirmation re-ran exactly the flagged benchmark and parameter value.
        var confirmed = File.ReadAllText(Directory.GetFiles(Path.Combine(project, "obj", "lyra-perf", "confirm-1"), "*-report-full.json", SearchOption.AllDirectories).Single());
        Assert.Contains("Hash(N: 16)", confirmed);
        Assert.DoesNotContain("Hash(N: 64)", confirmed);

        // The printed accept command runs as printed in bash, and then the slowed code passes.
        var accept = Regex.Match(slowed.Output, @"accept it with (dotnet build -t:PerfBaseline '[^']+')");
        Assert.True(accept.Success, slowed.ToString());
        var accepted = DotNet.Bash(project, accept.Groups[1].Value + " -tl:off -nologo", slow);
        Assert.True(accepted.ExitCode == 0, accepted.Output);
        Assert.DoesNotContain("LPG0305", accepted.Output);
        var passes = DotNet.Build(project, slow, "-t:PerfGate", "-p:PerfGateFilter=*Hash*(N: 16)");
        Assert.True(passes.ExitCode == 0, passes.ToString());

        // A filter that matches nothing lists what exists.
        var none = DotNet.Build(project, "-t:PerfGate", "-p:PerfGateFilter=*Hash64*");
        Assert.True(none.ExitCode != 0, none.ToString());
        Assert.Matches(@"error LPG0305: PerfGateFilter '\*Hash64\*' selects no benchmark\. It has 1: E2E\.Hashing\.Hash\.", none.Output);
    }

    [Fact]
    public void A_realistic_suite_gates_once_per_benchmark_with_the_gates_job_and_its_printed_commands_run_as_printed()
    {
        var fixture = Path.Combine(_feed.RepositoryRoot, "tests", "Fixtures", "RealisticSuite");
        var sources = Directory.GetFiles(fixture, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var project = _feed.NewProject("realistic", "Realistic").Sources(sources).Property("ImplicitUsings", "enable").Property("PerfGateFailOn", "None").Create().Directory;
        var baselinePath = Path.Combine(project, "perf-baseline.json");

        // Record every class but Parsing ('%3B' is MSBuild's escape for the ';' between globs).
        var recorded = DotNet.Build(project, "-t:PerfBaseline", "-p:PerfGateFilter=E2E.Suite.F*%3BE2E.Suite.G*%3BE2E.Suite.D*");
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        // Class-level jobs are left out, said once; every benchmark is measured once, with the gate's job.
        Assert.Contains("measured with the gate's job only; left out the job(s) declared on classes: Quick of E2E.Suite.Declared; ShortRun of E2E.Suite.Formatting.", recorded.Output);
        var baseline = File.ReadAllText(baselinePath);
        Assert.DoesNotContain("ShortRun", baseline);
        Assert.Equal(5, Regex.Matches(baseline, "\"samplesNs\"").Count / 2); // 5 benchmarks × 2 launches
        Assert.DoesNotContain("E2E.Suite.Parsing", baseline);

        // The whole suite: the Parsing cases ([Arguments] with a comma and a space) are new, each with a command to record it.
        var gate = DotNet.Build(project, "-t:PerfGate");
        Assert.True(gate.ExitCode == 0, gate.ToString());
        Assert.DoesNotContain("LPG0205", gate.Output);
        var commands = Regex.Matches(gate.Output, @"warning LPG0204: Benchmark E2E\.Suite\.Parsing\.Split\(.*?record it with (dotnet build -t:PerfBaseline '[^']+')")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(2, commands.Count);
        foreach (var command in commands)
        {
            var run = DotNet.Bash(project, command + " -tl:off -nologo");
            Assert.True(run.ExitCode == 0, command + "\n" + run.Output);
        }

        var complete = File.ReadAllText(baselinePath);
        Assert.Equal(7, Regex.Matches(complete, "\"samplesNs\"").Count / 2);
        Assert.Contains("E2E.Suite.Parsing.Split(count: 1, text: ", complete);
        Assert.Contains("E2E.Suite.Parsing.Split(count: 2, text: ", complete);
    }
}
