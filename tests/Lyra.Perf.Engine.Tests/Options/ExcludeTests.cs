using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;
using Lyra.Perf.Engine.Running;
using Lyra.Perf.Engine.Sharding;
using Lyra.Perf.Engine.Tests.Reports;
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
    public void The_json_report_lists_the_exclusion_patterns_and_the_baseline_benchmarks_they_left_out()
    {
        var baseline = BaselineOf(Quiet("Ns.T.Kept", 1), Quiet("Ns.T.NativeOnly", 3), Quiet("Ns.T.NativeToo", 4), Quiet("Ns.T.Gone", 5), Quiet("Other.NativeLoop", 7));
        var run = RunOf(Quiet("Ns.T.Kept", 2));
        var options = new GateOptions { Filter = "Ns.*", Exclude = "*Native*;*Gpu*" };

        var result = new Gate().Evaluate(baseline, "perf-baseline.json", run, options, Now);

        // Removed (Gone) and filtered out (Other.*) are not exclusions.
        Assert.Equal(new[] { "Ns.T.NativeOnly", "Ns.T.NativeToo" }, result.Excluded);
        using var report = JsonDocument.Parse(JsonReportWriter.Write(new ReportContext { Result = result, Run = run, Baseline = baseline, Options = options }));
        Assert.Equal("*Native*;*Gpu*", report.RootElement.GetProperty("settings").GetProperty("exclude").GetString());
        Assert.Equal(new[] { "Ns.T.NativeOnly", "Ns.T.NativeToo" }, report.RootElement.GetProperty("excluded").EnumerateArray().Select(e => e.GetString()));
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "docs", "perf-report.schema.json")));
        var errors = SchemaValidator.Validate(schema.RootElement, report.RootElement);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // A shard lists it too: no shard's plan holds an excluded benchmark, so it is the exclusion that left it out.
        var shard = new ShardManifest { Shard = new ShardSpec(1, 2), Assignment = new Dictionary<string, int> { ["Ns.T.Kept"] = 1 } };
        Assert.True((options with { Shard = shard }).Excludes("Ns.T.NativeOnly"));
        Assert.False((options with { Shard = shard }).Excludes("Ns.T.Gone"));
    }

    [Fact]
    public void The_setting_is_in_the_table_with_an_empty_default()
    {
        Assert.Contains(Settings.Exclude, Settings.All);
        Assert.Equal("", Settings.Exclude.DefaultValue);
        Assert.Equal("*Native*;*Gpu*", Settings.Exclude.Parse(" *Native*;*Gpu* "));
    }
}
