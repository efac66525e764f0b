using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Ingest;

namespace Lyra.Perf.Engine.Tests.Ingest;

/// <summary>The tree-less report reader must read exactly what the tree reader reads, the same way, and hand
/// everything else over: real and built reports, and seeded mutations of them, each compared with the tree reader.</summary>
public sealed class ReportStreamReaderTests
{
    private static readonly string[] Tokens =
    {
        "\"FullName\":\"Ns.Type.X\",", "\"FullName\":5,", "\"FullName\":\"\",", "\"Statistics\":null,", "\"Statistics\":{},", "\"Memory\":null,", "\"Memory\":[],",
        "\"BytesAllocatedPerOperation\":-1,", "\"BytesAllocatedPerOperation\":1e400,", "\"BytesAllocatedPerOperation\":\"\",", "\"TotalOperations\":0,", "\"TotalOperations\":1e-320,",
        "\"Gen0Collections\":1e308,", "\"Operations\":1e-320,", "\"Operations\":0,", "\"Nanoseconds\":-5,", "\"Nanoseconds\":1e308,", "\"LaunchIndex\":1e12,", "\"LaunchIndex\":-2.5,", "\"LaunchIndex\":\"1\",",
        "\"IterationStage\":\"Result\",", "\"IterationStage\":\"Actual\",", "\"IterationMode\":\"Workload\",", "\"IterationMode\":\"Overhead\",", "\"IterationStage\":5,",
        "\"OriginalValues\":[1,-1,\"x\",[2]],", "\"OriginalValues\":{},", "\"Measurements\":{},", "\"Measurements\":[],", "\"Metrics\":{},",
        "\"Metrics\":[{\"Value\":2,\"Descriptor\":{\"Id\":\"Lyra.Perf.CoresUsed\"}}],", "\"Metrics\":[{\"Value\":-1,\"Descriptor\":{\"Id\":\"Lyra.Perf.OtherLoad\"}}],", "\"Metrics\":[5,{\"Descriptor\":7}],",
        "\"LogicalCoreCount\":1.5,", "\"LogicalCoreCount\":\"2\",", "\"HostEnvironmentInfo\":5,", "\"Benchmarks\":{},", "\"DisplayInfo\":\"T.M: Job-X(Toolchain=InProcessEmitToolchain, Server=True)\",",
        "\"Parameters\":\"N=2\",", "\"Parameters\":7,", "\"Type\":null,", "\"Method\":[],", "\"Namespace\":{},",
        "\"extra\":{},", "\"extra\":\"\\ud800\",", "\"e\\u0078tra\":1,", "\"x\":1,\"x\":2,", "\\ud800", "\\u0069", "null", "true", "-0", "1e-320", "[]", "{}", ",", ":", "\"", "/*c*/", "\uFEFF", "\u00e9",
    };

