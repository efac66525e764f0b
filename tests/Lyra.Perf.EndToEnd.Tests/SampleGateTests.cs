using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>The README's main command, with the documented regression switch: the gate must fail at the benchmark.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class SampleGateTests
{
    private readonly SdkFeed _feed;

    public SampleGateTests(SdkFeed feed) => _feed = feed;

    /// <summary>
    /// What holds on any machine load: the switch takes the cache away, so CacheHit does Recompute's work and more
    /// (×50 its committed 1.2 µs, Critical, LPG0101 at its source), and the claim "CacheHit ≥ 1.2× Recompute" is read
    /// near 1× instead of ×50. What does not: whether that reading falls below 1.2×. The claim compares two benchmarks
    /// measured seconds apart (and CacheHit again in its confirmation launches), and under load single-threaded
    /// allocating benchmarks move unevenly by more than the 1.2/0.9 margin (docs/verdict-quality.md, "Overloaded
    /// runner": Recompute ×5.74 while the suite stayed near 1). So the test asserts that the factor collapsed, far
    /// beyond any such move, and that the gate's claim verdict, its LPG0103 and its exit code agree with the factor it
    /// read; not that the reading is below 1.2× on every run.
    /// </summary>
    [Fact]
    public void The_sample_gate_fails_at_the_cache_benchmark_when_the_regression_is_injected()
    {
        var sample = Path.Combine(_feed.RepositoryRoot, "samples", "Lyra.Core.Benchmarks");
        var baseline = Path.Combine(sample, "perf-baseline.json");
        var committed = File.ReadAllBytes(baseline);
        var reports = Path.Combine(_feed.Root, "sample-reports");

        // Only the cache benchmarks: the switch bypasses the cache, nothing else. Allocations gate on any machine; the
        // time regression may be downgraded (LPG0205) where the machine differs from the baseline's.
        var result = DotNet.Build(sample, "-t:PerfGate", "-p:LyraInjectRegression=true", "-p:PerfGateFilter=*CacheBenchmarks*",
            "-p:PerfGateLaunches=2", "-p:PerfGateReportDirectory=" + reports + "/",
            "-p:PerfGateArtifactsDirectory=" + Path.Combine(_feed.Root, "sample-artifacts") + "/");

        var regression = Regex.Match(result.Output, @"CacheBenchmarks\.cs\(\d+,\d+\): (?<level>error|warning) LPG0101: Critical time regression in Lyra\.Core\.Benchmarks\.CacheBenchmarks\.CacheHit");
        Assert.True(regression.Success, result.ToString());

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, "perf-report.json")));
        var claim = report.RootElement.GetProperty("claims").EnumerateArray()
            .Single(c => c.GetProperty("subject").GetString() == "Lyra.Core.Benchmarks.CacheBenchmarks.CacheHit");
        var speedup = claim.GetProperty("measuredSpeedup").GetDouble();
        var required = claim.GetProperty("requiredSpeedup").GetDouble();
        Assert.Equal(1.2, required);
        // Committed: 1.24 µs vs 61.8 µs, ×50. Injected, CacheHit re-evaluates and re-inserts: about ×0.9. No uneven
        // load seen on this machine kind (×5.74 at worst) brings a reading of ×0.9 to ×10.
        Assert.True(speedup < 10, $"CacheHit measured {speedup:0.00}× faster than Recompute: the cache still hits\n{result}");

        var claimError = new Regex(@"CacheBenchmarks\.cs\(\d+,\d+\): error LPG0103: Claim not met: Lyra\.Core\.Benchmarks\.CacheBenchmarks\.CacheHit");
        Assert.Equal(speedup < required, !claim.GetProperty("met").GetBoolean());
        Assert.True(claimError.IsMatch(result.Output) == speedup < required, $"claim read {speedup:0.00}× (required {required}×)\n{result}");

        // The build fails at the benchmark: the Critical regression is an error wherever the machine matches the
        // baseline's (LPG0205 downgrades it elsewhere), whatever the claim read. The exit code and the report's status
        // are exactly the errors the gate logged.
        if (!result.Output.Contains("LPG0205"))
        {
            Assert.True(regression.Groups["level"].Value == "error", result.ToString());
        }

        var failed = Regex.IsMatch(result.Output, @": error LPG\d{4}:");
        Assert.True((result.ExitCode != 0) == failed, result.ToString());
        Assert.True(failed || (result.Output.Contains("LPG0205") && speedup >= required), result.ToString());
        Assert.Equal(failed ? "failed" : "passed", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(committed, File.ReadAllBytes(baseline));
    }
}
