using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Json;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.History;

/// <summary>History lines of format 2 (entries as columns), what they refuse and where, and the format-1 lines
/// (an object per entry) that files written before it hold, read beside them.</summary>
public sealed class HistoryFormatTests
{
    /// <summary>A record as format 1 wrote it: an array of one object per entry, absent values left out.</summary>
    internal static string FormatOneLine(HistoryRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteString("time", record.Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            if (record.Commit is not null)
            {
                writer.WriteString("commit", record.Commit);
            }

            if (record.Project is not null)
            {
                writer.WriteString("project", record.Project);
            }

            writer.WritePropertyName("environment");
            Lyra.Perf.Engine.Baselines.BaselineSerializer.WriteEnvironment(writer, record.Environment);
            writer.WriteStartArray("benchmarks");
            foreach (var b in record.Benchmarks)
            {
                writer.WriteStartObject();
                writer.WriteString("id", b.Id);
                writer.WriteStableNumber("ns", b.TypicalNanoseconds);
                writer.WriteStableNumber("bytes", b.AllocatedBytesPerOperation);
                writer.WriteString("outcome", b.Outcome.ToString());
                writer.WriteString("severity", b.Severity.ToString());
                writer.WriteStableNumber("ratio", b.Ratio);
                writer.WriteNumber("launches", b.Launches);
                foreach (var (name, values) in new[] { ("levels", b.LaunchLevels), ("launchBytes", b.LaunchBytes) })
                {
                    if (values is not null)
                    {
                        writer.WriteStartArray(name);
                        foreach (var v in values)
                        {
                            writer.WriteRawValue(JsonNumbers.Format(v), skipInputValidation: true);
                        }

                        writer.WriteEndArray();
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static HistoryRecord Record(string commit) => HistoryStoreTests.Record(commit) with
    {
        Benchmarks = new[]
        {
            new HistoryBenchmark("Ns.T.A(N: 1)") { TypicalNanoseconds = 100.5, AllocatedBytesPerOperation = 24, Outcome = Outcome.Regressed, Severity = Severity.Major, Ratio = 1.25, Launches = 3, LaunchLevels = new[] { 99.5, 100, 101.25 }, LaunchBytes = new[] { 24.0, 24, 24 } },
            new HistoryBenchmark("Ns.T.B") { TypicalNanoseconds = 12.5, Outcome = Outcome.Unchanged, Launches = 2 },
            new HistoryBenchmark("Ns.T.C") { Outcome = Outcome.Failed, LaunchLevels = Array.Empty<double>() },
        },
    };

    [Fact]
    public void A_record_is_written_as_columns_of_one_value_per_entry()
    {
        var line = HistoryStore.Serialize(Record("abc"));
        var columns = JsonDocument.Parse(line).RootElement.GetProperty("benchmarks");
        Assert.StartsWith("{\"v\":2,", line, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, columns.ValueKind);
        Assert.Equal(new[] { "id", "ns", "bytes", "outcome", "severity", "ratio", "launches", "levels", "launchBytes" }, columns.EnumerateObject().Select(p => p.Name));
        Assert.All(columns.EnumerateObject(), p => Assert.Equal(3, p.Value.GetArrayLength()));
        Assert.Contains("\"ns\":[100.5,12.5,null]", line, StringComparison.Ordinal);
        Assert.Contains("\"levels\":[[99.5,100,101.25],null,[]]", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_formats_read_to_the_same_record_with_and_without_the_tree()
    {
        var record = Record("abc");
        foreach (var line in new[] { HistoryStore.Serialize(record), FormatOneLine(record) })
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var plain = HistoryLineReader.TryRead(bytes);
            Assert.NotNull(plain);
            Assert.True(HistoryStore.TryParseTree(bytes, out var tree, out var error), error?.Message);
            foreach (var read in new[] { plain!, tree! })
            {
                Assert.Equal(record.Benchmarks, read.Benchmarks);
                Assert.Equal(record.Time, read.Time);
                Assert.Equal(record.Environment, read.Environment);
                Assert.Equal(HistoryStore.Serialize(record), HistoryStore.Serialize(read));
            }
        }
    }

    [Fact]
    public void A_file_written_before_format_2_keeps_its_runs_beside_the_new_ones()
    {
        var path = Path.Combine(Path.GetTempPath(), "lyra-history-format-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            File.WriteAllText(path, string.Concat(Enumerable.Range(0, 4).Select(i => FormatOneLine(Record("old" + i)) + "\n")));
            HistoryStore.Append(path, Record("new0"), limit: 5);
            HistoryStore.Append(path, Record("new1"), limit: 5);

            var read = HistoryStore.Read(path);
            Assert.Empty(read.Diagnostics);
            Assert.Equal(new[] { "old0", "old1", "old2", "old3", "new0", "new1" }, read.Records.Select(r => r.Commit));
            Assert.Equal(new[] { 1, 1, 1, 1, 2, 2 }, read.Records.Select(r => r.SchemaVersion));
            Assert.All(read.Records, r => Assert.Equal(Record("x").Benchmarks, r.Benchmarks));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".lock");
        }
    }

    [Fact]
    public void An_absent_column_is_null_for_every_entry()
    {
        const string line = """{"v":2,"time":"2026-12-01T00:00:00.000Z","benchmarks":{"id":["A","B"],"ns":[5,null]}}""";
        foreach (var read in Both(line))
        {
            Assert.Equal(new[] { new HistoryBenchmark("A") { TypicalNanoseconds = 5, Outcome = Outcome.Unknown }, new HistoryBenchmark("B") { Outcome = Outcome.Unknown } }, read.Benchmarks);
        }
    }

    private static IEnumerable<HistoryRecord> Both(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.True(HistoryStore.TryParseTree(bytes, out var tree, out var error), error?.Message);
        yield return tree!;
        yield return HistoryLineReader.TryRead(bytes) ?? throw new InvalidOperationException("the line reader handed a valid line over");
    }

    [Theory]
    [InlineData("\"ns\":[5,null]", "\"ns\":[5]", "[5]", "\"ns\" must be an array of one value per \"id\" (2)")]
    [InlineData("\"ns\":[5,null]", "\"ns\":[5,null],\"bytes\":[]", "[]", "\"bytes\" must be an array of one value per \"id\" (2)")]
    [InlineData("\"ns\":[5,null]", "\"ns\":{}", "{}", "\"ns\" must be an array of one value per \"id\" (2)")]
    [InlineData("\"ns\":[5,null]", "\"ns\":[5,-1]", "-1", "\"ns\" must be")]
    [InlineData("\"ns\":[5,null]", "\"ns\":[5,null],\"levels\":[[1,2],[3,\"x\"]]", "[3,", "\"levels\" must be an array of numbers")]
    [InlineData("\"ns\":[5,null]", "\"ns\":[5,null],\"launchBytes\":[null,[3,-4]]", "-4", "\"launchBytes\" must hold numbers")]
    [InlineData("\"ns\":[5,null]", "\"ns\":[5,null],\"launches\":[1,2.5]", "2.5", "\"launches\" must be a whole number")]
    [InlineData("\"id\":[\"A\",\"B\"]", "\"id\":[\"A\",\"\"]", "\"\"]", "a benchmark entry without an \"id\"")]
    [InlineData("\"benchmarks\":{", "\"benchmarks\":5,\"x\":{", "5,", "no \"benchmarks\" columns or array")]
    public void A_bad_column_is_refused_at_its_column(string find, string replace, string at, string message)
    {
        const string valid = """{"v":2,"time":"2026-12-01T00:00:00.000Z","benchmarks":{"id":["A","B"],"ns":[5,null]}}""";
        var line = valid.Replace(find, replace, StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.Null(HistoryLineReader.TryRead(bytes));
        Assert.False(HistoryStore.TryParse(line, out _, out var error));
        Assert.Contains(message, error!.Value.Message, StringComparison.Ordinal);
        Assert.Equal(line.IndexOf(at, line.IndexOf("\"benchmarks\"", StringComparison.Ordinal), StringComparison.Ordinal) + 1, error.Value.Column);
    }
}
