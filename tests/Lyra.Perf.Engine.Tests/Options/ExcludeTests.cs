using System;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Running;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Options;

/// <summary>PerfGateExclude: PerfGateFilter's globs, for benchmarks that cannot run here; excluded ones are neither run
/// (the entry point drops them) nor judged, and never reported as removed.</summary>
public sealed class ExcludeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static BenchmarkMeasurement Quiet(string id, int seed) => Measure(id, 1000, 8, seed, launchSpread: 0.005, iterationSpread: 0.005);

    [Theory]
    [InlineData("*Native*", "Ns.T.NativeHash(N: 16)", true)]
    [InlineData("*Native*", "Ns.T.Managed(N: 16)", false)]
    [InlineData("*Hash*(N: 1024)", "Ns.T.Hash(N: 1024)", true)]
    [InlineData("*Hash*(N: 1024)", "Ns.T.Hash(N: 16)", false)]
    [InlineData("Ns.Gpu.*;*Native*", "Ns.Gpu.Kernel", true)]
    [InlineData("Ns.Gpu.*;*Native*", "Ns.Cpu.NativeLoop", true)]
    [InlineData("Ns.T.Hash", "Ns.T.Hash(N: 16) [ShortRun]", true)]
    [InlineData("", "Ns.T.Hash", false)]
    [InlineData("  ", "Ns.T.Hash", false)]
    public void Exclude_uses_the_filters_globs_and_excludes_nothing_when_empty(string exclude, string id, bool excluded)
    {
        Assert.Equal(excluded, BenchmarkNames.Excludes(exclude, id));
        Assert.Equal(!excluded, new GateOptions { Exclude = exclude }.Selects(id));
    }

    [Fact]
    public void An_excluded_baseline_benchmark_is_not_reported_as_removed_and_an_excluded_run_is_no_whole_suite()
    {
        var baseline = BaselineOf(Quiet("Ns.T.Kept", 1), Quiet("Ns.T.NativeOnly", 3), Quiet("Ns.T.Gone", 5));
        var run = RunOf(Quiet("Ns.T.Kept", 2));
        var options = new GateOptions { Exclude = "*Native*" };

        var result = new Gate().Evaluate(baseline, "perf-baseline.json", run, options, Now);

        var removed = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.BenchmarkRemoved).ToList();
        Assert.Contains(removed, d => d.Message.Contains("Ns.T.Gone", StringComparison.Ordinal));
        Assert.DoesNotContain(removed, d => d.Message.Contains("NativeOnly", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verdicts, v => v.Id == "Ns.T.NativeOnly");
        Assert.False(options.WholeSuite);
        Assert.True(new GateOptions().WholeSuite);
    }

    [Fact]
    public void The_setting_is_in_the_table_with_an_empty_default()
    {
        Assert.Contains(Settings.Exclude, Settings.All);
        Assert.Equal("", Settings.Exclude.DefaultValue);
        Assert.Equal("*Native*;*Gpu*", Settings.Exclude.Parse(" *Native*;*Gpu* "));
    }
}
