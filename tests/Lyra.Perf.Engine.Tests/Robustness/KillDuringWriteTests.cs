using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Tests.History;
using Lyra.Perf.Engine.Tests.Ingest;
using Xunit.Abstractions;

namespace Lyra.Perf.Engine.Tests.Robustness;

/// <summary>kill -9 at random points while a child process rewrites the baseline and appends to (and trims) the history.</summary>
public sealed class KillDuringWriteTests : IDisposable
{
    private const int Kills = 20;

    // The child alternates two baselines (whole files, 4 MB each, so a kill often lands mid-write) and appends a
    // history record after each; the limit makes every fourth append from the 34th on an atomic rewrite (a trim back to 30).
    private const string Program = """
        using System;
        using System.IO;
        using Lyra.Perf.Engine.History;
        using Lyra.Perf.Engine.IO;

        var baseline = args[0];
        var history = args[1];
        var ready = args[2];
        var versions = new[] { File.ReadAllText(args[3]), File.ReadAllText(args[4]) };
        for (var i = 0; ; i++)
        {
            AtomicFile.WriteAllText(baseline, versions[i % 2]);
            HistoryStore.Append(history, new HistoryRecord
            {
                Time = DateTimeOffset.UtcNow,
                Commit = "c" + i,
                Benchmarks = new[] { new HistoryBenchmark("Ns.T.A") { TypicalNanoseconds = 100 + i, AllocatedBytesPerOperation = 24 } },
            }, 30);
            if (i == 0)
            {
                File.WriteAllText(ready, "");
            }
        }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-kill-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _output;

    public KillDuringWriteTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string BigBaseline(double level)
    {
        var text = new StringBuilder("{\n  \"schemaVersion\": 1,\n  \"recordedAt\": \"2026-11-27T10:00:00Z\",\n  \"benchmarks\": {\n");
        for (var b = 0; b < 100; b++)
        {
            var samples = string.Join(", ", Enumerable.Range(0, 4000).Select(i => (level + i % 97).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            text.Append($"    \"Ns.T.M{b}\": {{ \"type\": \"Ns.T\", \"method\": \"M{b}\", \"launches\": [ {{ \"samplesNs\": [{samples}] }} ] }}{(b < 99 ? "," : "")}\n");
        }

        return text.Append("  }\n}\n").ToString();
    }

    [Fact]
    public void Killed_at_random_points_the_baseline_is_always_old_or_new_history_lines_are_whole_and_the_next_run_removes_temp_files()
    {
        var writer = HistoryAppenderProcess.Build(_dir, "Writer", Program);
        var baseline = Path.Combine(_dir, "perf-baseline.json");
        var history = Path.Combine(_dir, "perf-history.jsonl");
        var versions = new[] { BigBaseline(1000), BigBaseline(2000) };
        File.WriteAllText(Path.Combine(_dir, "a.json"), versions[0]);
        File.WriteAllText(Path.Combine(_dir, "b.json"), versions[1]);
        AtomicFile.WriteAllText(baseline, versions[1]);
        var random = new Random(13);
        var tempFilesSeen = 0;
        var lastChild = 0;

        for (var kill = 0; kill < Kills; kill++)
        {
            var ready = Path.Combine(_dir, $"ready-{kill}");
            using var child = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { writer, baseline, history, ready, Path.Combine(_dir, "a.json"), Path.Combine(_dir, "b.json") },
                UseShellExecute = false,
                RedirectStandardError = true,
            })!;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(ready) && !child.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }

            if (child.HasExited || !File.Exists(ready))
            {
                Assert.Fail("the writer stopped or never got ready: " + (child.HasExited ? child.StandardError.ReadToEnd() : "timeout"));
            }

            Thread.Sleep(random.Next(0, 120));
            child.Kill();
            child.WaitForExit();
            lastChild = child.Id;

            var content = File.ReadAllText(baseline);
            Assert.True(content == versions[0] || content == versions[1], $"kill {kill}: the baseline is neither version ({content.Length} chars)");
            var read = HistoryStore.Read(history);
            Assert.Empty(read.Diagnostics);
            Assert.NotEmpty(read.Records);
            tempFilesSeen += Directory.GetFiles(_dir, ".*.tmp").Length;
        }

        // Kills land mid-write only part of the time (the history's fsync dominates the loop): what one leaves is
        // also planted, named as the killed child would have named it, so the cleanup is always exercised.
        File.WriteAllText(Path.Combine(_dir, $".perf-baseline.json.{lastChild}.0badf00d.tmp"), versions[0].Substring(0, 1000));

        // The next run: a gate over the same files removes what the killed writers left.
        var results = Path.Combine(_dir, "results");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "Ns.T-report-full.json"), BdnJson.Report(BdnJson.Benchmark("A", new[] { new[] { 10.0, 11, 12 } })));
        GateRunner.Gate(new GateRequest { ResultsDirectories = new[] { results }, BaselinePath = baseline, HistoryFile = history, ProjectDirectory = _dir, ProjectName = "P" });

        _output.WriteLine($"{Kills} kills, {tempFilesSeen} temp file(s) left behind by them");
        Assert.Empty(Directory.GetFiles(_dir, ".*.tmp"));
        Assert.NotNull(BaselineSerializer.Read(baseline));
    }
}
