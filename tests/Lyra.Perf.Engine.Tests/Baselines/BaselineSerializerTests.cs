using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Tests.Baselines;

public class BaselineSerializerTests
{
    private static Baseline Sample() => new()
    {
        RecordedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
        Commit = "abc123",
        Tool = "Lyra.Perf 1.0.0",
        Environment = new RunEnvironment { Os = "Linux", Cpu = "CPU X", LogicalCores = 2, Runtime = ".NET 10", Architecture = "X64", BenchmarkDotNetVersion = "0.15.8", Job = "IterationCount=5" },
        Benchmarks = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal)
        {
            ["Ns.B.Second(N: 1)"] = Entry("Ns.B.Second(N: 1)", "Second", "N=1", new[] { 100.123456789, 101.5 }, new[] { 99.0 }),
            ["Ns.A.First"] = Entry("Ns.A.First", "First", null, new[] { 0.000123456789, 12345678.9 }),
        },
    };

    private static BaselineEntry Entry(string id, string method, string? parameters, params double[][] launches) => new()
    {
        Measurement = new BenchmarkMeasurement
        {
            Id = id, Namespace = "Ns", Type = id.Split('.')[1], Method = method, Parameters = parameters,
            Launches = launches.Select(s => new LaunchMeasurement { Samples = s, AllocatedBytesPerOperation = 24, Gen0PerThousandOps = 0.5 }).ToList(),
        },
    };

    [Fact]
    public void Round_trips_every_launch_and_the_environment()
    {
        var text = BaselineSerializer.Serialize(Sample());

        var read = BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json");

        Assert.Equal(Sample().Environment, read.Environment);
        Assert.Equal("abc123", read.Commit);
        Assert.Equal(Sample().RecordedAt, read.RecordedAt);
        var second = read.Benchmarks["Ns.B.Second(N: 1)"].Measurement;
        Assert.Equal(2, second.Launches.Count);
        Assert.Equal(new[] { 100.123, 101.5 }, second.Launches[0].Samples); // six significant digits
        Assert.Equal("Ns.B", second.QualifiedType);
        Assert.Equal("N=1", second.Parameters);
        Assert.Equal(24, second.AllocatedBytesPerOperation);
    }

    [Fact]
    public void Output_is_deterministic_sorted_and_one_line_per_launch()
    {
        var first = BaselineSerializer.Serialize(Sample());
        var again = BaselineSerializer.Serialize(BaselineSerializer.Parse(Encoding.UTF8.GetBytes(first), "b.json") with { Tool = "Lyra.Perf 1.0.0" });

        Assert.Equal(first, again);
        Assert.True(first.IndexOf("\"Ns.A.First\"", StringComparison.Ordinal) < first.IndexOf("\"Ns.B.Second(N: 1)\"", StringComparison.Ordinal));
        Assert.Contains("\"samplesNs\": [0.000123457, 12345700]", first);
        Assert.DoesNotContain("\r", first);
        Assert.EndsWith("}\n", first);
    }

    [Fact]
    public void Launches_from_several_recording_runs_keep_their_run_and_the_summary_counts_runs()
    {
        var entries = new SortedDictionary<string, BaselineEntry>(Sample().Benchmarks.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        var entry = entries["Ns.B.Second(N: 1)"];
        var launches = entry.Measurement.Launches.Select((l, i) => l with { Session = i == 0 ? "2026-11-20T08:00:00Z" : "2026-11-27T10:00:00Z" }).ToList();
        entries["Ns.B.Second(N: 1)"] = entry with { Measurement = entry.Measurement with { Launches = launches } };
        var sample = Sample() with { Benchmarks = entries };

        var text = BaselineSerializer.Serialize(sample);
        var read = BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json");

        Assert.Equal(new[] { "2026-11-20T08:00:00Z", "2026-11-27T10:00:00Z" }, read.Benchmarks["Ns.B.Second(N: 1)"].Measurement.Launches.Select(l => l.Session));
        Assert.All(read.Benchmarks["Ns.A.First"].Measurement.Launches, l => Assert.Null(l.Session));
        Assert.Contains("\"runs\": 2,", text);
        Assert.Single(text.Split('\n'), l => l.Contains("\"runs\"")); // only the benchmark recorded in several runs says so
        Assert.Equal(text, BaselineSerializer.Serialize(read));
    }

    [Theory]
    [InlineData("", 1, 1, "not valid JSON")]
    [InlineData("{\n  \"schemaVersion\": 1,\n  \"benchmarks\": {\n    \"A\": { \"launches\": [ { \"samplesNs\": [1, -2] } ] }\n  }\n}", 4, 45, "non-negative")]
    [InlineData("{\n  \"benchmarks\": {}\n}", 1, 1, "'schemaVersion' is missing")]
    [InlineData("{\n  \"schemaVersion\": 2,\n  \"benchmarks\": {}\n}", 2, 20, "newer than this Lyra.Perf")]
    [InlineData("{\n  \"schemaVersion\": 1,\n  \"benchmarks\": {\n    \"A\": { \"launches\": [] }\n  }\n}", 4, 24, "non-empty array")]
    [InlineData("{\n  \"schemaVersion\": 1,\n  \"recordedAt\": \"yesterday\",\n  \"benchmarks\": {}\n}", 3, 17, "ISO 8601")]
    [InlineData("[1, 2]", 1, 1, "must be a JSON object")]
    [InlineData("{\n  \"schemaVersion\": 1,\n  \"benchmarks\": {\n    \"A\": { \"launches\": [ { \"recordedAt\": 5, \"samplesNs\": [1] } ] }\n  }\n}", 4, 42, "a launch's 'recordedAt' must be an ISO 8601 time")]
    public void Bad_baselines_are_LPG0301_at_the_offending_line_and_column(string text, int line, int column, string message)
    {
        var ex = Assert.Throws<GateException>(() => BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json"));

        Assert.Equal(DiagnosticCodes.BaselineUnreadable, ex.Diagnostic.Code);
        Assert.Equal(DiagnosticLevel.Error, ex.Diagnostic.Level);
        Assert.Equal("b.json", ex.Diagnostic.File);
        Assert.Equal((line, column), (ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains(message, ex.Diagnostic.Message);
    }

    [Fact]
    public void Each_entry_remembers_its_line_for_diagnostics()
    {
        var text = BaselineSerializer.Serialize(Sample());
        var read = BaselineSerializer.Parse(Encoding.UTF8.GetBytes(text), "b.json");
        var lines = text.Split('\n');

        var entry = read.Benchmarks["Ns.B.Second(N: 1)"];

        Assert.Contains("\"Ns.B.Second(N: 1)\": {", lines[entry.Line - 1]);
    }
}
