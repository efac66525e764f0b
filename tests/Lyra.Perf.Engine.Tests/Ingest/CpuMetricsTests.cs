using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Tests.Reports;

namespace Lyra.Perf.Engine.Tests.Ingest;

/// <summary>Cores used and other load (the SDK's PerfGateCpuDiagnoser) from BenchmarkDotNet's "Metrics" into the
/// model and the baseline, optional everywhere: older reports and baselines read as before.</summary>
public class CpuMetricsTests
{
    private static string Metric(string id, string value) =>
        $$"""{ "Value": {{value}}, "Descriptor": { "Id": "{{id}}", "DisplayName": "x", "Legend": "", "NumberFormat": "0.00", "UnitType": 0, "Unit": "cores", "TheGreaterTheBetter": false, "PriorityInCategory": 0 } }""";

    /// <summary>A one-benchmark report whose benchmark carries these metrics (BenchmarkDotNet's own come first, as in a real report).</summary>
    private static string Report(params string[] metrics)
    {
        var benchmark = BdnJson.Benchmark("Parallel", new[] { new[] { 10.0, 11, 12 } });
        var all = new[] { Metric("Allocated Memory", "24") }.Concat(metrics);
        return BdnJson.Report(benchmark.Replace("\"Measurements\": [", $"\"Metrics\": [ {string.Join(", ", all)} ],\n  \"Measurements\": ["));
    }

    private static BenchmarkMeasurement Read(string json) =>
        Assert.Single(BenchmarkDotNetReader.ReadReport(Encoding.UTF8.GetBytes(json), "r.json").Benchmarks);

    [Fact]
    public void The_diagnoser_s_metrics_become_the_launch_s_cores_used_and_other_load()
    {
        var benchmark = Read(Report(Metric(BenchmarkDotNetReader.CoresUsedMetric, "1.913"), Metric(BenchmarkDotNetReader.OtherLoadMetric, "0.042")));

        var launch = Assert.Single(benchmark.Launches);
        Assert.Equal(1.913, launch.CoresUsed);
        Assert.Equal(0.042, launch.OtherLoadCores);
        Assert.Equal(1.913, benchmark.CoresUsed);
    }

    [Fact]
    public void Reports_without_them_read_as_not_measured()
    {
        var benchmark = Read(BdnJson.Report(BdnJson.Benchmark("Parallel", new[] { new[] { 10.0, 11, 12 } })));
        Assert.Null(benchmark.CoresUsed);
        Assert.Null(benchmark.OtherLoadCores);

        // Windows and macOS: cores used only.
        var windows = Read(Report(Metric(BenchmarkDotNetReader.CoresUsedMetric, "1")));
        Assert.Equal(1, windows.CoresUsed);
        Assert.Null(windows.OtherLoadCores);
    }

    [Theory]
    [InlineData("-0.5")]
    [InlineData("70000")]
    [InlineData("\"many\"")]
    public void An_impossible_figure_is_LPG0302_at_its_value(string value)
    {
        var json = Report(Metric(BenchmarkDotNetReader.OtherLoadMetric, value));

        var ex = Assert.Throws<GateException>(() => Read(json));

        Assert.Equal(DiagnosticCodes.ResultsUnreadable, ex.Diagnostic.Code);
        Assert.Contains($"'{BenchmarkDotNetReader.OtherLoadMetric}' must be {MeasurementRules.CoreLoadRule}", ex.Diagnostic.Message);
        var line = json.Split('\n')[ex.Diagnostic.Line - 1];
        Assert.Contains(BenchmarkDotNetReader.OtherLoadMetric, line);
        Assert.Equal(value, line.Substring(ex.Diagnostic.Column - 1, value.Length));
    }

