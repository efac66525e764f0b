using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.History;

public sealed class HistoryStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lyra-history-" + Guid.NewGuid().ToString("N"));

    public HistoryStoreTests() => Directory.CreateDirectory(_directory);

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

    internal static HistoryRecord Record(string commit, DateTimeOffset? time = null, double ns = 100) => new()
    {
        Time = time ?? new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
        Commit = commit,
        Project = "Bench",
        Environment = new RunEnvironment { Os = "Linux", Cpu = "Test CPU", LogicalCores = 2, Runtime = ".NET 10.0", Architecture = "X64", BenchmarkDotNetVersion = "0.15.8", Job = "Gate" },
        Benchmarks = new[]
        {
            new HistoryBenchmark("Ns.Type.Method(N: 1)") { TypicalNanoseconds = ns, AllocatedBytesPerOperation = 24, Outcome = Outcome.Regressed, Severity = Severity.Major, Ratio = 1.25, Launches = 5 },
            new HistoryBenchmark("Ns.Type.Other(text: \"<script>|x\")") { TypicalNanoseconds = 12.5, Outcome = Outcome.Unchanged },
        },
    };

    [Fact]
    public void Round_trips_a_record()
    {
        var path = Path.Combine(_directory, "history.jsonl");
        var record = Record("abc123");
        HistoryStore.Append(path, record, 1000);
        var read = HistoryStore.Read(path);
        Assert.Empty(read.Diagnostics);
        var back = Assert.Single(read.Records);
        Assert.Equal(record.Time, back.Time);
        Assert.Equal("abc123", back.Commit);
        Assert.Equal("Bench", back.Project);
        Assert.Equal(record.Environment, back.Environment);
        Assert.Equal(record.Benchmarks, back.Benchmarks);
        Assert.Single(File.ReadAllLines(path));
    }

    [Fact]
    public void Trims_to_the_limit_keeping_the_newest()
    {
        // Limit 5: the file may hold TrimThreshold(5) = 6 runs; the append that would make it 7 keeps the newest 5.
        var path = Path.Combine(_directory, "history.jsonl");
        for (var i = 0; i < 13; i++)
        {
            HistoryStore.Append(path, Record("c" + i), 5);
        }

        var read = HistoryStore.Read(path);
        Assert.Equal(new[] { "c8", "c9", "c10", "c11", "c12" }, read.Records.Select(r => r.Commit));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void A_corrupt_line_is_reported_with_file_and_line_skipped_and_kept_until_it_is_among_the_oldest_runs()
    {
        var path = Path.Combine(_directory, "history.jsonl");
        HistoryStore.Append(path, Record("c0"), 5);
        File.AppendAllText(path, "{\"time\": \"2026-11-27T10:00:00Z\", \"benchmarks\": [tor\n");
        HistoryStore.Append(path, Record("c1"), 5);
        File.AppendAllText(path, "{\"v\":1,\"ti"); // a writer that died mid-line, no newline
        HistoryStore.Append(path, Record("c2"), 5);

        var read = HistoryStore.Read(path);
        Assert.Equal(new[] { "c0", "c1", "c2" }, read.Records.Select(r => r.Commit));
        Assert.Equal(2, read.Diagnostics.Count);
        Assert.All(read.Diagnostics, d =>
        {
            Assert.Equal(HistoryStore.UnreadableLineCode, d.Code);
            Assert.Equal(Diagnostics.DiagnosticLevel.Warning, d.Level);
            Assert.Equal(Path.GetFullPath(path), d.File);
        });
        Assert.Equal(new[] { 2, 4 }, read.Diagnostics.Select(d => d.Line));

        // A trim counts lines, not records (it copies bytes without parsing): the newest 5 lines stay, the oldest
        // record and the older unreadable line go, the newer one stays byte for byte.
        HistoryStore.Append(path, Record("c3"), 5);
        HistoryStore.Append(path, Record("c4"), 5);
        read = HistoryStore.Read(path);
        Assert.Equal(new[] { "c1", "c2", "c3", "c4" }, read.Records.Select(r => r.Commit));
        Assert.Equal(2, Assert.Single(read.Diagnostics).Line);
        Assert.DoesNotContain("[tor", File.ReadAllText(path));
        Assert.Contains("{\"v\":1,\"ti\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_missing_file_is_an_empty_history()
    {
        var read = HistoryStore.Read(Path.Combine(_directory, "none.jsonl"));
        Assert.Empty(read.Records);
        Assert.Empty(read.Diagnostics);
    }

    [Fact]
    public void Eight_concurrent_thread_appenders_lose_nothing_and_tear_nothing()
    {
        var path = Path.Combine(_directory, "history.jsonl");
        const int writers = 8, each = 25;
        RunThreads(writers, w =>
        {
            for (var i = 0; i < each; i++)
            {
                HistoryStore.Append(path, Record($"t{w}-{i}", ns: 1000 + i), 1000);
            }
        });

        AssertComplete(path, Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, each).Select(i => $"t{w}-{i}")));
    }

    [Fact]
    public void Concurrent_appenders_with_trimming_keep_the_limit_within_its_step_and_valid_lines()
    {
        var path = Path.Combine(_directory, "history.jsonl");
        const int writers = 8, each = 15, limit = 40;
        RunThreads(writers, w =>
        {
            for (var i = 0; i < each; i++)
            {
                HistoryStore.Append(path, Record($"t{w}-{i}"), limit);
            }
        });

        var read = HistoryStore.Read(path);
        Assert.Empty(read.Diagnostics);
        Assert.InRange(read.Records.Count, limit, HistoryStore.TrimThreshold(limit));
        Assert.Equal(read.Records.Count, read.Records.Select(r => r.Commit).Distinct().Count());

        // Each writer's records stay in its own order.
        foreach (var group in read.Records.GroupBy(r => r.Commit!.Split('-')[0]))
        {
            var indexes = group.Select(r => int.Parse(r.Commit!.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(indexes.OrderBy(i => i), indexes);
        }
    }

    [Fact]
    public void Eight_concurrent_process_appenders_lose_nothing_and_tear_nothing()
    {
        var helper = HistoryAppenderProcess.Build(_directory);
        var path = Path.Combine(_directory, "history.jsonl");
        const int writers = 8, each = 20;
        var go = Path.Combine(_directory, "go");
        var processes = Enumerable.Range(0, writers).Select(w => Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { helper, path, "p" + w, each.ToString(System.Globalization.CultureInfo.InvariantCulture), go },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!).ToList();

        // Start them together: each waits for the "go" file, so the appends really overlap.
        Thread.Sleep(500);
        File.WriteAllText(go, "");
        foreach (var process in processes)
        {
            Assert.True(process.WaitForExit(120_000), "appender process hung");
            var error = process.StandardError.ReadToEnd();
            Assert.True(process.ExitCode == 0, $"appender failed: {error}");
            process.Dispose();
        }

        AssertComplete(path, Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, each).Select(i => $"p{w}-{i}")));
    }

    private static void RunThreads(int count, Action<int> body)
    {
        using var start = new ManualResetEventSlim();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, count).Select(w => new Thread(() =>
        {
            start.Wait();
            try
            {
                body(w);
            }
            catch (Exception ex)
            {
                failures.Enqueue(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        start.Set();
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }

    private static void AssertComplete(string path, IEnumerable<string> expectedCommits)
    {
        var lines = File.ReadAllLines(path);
        foreach (var line in lines)
        {
            Assert.True(HistoryStore.TryParse(line, out _, out var error), $"torn or invalid line: {line} ({error})");
        }

        var read = HistoryStore.Read(path);
        Assert.Empty(read.Diagnostics);
        var expected = expectedCommits.OrderBy(c => c, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, read.Records.Select(r => r.Commit!).OrderBy(c => c, StringComparer.Ordinal));
        Assert.Equal(expected.Count, lines.Length);
    }
}
