using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Tests.History;

/// <summary>The gate reads only the history's last runs, backwards from the end, and trims the file in steps.</summary>
public sealed class HistoryTailTests : IDisposable
{
    private const string Corrupt = "{\"time\": \"2026-11-27T10:00:00Z\", \"benchmarks\": [tor";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lyra-history-tail-" + Guid.NewGuid().ToString("N"));

    public HistoryTailTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Path0 => Path.Combine(_directory, "perf-history.jsonl");

    /// <summary>A record of <paramref name="benchmarks"/> benchmarks (a line of ~90 bytes each).</summary>
    private static HistoryRecord Record(string commit, int benchmarks = 2, string project = "Bench", int hour = 0) => HistoryStoreTests.Record(commit, new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero).AddHours(hour)) with
    {
        Project = project,
        Benchmarks = Enumerable.Range(0, benchmarks).Select(i => new HistoryBenchmark("Ns.Type.M" + i) { TypicalNanoseconds = 100 + i, Outcome = Outcome.Unchanged }).ToList(),
    };

    private static string Line(string commit, int benchmarks = 2, string project = "Bench") => HistoryStore.Serialize(Record(commit, benchmarks, project));

    private static IEnumerable<string> Commits(int from, int to) => Enumerable.Range(from, to - from).Select(i => "c" + i);

    private void Write(params string[] lines) => File.WriteAllText(Path0, string.Join("\n", lines) + "\n");

    [Theory]
    [InlineData(2)]
    [InlineData(400)] // ~36 kB lines: the 1 MB blocks end mid-line
    public void The_tail_read_returns_exactly_the_last_runs(int benchmarks)
    {
        Write(Commits(0, 60).Select(c => Line(c, benchmarks)).ToArray());

        var read = HistoryStore.ReadRecent(Path0, 10);

        Assert.Equal(Commits(50, 60), read.Records.Select(r => r.Commit));
        Assert.Empty(read.Diagnostics);
        Assert.Equal(10, read.Tail!.Lines);
        Assert.True(read.Tail.Start > 0);
        Assert.InRange(read.Tail.EstimatedLines, 59.5, 60.5);
    }

    [Fact]
    public void A_last_line_without_a_newline_is_a_run_and_the_next_append_starts_a_line_of_its_own()
    {
        File.WriteAllText(Path0, string.Join("\n", Commits(0, 8).Select(c => Line(c))));

        Assert.Equal(Commits(5, 8), HistoryStore.ReadRecent(Path0, 3).Records.Select(r => r.Commit));

        HistoryStore.Append(Path0, Record("c8"), 1000);
        var read = HistoryStore.Read(Path0);
        Assert.Empty(read.Diagnostics);
        Assert.Equal(Commits(0, 9), read.Records.Select(r => r.Commit));
    }

    [Fact]
    public void A_corrupt_line_inside_the_tail_is_reported_at_its_line_and_the_runs_are_found_past_it()
    {
        var lines = Commits(0, 20).Select(c => Line(c)).ToList();
        lines.Insert(17, Corrupt); // line 18 of the file, between c16 and c17
        Write(lines.ToArray());

        var read = HistoryStore.ReadRecent(Path0, 5);

        Assert.Equal(Commits(15, 20), read.Records.Select(r => r.Commit));
        var warning = Assert.Single(read.Diagnostics);
        Assert.Equal((HistoryStore.UnreadableLineCode, Path.GetFullPath(Path0), 18), (warning.Code, warning.File, warning.Line));
        Assert.True(warning.Column > 0);
        Assert.Contains("History line 18 is unreadable", warning.Message);
    }

    [Fact]
    public void A_corrupt_line_outside_the_tail_is_not_read_and_the_whole_file_read_still_reports_it()
    {
        var lines = Commits(0, 20).Select(c => Line(c)).ToList();
        lines.Insert(1, Corrupt);
        Write(lines.ToArray());

        var tail = HistoryStore.ReadRecent(Path0, 5);
        Assert.Equal(Commits(15, 20), tail.Records.Select(r => r.Commit));
        Assert.Empty(tail.Diagnostics);

        Assert.Equal(2, Assert.Single(HistoryStore.Read(Path0).Diagnostics).Line);
    }

    [Fact]
    public void Line_numbers_count_blank_lines_and_CRLF_before_the_tail()
    {
        var text = new StringBuilder();
        text.Append(Line("c0")).Append("\r\n\r\n   \n").Append(Line("c1")).Append("\r\n");
        for (var i = 2; i < 10; i++)
        {
            text.Append(Line("c" + i)).Append('\n');
        }

        text.Append(Corrupt).Append("\r\n\n").Append(Line("c10")).Append('\n');
        File.WriteAllText(Path0, text.ToString());

        var read = HistoryStore.ReadRecent(Path0, 2);

        Assert.Equal(new[] { "c9", "c10" }, read.Records.Select(r => r.Commit));
        Assert.Equal(13, Assert.Single(read.Diagnostics).Line); // c0, 2 blank, c1, c2..c9 (8), then the corrupt line
        Assert.Equal(13, Assert.Single(HistoryStore.Read(Path0).Diagnostics).Line);
    }

    [Fact]
    public void An_empty_or_blank_file_is_an_empty_history()
    {
        File.WriteAllText(Path0, "");
        var empty = HistoryStore.ReadRecent(Path0, 10);
        Assert.Empty(empty.Records);
        Assert.Empty(empty.Diagnostics);
        Assert.Equal(0, empty.Tail!.Lines);

        File.WriteAllText(Path0, "\n  \r\n\n");
        var blank = HistoryStore.ReadRecent(Path0, 10);
        Assert.Empty(blank.Records);
        Assert.Empty(blank.Diagnostics);

        HistoryStore.Append(Path0, Record("c0"), 1000);
        Assert.Equal(new[] { "c0" }, HistoryStore.ReadRecent(Path0, 10).Records.Select(r => r.Commit));
    }

    [Fact]
    public void A_file_shorter_than_the_window_is_read_whole_and_counted_exactly()
    {
        Write(Commits(0, 3).Select(c => Line(c)).ToArray());

        var read = HistoryStore.ReadRecent(Path0, 10);

        Assert.Equal(Commits(0, 3), read.Records.Select(r => r.Commit));
        Assert.Equal((0L, 3, 3.0), (read.Tail!.Start, read.Tail.Lines, read.Tail.EstimatedLines));
    }

    [Fact]
    public void Only_the_runs_that_count_fill_the_window()
    {
        // Two projects share the file: the window is the last runs of one of them.
        Write(Enumerable.Range(0, 30).Select(i => Line("c" + i, project: i % 3 == 0 ? "A" : "B")).ToArray());

        var read = HistoryStore.ReadRecent(Path0, 4, r => r.Project == "A");

        Assert.Equal(new[] { "c18", "c21", "c24", "c27" }, read.Records.Select(r => r.Commit));
    }

    [Fact]
    public void The_gate_reads_the_last_window_of_its_own_project()
    {
        var lines = Enumerable.Range(0, HistoryWindow.Runs + 40).Select(i => HistoryStore.Serialize(Record("c" + i, hour: i))).ToList();
        lines.Insert(3, Corrupt); // outside the window: never read
        lines.Insert(lines.Count - 2, Corrupt); // inside it: reported at its line
        Write(lines.ToArray());

        var read = HistoryStore.ReadRecent(Path0, HistoryWindow.Runs, r => r.Project == "Bench");

        Assert.Equal(HistoryWindow.Runs, read.Records.Count);
        Assert.Equal("c" + (HistoryWindow.Runs + 39), read.Records[^1].Commit);
        Assert.Equal(lines.Count - 2, Assert.Single(read.Diagnostics).Line);
    }

    [Fact]
    public void An_append_trims_in_steps_keeping_exactly_the_limit()
    {
        const int limit = 20;
        var threshold = HistoryStore.TrimThreshold(limit);
        Assert.Equal(22, threshold);

        var trims = 0;
        var previous = 0;
        for (var i = 0; i < 40; i++)
        {
            HistoryStore.Append(Path0, Record("c" + i), limit);
            var read = HistoryStore.Read(Path0);
            Assert.Empty(read.Diagnostics);
            var count = read.Records.Count;
            if (count < previous)
            {
                // A trim: exactly the newest `limit`, this one last.
                trims++;
                Assert.Equal(limit, count);
                Assert.Equal(Commits(i - limit + 1, i + 1), read.Records.Select(r => r.Commit));
            }
            else
            {
                Assert.Equal(previous + 1, count);
                Assert.True(count <= threshold, $"{count} runs after append {i}");
            }

            previous = count;
            Assert.Equal(count, File.ReadAllLines(Path0).Length);
        }

        // Once full, one rewrite per threshold + 1 - limit appends, not one per append.
        Assert.Equal(((40 - 1 - threshold) / (threshold + 1 - limit)) + 1, trims);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void A_trim_leaves_a_valid_file_and_appends_after_it_continue()
    {
        const int limit = 5;
        File.WriteAllText(Path0, string.Join("\n", Commits(0, HistoryStore.TrimThreshold(limit)).Select(c => Line(c)))); // no final newline

        HistoryStore.Append(Path0, Record("t0"), limit);
        var trimmed = File.ReadAllBytes(Path0);
        Assert.Equal((byte)'\n', trimmed[^1]);
        Assert.All(File.ReadAllLines(Path0), l => Assert.True(HistoryStore.TryParse(l, out _, out var error), error?.Message));
        Assert.Equal(Commits(2, 6).Append("t0"), HistoryStore.Read(Path0).Records.Select(r => r.Commit));

        HistoryStore.Append(Path0, Record("t1"), limit);
        Assert.Equal(Commits(2, 6).Append("t0").Append("t1"), HistoryStore.Read(Path0).Records.Select(r => r.Commit));
        // The bytes kept are the old file's, copied.
        Assert.StartsWith(Line("c2") + "\n", File.ReadAllText(Path0), StringComparison.Ordinal);
    }

    [Fact]
    public void A_trim_keeps_unreadable_lines_among_the_newest_runs_byte_for_byte_and_drops_older_ones()
    {
        const int limit = 4;
        var lines = Commits(0, 5).Select(c => Line(c)).ToList();
        lines.Insert(1, Corrupt + "old");
        lines.Insert(5, Corrupt + "new"); // between c3 and c4
        Write(lines.ToArray()); // 7 lines: one more is over TrimThreshold(4) = 5, and the newest 3 with it are kept

        HistoryStore.Append(Path0, Record("c5"), limit);

        var text = File.ReadAllText(Path0);
        Assert.DoesNotContain("tor" + "old", text);
        Assert.Contains(Corrupt + "new\n", text);
        var read = HistoryStore.Read(Path0);
        Assert.Equal(new[] { "c3", "c4", "c5" }, read.Records.Select(r => r.Commit));
        Assert.Equal(2, Assert.Single(read.Diagnostics).Line);
    }

    [Fact]
    public void An_append_reuses_the_gates_read_and_a_stale_read_is_not_trusted()
    {
        const int limit = 10;
        Write(Commits(0, HistoryStore.TrimThreshold(limit)).Select(c => Line(c)).ToArray());
        var read = HistoryStore.ReadRecent(Path0, 3);

        // Another build appended after our read: the append sees the file changed and measures it again.
        HistoryStore.Append(Path0, Record("other"), 1000);
        HistoryStore.Append(Path0, Record("ours"), limit, seen: read.Tail);

        Assert.Equal(Commits(3, 11).Append("other").Append("ours"), HistoryStore.Read(Path0).Records.Select(r => r.Commit));

        // A fresh read's tail: no other build in between.
        var again = HistoryStore.ReadRecent(Path0, HistoryWindow.Runs);
        HistoryStore.Append(Path0, Record("next"), limit, seen: again.Tail);
        Assert.Equal(11, HistoryStore.Read(Path0).Records.Count);
    }

    [Fact]
    public void A_read_of_the_file_as_it_is_is_trusted_without_reading_it_again()
    {
        // 12 runs are over TrimThreshold(10); a read that says the file holds one run is taken at its word.
        const int limit = 10;
        Write(Commits(0, 12).Select(c => Line(c)).ToArray());
        var length = new FileInfo(Path0).Length;

        HistoryStore.Append(Path0, Record("c12"), limit, seen: new HistoryTail(length, 0, 1));

        Assert.Equal(13, HistoryStore.Read(Path0).Records.Count);
    }

    [Fact]
    public void When_older_lines_are_longer_the_estimate_never_trims_early()
    {
        // The suite shrank: 8 long runs, then short ones. Estimated from the short lines, the file looks far over.
        const int limit = 10;
        Write(Commits(0, 8).Select(c => Line(c, 200)).Concat(Commits(8, 10).Select(c => Line(c))).ToArray());

        HistoryStore.Append(Path0, Record("c10"), limit, seen: HistoryStore.ReadRecent(Path0, 2).Tail);
        Assert.Equal(Commits(0, 11), HistoryStore.Read(Path0).Records.Select(r => r.Commit)); // 11 runs: not over TrimThreshold(10)

        HistoryStore.Append(Path0, Record("c11"), limit);
        Assert.Equal(Commits(2, 12), HistoryStore.Read(Path0).Records.Select(r => r.Commit));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1 << 20)]
    public void Lines_read_backwards_are_the_lines_read_forwards(int block)
    {
        var random = new Random(block);
        foreach (var text in new[] { "", "\n", "a", "a\n", "a\n\n", "\r\n", "a\r\nb\r", "\n\na\n\nb", "x\ry\n" }
            .Concat(Enumerable.Range(0, 50).Select(_ => new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => "ab\n\r "[random.Next(5)]).ToArray()))))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var expected = Forward(bytes);
            var lines = new LinesFromEnd(new MemoryStream(bytes), bytes.Length, block);
            var backwards = new List<(long, string)>();
            while (lines.TryPrevious(out var line))
            {
                backwards.Add((lines.Start, Encoding.UTF8.GetString(line.Array!, line.Offset, line.Count)));
            }

            backwards.Reverse();
            Assert.True(expected.SequenceEqual(backwards), $"'{text.Replace("\n", "\\n").Replace("\r", "\\r")}' with blocks of {block}");
            Assert.True(lines.AtStart);
            Assert.Equal(bytes.Count(b => b == (byte)'\n'), LinesFromEnd.CountNewlines(new MemoryStream(bytes), 0, bytes.Length));
        }
    }

    /// <summary>The reference split: at '\n', a trailing '\r' dropped, no empty line after a final '\n'.</summary>
    private static List<(long Start, string Text)> Forward(byte[] bytes)
    {
        var lines = new List<(long, string)>();
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i == bytes.Length || bytes[i] == (byte)'\n')
            {
                var end = i > start && bytes[i - 1] == (byte)'\r' ? i - 1 : i;
                if (i < bytes.Length || end > start || (i > start))
                {
                    lines.Add((start, Encoding.UTF8.GetString(bytes, start, end - start)));
                }

                start = i + 1;
            }
        }

        return lines;
    }
}
