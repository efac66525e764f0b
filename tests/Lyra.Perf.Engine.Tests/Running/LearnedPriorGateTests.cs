using System;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Tests.Ingest;

namespace Lyra.Perf.Engine.Tests.Running;

/// <summary>The gate reads the history before judging and learns the runner from it (RunnerPrior).</summary>
public sealed class LearnedPriorGateTests : IDisposable
{
    private static readonly string[] Suite = { "A", "B", "C", "D" };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-learned-" + Guid.NewGuid().ToString("N"));

    public LearnedPriorGateTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>One launch of 10 iterations spread over 6 % (a wide iteration-based prior), fastest at <paramref name="level"/>.</summary>
    private static double[][] OneLaunch(double level) => new[] { Enumerable.Range(0, 10).Select(i => level * (1 + (0.0067 * i))).ToArray() };

    private string Results(string name, Func<string, double> level)
    {
        var folder = Path.Combine(_dir, name, "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Ns.Type-report-full.json"), BdnJson.Report(Suite.Select(id => BdnJson.Benchmark(id, OneLaunch(level(id)))).ToArray()));
        return Path.Combine(_dir, name);
    }

    private GateRequest Request(string results, int hour) => new()
    {
        ResultsDirectories = new[] { results },
        BaselinePath = Path.Combine(_dir, "perf-baseline.json"),
        ProjectDirectory = _dir,
        ProjectName = "P",
        Now = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero).AddHours(hour),
    };

    [Fact]
    public void A_quiet_runners_history_lets_one_launch_a_side_resolve_ten_percent()
    {
        GateRunner.Gate(Request(Results("base", _ => 1000), 0));
        var history = Path.Combine(_dir, "history.jsonl");
        for (var i = 1; i <= 20; i++)
        {
            var run = i;
            GateRunner.Gate(Request(Results("run" + run, id => 1000 * (1 + (0.003 * (((run + id[0]) % 5) - 2)))), run) with { HistoryFile = history });
        }

        var slowed = Results("slowed", id => id == "A" ? 1100 : 1000);
        var without = GateRunner.Gate(Request(slowed, 30));
        Assert.DoesNotContain(without.Diagnostics, d => d.Code == DiagnosticCodes.TimeRegression);
        Assert.Equal(TimeOutcome.Unknown, without.Result!.Verdicts.Single(v => v.Id == "Ns.Type.A").Time!.Outcome);

        var learned = GateRunner.Gate(Request(slowed, 30) with { HistoryFile = history });
        var regression = Assert.Single(learned.Diagnostics, d => d.Code == DiagnosticCodes.TimeRegression);
        Assert.Contains("Ns.Type.A", regression.Message, StringComparison.Ordinal);
        Assert.Equal(TimeOutcome.Slower, learned.Result!.Verdicts.Single(v => v.Id == "Ns.Type.A").Time!.Outcome);
        Assert.All(learned.Result.Verdicts.Where(v => v.Id != "Ns.Type.A"), v => Assert.NotEqual(TimeOutcome.Slower, v.Time!.Outcome));
    }
}
