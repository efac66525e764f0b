using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Tests.Ingest;

namespace Lyra.Perf.Engine.Tests.Robustness;

/// <summary>The fuzzing pass's repros (issue 8), each through the reader the gate uses: a coded error with a position, never a crash.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-hostile-" + Guid.NewGuid().ToString("N"));

    public HostileInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string ValidBaseline = "{\n  \"schemaVersion\": 1,\n  \"tool\": \"T\",\n  \"recordedAt\": \"2026-11-27T10:00:00Z\",\n  \"environment\": { \"os\": \"Linux\", \"logicalCores\": 2 },\n  \"benchmarks\": {\n    \"Ns.T.A\": { \"type\": \"Ns.T\", \"method\": \"A\", \"launches\": [ { \"samplesNs\": [1, 2] } ] }\n  }\n}\n";

    private static GateException BaselineProblem(byte[] bytes) => Assert.Throws<GateException>(() => BaselineSerializer.Parse(bytes, "b.json"));

    private static GateException BaselineProblem(string text) => BaselineProblem(Encoding.UTF8.GetBytes(text));

    // Repro 1: a lone surrogate escape or an invalid UTF-8 byte inside a string.
    [Theory]
    [InlineData("\"os\": \"Linux\"", "\"os\": \"Li\\ud800nux\"", 5, 26)]
    [InlineData("\"method\": \"A\"", "\"method\": \"A\\udc00\"", 7, 43)]
    [InlineData("\"Ns.T.A\"", "\"Ns.T.\\ud800\"", 7, 5)]
    public void Repro01_a_lone_surrogate_in_a_baseline_string_is_LPG0301_at_the_string(string from, string to, int line, int column)
    {
        var ex = BaselineProblem(ValidBaseline.Replace(from, to));

        Assert.Equal(DiagnosticCodes.BaselineUnreadable, ex.Diagnostic.Code);
        Assert.Equal((line, column), (ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains("invalid UTF-8 or a lone surrogate", ex.Diagnostic.Message);
    }

    [Fact]
    public void Repro01_an_invalid_utf8_byte_in_a_baseline_string_is_LPG0301()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidBaseline.Replace("Linux", "Li#ux")).Select(b => b == (byte)'#' ? (byte)0xFF : b).ToArray();

        var ex = BaselineProblem(bytes);

        Assert.Equal((5, 26), (ex.Diagnostic.Line, ex.Diagnostic.Column));
        Assert.Contains("invalid UTF-8", ex.Diagnostic.Message);
    }

    [Fact]
    public void Repro01_invalid_strings_in_a_BenchmarkDotNet_report_are_LPG0302_and_the_other_reports_still_count()
    {
        var good = Path.Combine(_dir, "Good-report-full.json");
        var bad = Path.Combine(_dir, "Bad-report-full.json");
        File.WriteAllText(good, BdnJson.Report(BdnJson.Benchmark("A", new[] { new[] { 10.0, 11, 12 } })));
        var text = BdnJson.Report(BdnJson.Benchmark("B", new[] { new[] { 10.0, 11, 12 } })).Replace("\"Type\": \"Type\"", "\"Type\": \"Ty\\ud800pe\"");
        File.WriteAllText(bad, text);
        var utf8 = File.ReadAllBytes(good).ToArray();
        var badByte = Path.Combine(_dir, "Byte-report-full.json");
        File.WriteAllBytes(badByte, Encoding.UTF8.GetBytes(BdnJson.Report(BdnJson.Benchmark("C", new[] { new[] { 1.0 } })).Replace("CPU X", "CPU \u00e9")).Select(b => b == 0xA9 ? (byte)0xFF : b).ToArray());

        var (run, problems) = BenchmarkDotNetReader.ReadFiles(new[] { good, bad, badByte });

        Assert.Equal(new[] { "Ns.Type.A" }, run.Benchmarks.Select(b => b.Id));
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(DiagnosticCodes.ResultsUnreadable, p.Code));
        Assert.All(problems, p => Assert.True(p.Line > 0 && p.Column > 0));
        Assert.Equal(bad, problems[0].File);
        Assert.NotEmpty(utf8);
    }

    // Repro 2: one such line in the history is skipped with LPG0308, and appends still work.
    [Fact]
    public void Repro02_a_history_line_with_an_invalid_string_is_reported_and_skipped_and_appends_continue()
    {
        var path = Path.Combine(_dir, "perf-history.jsonl");
        var good = HistoryStore.Serialize(new HistoryRecord { Time = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), Benchmarks = new[] { new HistoryBenchmark("A") { TypicalNanoseconds = 10 } } });
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(good + "\n" + good.Replace("\"A\"", "\"\\ud800\"") + "\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes(good.Replace("\"A\"", "\"A#\"")).Select(b => b == (byte)'#' ? (byte)0xFE : b));
        bytes.Add((byte)'\n');
        File.WriteAllBytes(path, bytes.ToArray());

        HistoryStore.Append(path, new HistoryRecord { Time = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero) }, limit: 1000);
        var read = HistoryStore.Read(path);

        Assert.Equal(2, read.Records.Count); // the good line and the appended one; unreadable lines kept
        Assert.Equal(new[] { 2, 3 }, read.Diagnostics.Select(d => d.Line));
        Assert.All(read.Diagnostics, d => Assert.Equal(DiagnosticCodes.HistoryUnreadable, d.Code));
        Assert.All(read.Diagnostics, d => Assert.Contains("invalid UTF-8", d.Message));
        Assert.Contains((byte)0xFE, File.ReadAllBytes(path)); // kept byte for byte, never "repaired"
    }

    // Repro 11: a UTF-8 byte-order mark.
    [Fact]
    public void Repro11_a_byte_order_mark_is_accepted_in_baseline_report_and_history()
    {
        var bom = new byte[] { 0xEF, 0xBB, 0xBF };
        var baseline = BaselineSerializer.Parse(bom.Concat(Encoding.UTF8.GetBytes(ValidBaseline)).ToArray(), "b.json");
        var report = BenchmarkDotNetReader.ReadReport(bom.Concat(Encoding.UTF8.GetBytes(BdnJson.Report(BdnJson.Benchmark("A", new[] { new[] { 1.0, 2 } })))).ToArray(), "r.json");
        var history = Path.Combine(_dir, "h.jsonl");
        File.WriteAllBytes(history, bom.Concat(Encoding.UTF8.GetBytes(HistoryStore.Serialize(new HistoryRecord { Time = DateTimeOffset.UtcNow }) + "\n")).ToArray());

        Assert.Equal(7, baseline.Benchmarks["Ns.T.A"].Line);
        Assert.Equal(15, baseline.Benchmarks["Ns.T.A"].Column); // the mark is not a column
        Assert.Single(report.Benchmarks);
        Assert.Single(HistoryStore.Read(history).Records);
        Assert.Empty(HistoryStore.Read(history).Diagnostics);
    }

    // Repro 12: the baseline reader is strict where the docs promise LPG0301.
    [Theory]
    [InlineData("\"tool\": \"T\"", "\"tool\": 5", 3, 11, "'tool' must be a string")]
    [InlineData("\"os\": \"Linux\"", "\"os\": true", 5, 26, "'environment.os' must be a string")]
    [InlineData("\"logicalCores\": 2", "\"logicalCores\": 2.5", 5, 51, "'environment.logicalCores' must be a whole")]
    [InlineData("\"logicalCores\": 2", "\"logicalCores\": -1", 5, 51, "'environment.logicalCores' must be a whole")]
    [InlineData("\"type\": \"Ns.T\"", "\"type\": [\"Ns.T\"]", 7, 25, "'benchmarks.Ns.T.A.type' must be a string")]
    [InlineData("\"method\": \"A\"", "\"method\": {}", 7, 43, "'benchmarks.Ns.T.A.method' must be a string")]
    [InlineData("\"method\": \"A\"", "\"method\": \"A\", \"parameters\": 3", 7, 62, "'benchmarks.Ns.T.A.parameters' must be a string")]
    [InlineData("\"samplesNs\": [1, 2]", "\"samplesNs\": []", 7, 77, "non-empty array")]
    [InlineData("\"2026-11-27T10:00:00Z\"", "\"9999-12-31T00:00:00Z\"", 4, 17, "between 2000 and 2200")]
    [InlineData("\"2026-11-27T10:00:00Z\"", "\"0001-01-01T00:00:00Z\"", 4, 17, "between 2000 and 2200")]
    [InlineData("\"schemaVersion\": 1,", "\"schemaVersion\": 1,\n  \"schemaVersion\": 99,", 3, 3, "\"schemaVersion\" appears twice")]
    [InlineData("\"os\": \"Linux\"", "\"os\": \"Linux\", \"os\": \"Windows\"", 5, 35, "\"os\" appears twice")]
    [InlineData("\"samplesNs\": [1, 2]", "\"samplesNs\": [1, 2], \"samplesNs\": [3]", 7, 85, "\"samplesNs\" appears twice")]
    public void Repro12_the_baseline_reader_refuses_what_its_schema_does_not_allow(string from, string to, int line, int column, string message)
    {
        Assert.Contains(from, ValidBaseline);

        var ex = BaselineProblem(ValidBaseline.Replace(from, to));

        Assert.Equal(DiagnosticCodes.BaselineUnreadable, ex.Diagnostic.Code);
        Assert.Contains(message, ex.Diagnostic.Message);
        Assert.Equal((line, column), (ex.Diagnostic.Line, ex.Diagnostic.Column));
    }

    [Fact]
    public void Repro12_the_valid_baseline_of_these_tests_reads()
    {
        var baseline = BaselineSerializer.Parse(Encoding.UTF8.GetBytes(ValidBaseline), "b.json");

        Assert.Equal(2, baseline.Environment.LogicalCores);
        Assert.Equal("T", baseline.Tool);
        Assert.Equal(new[] { 1.0, 2 }, baseline.Benchmarks["Ns.T.A"].Measurement.Launches[0].Samples);
    }

    // Repro 4 and 5: ingest refuses what the baseline reader would refuse, so recording never writes an unreadable baseline.
    [Theory]
    [InlineData("\"Operations\": 1000, \"Nanoseconds\": 10000", "\"Operations\": 1e-320, \"Nanoseconds\": 10000", "not a finite, non-negative number of nanoseconds")]
    [InlineData("\"Gen2Collections\": 0", "\"Gen2Collections\": -1", "a memory figure must be a finite, non-negative number")]
    [InlineData("\"BytesAllocatedPerOperation\": 24", "\"BytesAllocatedPerOperation\": -8", "a memory figure must be a finite, non-negative number")]
    [InlineData("\"Gen0Collections\": 2", "\"Gen0Collections\": 1e308", "per 1000 operations")]
    [InlineData("\"LogicalCoreCount\": 2", "\"LogicalCoreCount\": 2.5", "'LogicalCoreCount' must be a whole")]
    public void Repro04_05_a_report_value_the_baseline_could_not_hold_is_LPG0302_at_the_value(string from, string to, string message)
    {
        var text = BdnJson.Report(BdnJson.Benchmark("A", new[] { new[] { 10.0, 11, 12 } }));
        Assert.Contains(from, text);
        var bad = text.Replace(from, to);
        var expectedLine = bad.Substring(0, bad.IndexOf(to, StringComparison.Ordinal)).Count(c => c == '\n') + 1;

        var ex = Assert.Throws<GateException>(() => BenchmarkDotNetReader.ReadReport(Encoding.UTF8.GetBytes(bad), "r.json"));

        Assert.Equal(DiagnosticCodes.ResultsUnreadable, ex.Diagnostic.Code);
        Assert.Contains(message, ex.Diagnostic.Message);
        Assert.Equal(expectedLine, ex.Diagnostic.Line);
        Assert.True(ex.Diagnostic.Column > 0);
    }

    // Repro 6: positions cost O(1) per token; a 4.8 MB one-line report took 21 s.
    [Fact]
    public void Repro06_a_long_one_line_report_parses_in_linear_time()
    {
        var launch = Enumerable.Range(0, 60_000).Select(i => 100.0 + (i % 7)).ToArray();
        var oneLineText = BdnJson.Report(BdnJson.Benchmark("A", new[] { launch })).Replace("\n", " ").Replace("\r", " ");
        var bytes = Encoding.UTF8.GetBytes(oneLineText);
        Assert.True(bytes.Length > 4_000_000, $"{bytes.Length} bytes");

        var manyLines = Encoding.UTF8.GetBytes(BdnJson.Report(BdnJson.Benchmark("A", new[] { launch })));
        BenchmarkDotNetReader.ReadReport(manyLines, "warm-up.json");

        var watch = Stopwatch.StartNew();
        BenchmarkDotNetReader.ReadReport(manyLines, "r.json");
        var multiLine = watch.Elapsed;
        watch.Restart();
        var report = BenchmarkDotNetReader.ReadReport(bytes, "r.json");
        var oneLine = watch.Elapsed;

        // The same content on one line must cost about the same (was 21 s, quadratic); a ratio, since the machine may be loaded.
        Assert.Equal(60_000, report.Benchmarks[0].Launches[0].Samples.Count);
        Assert.True(oneLine < TimeSpan.FromTicks(multiLine.Ticks * 4) + TimeSpan.FromSeconds(1), $"one line {oneLine.TotalSeconds:0.00} s, many lines {multiLine.TotalSeconds:0.00} s");
    }

    [Fact]
    public void Repro06_a_100_MB_baseline_in_the_tools_own_layout_reads_in_seconds()
    {
        // 400 benchmarks x 25 launches x 1000 samples, as BaselineSerializer writes them (one line per launch).
        var path = Path.Combine(_dir, "perf-baseline.json");
        var samples = string.Join(", ", Enumerable.Range(0, 1000).Select(i => (12345.678 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("{\n  \"schemaVersion\": 1,\n  \"recordedAt\": \"2026-11-27T10:00:00Z\",\n  \"benchmarks\": {\n");
            for (var b = 0; b < 400; b++)
            {
                writer.Write($"    \"Ns.T.M{b}\": {{\n      \"type\": \"Ns.T\",\n      \"method\": \"M{b}\",\n      \"launches\": [\n");
                for (var l = 0; l < 25; l++)
                {
                    writer.Write($"        {{ \"allocatedBytesPerOp\": 24, \"samplesNs\": [{samples}] }}{(l < 24 ? "," : "")}\n");
                }

                writer.Write($"      ]\n    }}{(b < 399 ? "," : "")}\n");
            }

            writer.Write("  }\n}\n");
        }

        Assert.InRange(new FileInfo(path).Length, 100_000_000, InputFile.MaxBaselineBytes);
        var watch = Stopwatch.StartNew();
        var baseline = BaselineSerializer.Read(path);
        watch.Stop();

        Assert.Equal(400, baseline.Benchmarks.Count);
        Assert.Equal(10_000_000, baseline.Benchmarks.Values.Sum(e => e.Measurement.AllSamples.Count()));
        // Linear now: ~7 s in a Debug build on 2 idle cores (38 s with six builds beside it); the quadratic reader took 85 s
        // for 17.8 MB, so about 45 minutes for this file.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"{watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void Repro06_files_above_the_size_limits_are_refused_with_their_own_code_before_reading()
    {
        string Sparse(string name, long length)
        {
            var path = Path.Combine(_dir, name);
            using var stream = new FileStream(path, FileMode.Create);
            stream.SetLength(length); // sparse: no 256 MB written
            return path;
        }

        var baseline = Sparse("perf-baseline.json", InputFile.MaxBaselineBytes + 1);
        var report = Sparse("Big-report-full.json", InputFile.MaxReportBytes + 1);
        var history = Sparse("perf-history.jsonl", InputFile.MaxHistoryBytes + 1);

        var baselineError = Assert.Throws<GateException>(() => BaselineSerializer.Read(baseline)).Diagnostic;
        var reportError = Assert.Single(BenchmarkDotNetReader.ReadFiles(new[] { report }).Problems);
        var historyWarning = Assert.Single(HistoryStore.Read(history).Diagnostics);
        var appendError = Assert.ThrowsAny<IOException>(() => HistoryStore.Append(history, new HistoryRecord { Time = DateTimeOffset.UtcNow }, 1000));

        Assert.Equal((DiagnosticCodes.BaselineUnreadable, baseline), (baselineError.Code, baselineError.File));
        Assert.Equal((DiagnosticCodes.ResultsUnreadable, report), (reportError.Code, reportError.File));
        Assert.Equal((DiagnosticCodes.HistoryUnreadable, DiagnosticLevel.Warning), (historyWarning.Code, historyWarning.Level));
        Assert.All(new[] { baselineError.Message, reportError.Message, historyWarning.Message, appendError.Message }, m => Assert.Contains("larger than the 256 MB Lyra.Perf reads", m));
        Assert.Equal(InputFile.MaxHistoryBytes + 1, new FileInfo(history).Length); // not grown
    }
}