    [Fact]
    public void The_sdk_s_diagnoser_writes_the_ids_the_reader_reads()
    {
        var source = File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "Lyra.Perf.Sdk", "Sdk", "PerfGateCpuDiagnoser.cs"));
        Assert.Contains($"CoresUsedId = \"{BenchmarkDotNetReader.CoresUsedMetric}\"", source);
        Assert.Contains($"OtherLoadId = \"{BenchmarkDotNetReader.OtherLoadMetric}\"", source);
        var entryPoint = File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "Lyra.Perf.Sdk", "Sdk", "PerfGateEntryPoint.cs"));
        Assert.Contains("new PerfGateCpuDiagnoser()", entryPoint);
        var targets = File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "Lyra.Perf.Sdk", "Sdk", "Sdk.targets"));
        Assert.Contains("PerfGateCpuDiagnoser.cs", targets);
    }

    [Fact]
    public void The_sdk_s_results_exporter_writes_the_file_the_reader_prefers()
    {
        var source = File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "Lyra.Perf.Sdk", "Sdk", "PerfGateResultsExporter.cs"));
        // BenchmarkDotNet names an export "<title>-report<suffix>.json".
        var suffix = System.Text.RegularExpressions.Regex.Match(source, "const string Suffix = \"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(BenchmarkDotNetReader.GateSuffix, "-report" + suffix + ".json");
        var entryPoint = File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "Lyra.Perf.Sdk", "Sdk", "PerfGateEntryPoint.cs"));
        Assert.Contains("new PerfGateResultsExporter()", entryPoint);
        var targets = File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "Lyra.Perf.Sdk", "Sdk", "Sdk.targets"));
        Assert.Contains("PerfGateResultsExporter.cs", targets);
    }

    private static Baseline BaselineWith(double? cores, double? other) => new()
    {
        RecordedAt = new DateTimeOffset(2026, 12, 2, 0, 30, 0, TimeSpan.Zero),
        Environment = new RunEnvironment { Os = "Linux", LogicalCores = 2 },
        Benchmarks = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal)
        {
            ["Ns.T.Parallel"] = new()
            {
                Measurement = new BenchmarkMeasurement
                {
                    Id = "Ns.T.Parallel", Namespace = "Ns", Type = "T", Method = "Parallel",
                    Launches = new[] { 1.91, 1.87 }.Select(c => new LaunchMeasurement { Samples = new[] { 600.0, 610 }, CoresUsed = cores is null ? null : c, OtherLoadCores = other }).ToList(),
                },
            },
        },
    };

    [Fact]
    public void The_baseline_keeps_them_per_launch_and_reads_them_back()
    {
        var text = BaselineSerializer.Serialize(BaselineWith(1.9, 0.05));

        var read = BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json").Benchmarks["Ns.T.Parallel"].Measurement;

        Assert.Equal(new double?[] { 1.91, 1.87 }, read.Launches.Select(l => l.CoresUsed));
        Assert.All(read.Launches, l => Assert.Equal(0.05, l.OtherLoadCores));
        Assert.Contains("\"coresUsed\": 1.91,", text);
        Assert.Contains("\"otherLoadCores\": 0.05,", text);
        Assert.Equal(text, BaselineSerializer.Serialize(BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json")));
    }

    [Fact]
    public void A_baseline_without_them_writes_and_reads_as_before()
    {
        var text = BaselineSerializer.Serialize(BaselineWith(null, null));

        Assert.DoesNotContain("coresUsed", text);
        Assert.DoesNotContain("otherLoadCores", text);
        Assert.All(BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json").Benchmarks["Ns.T.Parallel"].Measurement.Launches, l => Assert.Null(l.CoresUsed));
    }

    [Theory]
    [InlineData("coresUsed", "-1")]
    [InlineData("otherLoadCores", "1e6")]
    [InlineData("coresUsed", "\"2\"")]
    public void A_baseline_with_an_impossible_figure_is_LPG0301_at_it(string name, string value)
    {
        var text = $"{{\n  \"schemaVersion\": 1,\n  \"benchmarks\": {{\n    \"A\": {{ \"launches\": [ {{ \"{name}\": {value}, \"samplesNs\": [1] }} ] }}\n  }}\n}}";

        var ex = Assert.Throws<GateException>(() => BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json"));

        Assert.Equal(DiagnosticCodes.BaselineUnreadable, ex.Diagnostic.Code);
        Assert.Contains($"'{name}' must be {MeasurementRules.CoreLoadRule}", ex.Diagnostic.Message);
        Assert.Equal(4, ex.Diagnostic.Line);
        Assert.Equal(text.Split('\n')[3].IndexOf(value, StringComparison.Ordinal) + 1, ex.Diagnostic.Column);
    }
}
