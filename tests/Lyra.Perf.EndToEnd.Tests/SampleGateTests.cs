using System.IO;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>The README's main command, with the documented regression switch: the gate must fail at the benchmark.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class SampleGateTests
{
    private readonly SdkFeed _feed;

    public SampleGateTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void The_sample_gate_fails_at_the_cache_benchmark_when_the_regression_is_injected()
    {
        var sample = Path.Combine(_feed.RepositoryRoot, "samples", "Lyra.Core.Benchmarks");
        var baseline = Path.Combine(sample, "perf-baseline.json");
        var committed = File.ReadAllBytes(baseline);

        // Only the cache benchmarks: the switch bypasses the cache, nothing else. Claims and allocations gate on any
        // machine; the time regression may be downgraded (LPG0205) where the machine differs from the baseline's.
        var result = DotNet.Build(sample, "-t:PerfGate", "-p:LyraInjectRegression=true", "-p:PerfGateFilter=*CacheBenchmarks*",
            "-p:PerfGateLaunches=2", "-p:PerfGateReportDirectory=" + Path.Combine(_feed.Root, "sample-reports") + "/",
            "-p:PerfGateArtifactsDirectory=" + Path.Combine(_feed.Root, "sample-artifacts") + "/");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Matches(new Regex(@"CacheBenchmarks\.cs\(\d+,\d+\): error LPG0103: Claim not met: Lyra\.Core\.Benchmarks\.CacheBenchmarks\.CacheHit"), result.Output);
        Assert.Matches(new Regex(@"CacheBenchmarks\.cs\(\d+,\d+\): (error|warning) LPG0101: Critical time regression in Lyra\.Core\.Benchmarks\.CacheBenchmarks\.CacheHit"), result.Output);
        Assert.Equal(committed, File.ReadAllBytes(baseline));
    }
}
