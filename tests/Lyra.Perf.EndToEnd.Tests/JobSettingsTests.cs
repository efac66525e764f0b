using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>Jobs as suites declare them (issue #10 items 7, 8, 11): a class-level [Config] job, a [GcServer(true)] class
/// and a benchmark that cannot run here, in one fresh project, two short runs.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class JobSettingsTests
{
    private const string Sources = """
        using System;
        using System.IO;
        using System.Linq;
        using BenchmarkDotNet.Attributes;
        using BenchmarkDotNet.Configs;
        using BenchmarkDotNet.Jobs;
        using BenchmarkDotNet.Toolchains.InProcess.Emit;

        namespace E2E.Jobs;

        // A class-level config that adds a job of its own (in process, so the test stays fast).
        [Config(typeof(QuickConfig))]
        public class Declared
        {
            private readonly int[] _values = Enumerable.Range(0, 64).ToArray();

            [Benchmark]
            public int Sum() => _values.Sum();

            private sealed class QuickConfig : ManualConfig
            {
                public QuickConfig() => AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick"));
            }
        }

        // Server GC is chosen when a process starts: the benchmark writes what its process really has.
        [GcServer(true)]
        public class ServerGc
        {
            [GlobalSetup]
            public void Setup() => File.WriteAllText(Environment.GetEnvironmentVariable("LYRA_E2E_GC_FILE")!, System.Runtime.GCSettings.IsServerGC.ToString());

            [Benchmark]
            public byte[] Allocate() => new byte[64];
        }

        // A job's environment variables (a runtime knob, a library's switch) are read when the process starts too.
        public sealed class EnvAttribute : JobMutatorConfigBaseAttribute
        {
            public EnvAttribute() : base(Job.Default.WithEnvironmentVariables(new EnvironmentVariable("LYRA_E2E_ENV", "a b;c"))) { }
        }

        [Env]
        public class WithEnv
        {
            [GlobalSetup]
            public void Setup() => File.WriteAllText(Environment.GetEnvironmentVariable("LYRA_E2E_GC_FILE")! + ".env", Environment.GetEnvironmentVariable("LYRA_E2E_ENV") ?? "unset");

            [Benchmark]
            public int Read() => 1;
        }

        // Needs what this machine does not have: running it fails the build (LPG0303).
        public class Skipped
        {
            [GlobalSetup]
            public void Setup() => throw new PlatformNotSupportedException("a platform-only native dependency");

            [Benchmark]
            public int NativeOnly() => 1;
        }
        """;

    private readonly SdkFeed _feed;

    public JobSettingsTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void Declared_jobs_are_left_out_unless_asked_for_GcServer_runs_in_a_server_GC_process_and_excluded_benchmarks_never_run()
    {
        var project = _feed.NewProject("jobs", "Jobs").Source("Jobs.cs", Sources).Property("PerfGateLaunches", "1").Property("PerfGateExclude", "*NativeOnly*").Create().Directory;
        var gcFile = Path.Combine(project, "gc.txt");
        var environment = new Dictionary<string, string> { ["LYRA_E2E_GC_FILE"] = gcFile };

        var recorded = DotNet.Build(project, environment, "-t:PerfBaseline");
        Assert.True(recorded.ExitCode == 0, recorded.ToString());

        // Item 11: one line up front says how long the run takes; progress lines give elapsed and remaining time.
        Assert.Matches(@"Lyra\.Perf: 3 benchmarks × 1 launch ≈ \d+ s \(a first estimate from the job's shape: no baseline times yet\)\.", recorded.Output);
        Assert.Matches(@"Running benchmark 2 of 3: ServerGc\.Allocate \(launch 1 of 1\) · 0:\d\d elapsed, about \d+ s left", recorded.Output);

        // Item 11: the excluded benchmark did not run (its set-up would have thrown) and is listed once.
        Assert.Single(Regex.Matches(recorded.Output, "PerfGateExclude left out 1 benchmark\\(s\\), not run and not judged: E2E\\.Jobs\\.Skipped\\.NativeOnly\\."));
        Assert.DoesNotContain("LPG0303", recorded.Output);
        var baseline = File.ReadAllText(Path.Combine(project, "perf-baseline.json"));
        Assert.DoesNotContain("NativeOnly", baseline);

        // Item 7: the class's own job was left out and said once; Sum was measured once, with the gate's job.
        Assert.Single(Regex.Matches(recorded.Output, "left out the job\\(s\\) declared on classes: Quick of E2E\\.Jobs\\.Declared\\."));
        Assert.Contains("\"E2E.Jobs.Declared.Sum\"", baseline);
        Assert.DoesNotContain("Quick", baseline);

        // Item 8: the [GcServer(true)] class ran in a process started with server GC, and only so is it recorded.
        Assert.Equal("True", File.ReadAllText(gcFile));
        Assert.Contains("\"E2E.Jobs.ServerGc.Allocate\"", baseline);
        // The fingerprint holds every job: the server-GC class's, the environment class's and the gate's own.
        Assert.Matches("\"job\": \"[^\"]*Server=True, Toolchain=InProcessEmitToolchain[^\"|]* \\| Toolchain=InProcessEmitToolchain", baseline);
        Assert.Equal("a b;c", File.ReadAllText(gcFile + ".env"));
        Assert.Contains("EnvironmentVariables=LYRA_E2E_ENV=a b;c, Toolchain=InProcessEmitToolchain", baseline);
        Assert.DoesNotContain("LPG0210", recorded.Output);

        // Item 7: PerfGateJob=Declared measures the declared job too.
        File.Delete(gcFile);
        var declared = DotNet.Build(project, environment, "-t:PerfGate", "-p:PerfGateJob=Declared", "-p:PerfGateFilter=*Declared*");
        Assert.True(declared.ExitCode == 0, declared.ToString());
        Assert.DoesNotContain("left out the job(s) declared", declared.Output);
        var report = File.ReadAllText(Directory.GetFiles(Path.Combine(project, "obj", "lyra-perf", "run-1"), "*Declared-report-full.json", SearchOption.AllDirectories).Single());
        Assert.Equal(2, Regex.Matches(report, "\"FullName\": ?\"E2E\\.Jobs\\.Declared\\.Sum\"").Count);
        Assert.Contains("Quick", report);
        Assert.False(File.Exists(gcFile)); // the filter left ServerGc out
    }
}