    private static IReadOnlyList<byte[]> Seeds() => new[]
    {
        BdnJson.Report(BdnJson.Benchmark("A", new[] { new[] { 10.0, 11, 12 }, new[] { 10.5 } }), BdnJson.Benchmark("B", new[] { new[] { 1.0, 2 } }, parameters: "N=1")),
        BdnJson.Report(BdnJson.Benchmark("F", new[] { new[] { 1.0 } }, failed: true), BdnJson.Benchmark("G", new[] { new[] { 3.0 } }, allocated: 0)),
        // Two jobs of one class: the same FullName twice, told apart by the jobs' settings.
        BdnJson.Report(BdnJson.Benchmark("J", new[] { new[] { 5.0 } }), BdnJson.Benchmark("J", new[] { new[] { 6.0 } }, job: "Job-QWERTY(IterationCount=7)")),
        // A brief export: no measurements, the statistics' own values.
        BdnJson.Report(BdnJson.Benchmark("Brief", Array.Empty<double[]>())),
        // An in-process job with a start-up setting it cannot apply.
        BdnJson.Report(BdnJson.Benchmark("S", new[] { new[] { 2.0 } }, job: "Job-ABCDEF(Toolchain=InProcessEmitToolchain, Server=True, IterationCount=5)")),
        // The SDK's CPU metrics, after BenchmarkDotNet's own; names with escapes and non-ASCII text.
        BdnJson.Report(BdnJson.Benchmark("C\\u0041", new[] { new[] { 4.0 } }, parameters: "text=\\\"é\\\"").Replace("\"Measurements\": [",
            "\"Metrics\": [ { \"Value\": 24, \"Descriptor\": { \"Id\": \"Allocated Memory\" } }, { \"Value\": 1.5, \"Descriptor\": { \"Id\": \"Lyra.Perf.CoresUsed\" } }, { \"Value\": 0.25, \"Descriptor\": { \"Id\": \"Lyra.Perf.OtherLoad\" } } ],\n\"Measurements\": [")),
    }.Select(s => Encoding.UTF8.GetBytes(s)).Append(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "NoiseSuite.StringBenchmarks-report-full.json"))).ToList();

    [Fact]
    public void Every_report_is_read_without_the_tree_to_the_same_result()
    {
        foreach (var seed in Seeds())
        {
            var tree = BenchmarkDotNetReader.ReadReport(seed, "r-report-full.json", streamed: false);
            var streamed = ReportStreamReader.TryRead(seed, seed.Length, "r-report-full.json", processSettingsApplied: false);
            Assert.NotNull(streamed);
            Assert.Equal(Describe(tree), Describe(streamed!));

            var applied = ReportStreamReader.TryRead(seed, seed.Length, "r-report-full.json", processSettingsApplied: true);
            Assert.Equal(Describe(BenchmarkDotNetReader.ReadReport(seed, "r-report-full.json", processSettingsApplied: true, streamed: false)), Describe(applied!));

            // In a larger (pooled) array, only the report's own bytes count: what lies after them is never read.
            var pooled = seed.Concat(Encoding.UTF8.GetBytes("{\"Benchmarks\": [ \"earlier content\" ]}")).ToArray();
            Assert.Equal(Describe(tree), Describe(ReportStreamReader.TryRead(pooled, seed.Length, "r-report-full.json", processSettingsApplied: false)!));
        }
    }

    [Fact]
    public void Mutated_reports_are_read_as_the_tree_reads_them_or_handed_over()
    {
        var random = new Random(17);
        var seeds = Seeds();
        int streamedCount = 0, handedOver = 0;
        for (var i = 0; i < 4000; i++)
        {
            // The real report (large) gets one input in twenty.
            var seed = random.Next(20) == 0 ? seeds[^1] : seeds[random.Next(seeds.Count - 1)];
            var input = Mutate(seed, random);
            var streamed = ReportStreamReader.TryRead(input, input.Length, "r-report-full.json", processSettingsApplied: false);
            BenchmarkDotNetReader.ParsedReport? tree = null;
            try
            {
                tree = BenchmarkDotNetReader.ReadReport(input, "r-report-full.json", streamed: false);
            }
            catch (GateException ex)
            {
                Assert.Equal(DiagnosticCodes.ResultsUnreadable, ex.Diagnostic.Code);
            }

            if (streamed is null)
            {
                handedOver++;
                continue;
            }

            streamedCount++;
            Assert.True(tree is not null, "the stream reader accepted a report the tree refuses: " + Convert.ToBase64String(input));
            Assert.Equal(Describe(tree!), Describe(streamed));
        }

        // Both paths are exercised.
        Assert.True(streamedCount > 400 && handedOver > 400, $"{streamedCount} read, {handedOver} handed over");
    }

    /// <summary>Every field of a parsed report, in order (records compare lists by reference).</summary>
    private static string Describe(BenchmarkDotNetReader.ParsedReport report)
    {
        static string N(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "-";
        var text = new StringBuilder();
        text.Append(report.Environment).Append('\n').Append(string.Join("; ", report.NotInEffect)).Append('\n');
        foreach (var b in report.Benchmarks)
        {
            text.Append($"{b.Id}|{b.Namespace ?? "-"}|{b.Type}|{b.Method}|{b.Parameters ?? "-"}|{b.Failure ?? "-"}\n");
            foreach (var l in b.Launches)
            {
                text.Append($"  [{string.Join(",", l.Samples.Select(s => N(s)))}] {N(l.AllocatedBytesPerOperation)} {N(l.AllocationOperations)} {N(l.Gen0PerThousandOps)} {N(l.Gen1PerThousandOps)} {N(l.Gen2PerThousandOps)} {N(l.CoresUsed)} {N(l.OtherLoadCores)} {l.SourceFile} {l.Session ?? "-"} {l.Slot ?? "-"}\n");
            }
        }

        return text.ToString();
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        for (var m = 1 + random.Next(3); m > 0 && data.Count > 0; m--)
        {
            var at = random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                case 2:
                case 3:
                case 4:
                case 5:
                    // Mostly after a '{' or ',' so the result is often still valid JSON.
                    var anchor = data.FindIndex(at, b => b is (byte)'{' or (byte)',');
                    data.InsertRange(anchor >= 0 ? anchor + 1 : at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 6:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(12)));
                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }

        return data.ToArray();
    }
}
