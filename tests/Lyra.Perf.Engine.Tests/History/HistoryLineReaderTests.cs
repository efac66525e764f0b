using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.History;

/// <summary>The tree-less line reader must read exactly what the general reader reads, the same way, and hand
/// everything else over: seeded mutations of written lines, each compared with the general reader.</summary>
public sealed class HistoryLineReaderTests
{
    private static readonly string[] Tokens =
    {
        "\"id\":\"Ns.T.X\",", "\"ns\":1e400,", "\"ns\":-1,", "\"launches\":2.5,", "\"launches\":null,", "\"v\":2,", "\"v\":null,", "\"v\":-1,",
        "\"time\":\"2026-01-01T00:00:00Z\",", "\"time\":\"1999-01-01T00:00:00Z\",", "\"outcome\":\"regressed\",", "\"outcome\":7,", "\"outcome\":\"7\",",
        "\"outcome\":{},", "\"severity\":\"major\",", "\"extra\":{},", "\"extra\":1,", "\"extra\":\"\\ud800\",", "\"comparison\":\"ab\",",
        "\"environment\":null,", "\"logicalCores\":1.5,", "\"logicalCores\":null,", "\"os\":1,", "\"commit\":5,", "\"commit\":null,", "\"levels\":[1,2],", "\"levels\":[1,\"x\"],", "\"levels\":[-1],", "\"launchBytes\":null,", "\"levels\":{},",
        "\"ns\":[1e400],", "\"id\":[],", "\"levels\":[null],", "null,", "[1,2],", "[],", "\"Unchanged\",", "-1,", "1e400,",
        "\\ud800", "\\u0069", "null", "true", "-0", "1e-320", "[]", "{}", ",", ":", "\"", "/*c*/", "\uFEFF", "\u00e9",
    };

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        for (var m = 1 + random.Next(3); m > 0 && data.Count > 0; m--)
        {
            var at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                case 2:
                case 3:
                    // Mostly after a '{' or ',' so the result is often still valid JSON.
                    var anchor = data.FindIndex(at, b => b is (byte)'{' or (byte)',');
                    data.InsertRange(anchor >= 0 ? anchor + 1 : at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 4:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(12)));
                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }

        return data.ToArray();
    }

    private static IReadOnlyList<byte[]> Seeds()
    {
        var record = HistoryStoreTests.Record("abc123");
        return new[]
        {
            record,
            record with { Commit = null, Project = null },
            record with { BaseCommit = "def456" },
            record with { Benchmarks = Array.Empty<HistoryBenchmark>() },
            record with { Benchmarks = new[] { new HistoryBenchmark("Ns.T.A") { Outcome = Outcome.New, Launches = 0 }, new HistoryBenchmark("Ns.T.A") { TypicalNanoseconds = 1e-9 } } },
            record with { Environment = new RunEnvironment() },
            record with { Benchmarks = new[] { new HistoryBenchmark("Ns.T.L") { TypicalNanoseconds = 5, Launches = 3, LaunchLevels = new[] { 4.9, 5, 5.2 }, LaunchBytes = new[] { 24.0, 24, 0 } }, new HistoryBenchmark("Ns.T.E") { LaunchLevels = Array.Empty<double>() } } },
        }.SelectMany(r => new[] { HistoryStore.Serialize(r), HistoryFormatTests.FormatOneLine(r) }).Select(Encoding.UTF8.GetBytes).ToList();
    }

    private static void SameBenchmarks(IReadOnlyList<HistoryBenchmark> expected, IReadOnlyList<HistoryBenchmark> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            // The per-launch lists compare by content (records compare lists by reference).
            Assert.Equal(expected[i] with { LaunchLevels = null, LaunchBytes = null }, actual[i] with { LaunchLevels = null, LaunchBytes = null });
            Assert.Equal(expected[i].LaunchLevels, actual[i].LaunchLevels);
            Assert.Equal(expected[i].LaunchBytes, actual[i].LaunchBytes);
        }
    }

    private static byte[] RandomLine(Random random, bool mutate)
    {
        string? Text() => random.Next(4) switch { 0 => null, 1 => "", 2 => "a\"b\\c\u00e9\n\t<x>", _ => "v" + random.Next(100) };
        double? Amount() => random.Next(5) switch { 0 => null, 1 => 0, 2 => 1e-300, 3 => random.Next(1000), _ => random.NextDouble() * 1e9 };
        var record = new HistoryRecord
        {
            Time = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(100000)),
            Commit = Text(),
            Project = Text(),
            BaseCommit = random.Next(3) == 0 ? Text() : null,
            Environment = new RunEnvironment { Os = Text() ?? "", Cpu = Text() ?? "", LogicalCores = random.Next(3) * 8, Runtime = Text() ?? "", Job = Text() ?? "" },
            Benchmarks = Enumerable.Range(0, random.Next(5)).Select(k => new HistoryBenchmark("Ns.T.M" + k + (random.Next(2) == 0 ? "(s: \"\u2603|\")" : ""))
            {
                TypicalNanoseconds = Amount(),
                AllocatedBytesPerOperation = Amount(),
                Ratio = Amount(),
                Launches = random.Next(6),
                Outcome = (Outcome)random.Next(7),
                Severity = (Severity)random.Next(5),
                LaunchLevels = random.Next(3) == 0 ? null : Enumerable.Range(0, random.Next(4)).Select(_ => random.NextDouble() * 100).ToList(),
                LaunchBytes = random.Next(3) == 0 ? null : Enumerable.Range(0, random.Next(4)).Select(_ => (double)random.Next(100)).ToList(),
            }).ToList(),
        };
        var line = Encoding.UTF8.GetBytes(random.Next(3) == 0 ? HistoryFormatTests.FormatOneLine(record) : HistoryStore.Serialize(record));
        return mutate ? Mutate(line, random) : line;
    }

    [Fact]
    public void Every_written_line_is_read_without_the_tree_to_the_same_record()
    {
        foreach (var seed in Seeds())
        {
            var plain = HistoryLineReader.TryRead(seed);
            Assert.NotNull(plain);
            Assert.True(HistoryStore.TryParseTree(seed, out var tree, out _));
            Assert.Equal(HistoryStore.Serialize(tree!), HistoryStore.Serialize(plain!));
            SameBenchmarks(tree!.Benchmarks, plain!.Benchmarks);
            Assert.Equal(tree.Environment, plain.Environment);
        }
    }

    [Fact]
    public void Mutated_lines_are_read_as_the_general_reader_reads_them_or_handed_over()
    {
        var random = new Random(11);
        var seeds = Seeds();
        int plainRead = 0, handedOver = 0;
        for (var i = 0; i < 6000; i++)
        {
            // A third are fresh records (random values, escapes, nulls), half of those left valid.
            var input = i % 3 == 0
                ? RandomLine(random, mutate: i % 2 == 0)
                : Mutate(seeds[random.Next(seeds.Count)], random);
            var plain = HistoryLineReader.TryRead(input);
            var readable = HistoryStore.TryParseTree(input, out var tree, out _);
            if (plain is null)
            {
                handedOver++;
                continue;
            }

            plainRead++;
            Assert.True(readable, "the line reader accepted a line the general reader refuses: " + Convert.ToBase64String(input));
            Assert.Equal(tree!.SchemaVersion, plain.SchemaVersion);
            Assert.Equal(tree.Time, plain.Time);
            Assert.Equal(tree.Commit, plain.Commit);
            Assert.Equal(tree.Project, plain.Project);
            Assert.Equal(tree.BaseCommit, plain.BaseCommit);
            Assert.Equal(tree.Environment, plain.Environment);
            SameBenchmarks(tree.Benchmarks, plain.Benchmarks);
        }

        // Both branches were exercised: the comparison above is not vacuous.
        Assert.True(plainRead > 1000 && handedOver > 1000, $"{plainRead} read, {handedOver} handed over");
    }
}
