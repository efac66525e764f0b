using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Tests.Ingest;

namespace Lyra.Perf.Engine.Tests.Running;

/// <summary>GateRequest.OnStage: the gate times its own steps, so the engine benchmarks' --stages measure the real
/// pipeline; without an observer nothing is timed.</summary>
public sealed class StageTimerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-stages-" + Guid.NewGuid().ToString("N"));

    public StageTimerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private GateRequest Request(string name, double level)
    {
        var folder = Path.Combine(_dir, name, "results");
        Directory.CreateDirectory(folder);
        var launches = Enumerable.Range(0, 3).Select(l => Enumerable.Range(0, 10).Select(i => level * (1 + (0.002 * ((i + l) % 3)))).ToArray()).ToArray();
        File.WriteAllText(Path.Combine(folder, "Ns.Type-report-full.json"), BdnJson.Report(BdnJson.Benchmark("A", launches)));
        return new GateRequest
        {
            ResultsDirectories = new[] { Path.Combine(_dir, name) },
            BaselinePath = Path.Combine(_dir, "perf-baseline.json"),
            ProjectDirectory = _dir,
            ProjectName = "P",
            ReportDirectory = Path.Combine(_dir, "reports"),
            HistoryFile = Path.Combine(_dir, "history.jsonl"),
            Now = new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero),
        };
    }

    [Fact]
    public void A_gate_pass_reports_each_of_its_steps_once_in_order()
    {
        GateRunner.Gate(Request("base", 100));
        var stages = new List<(string Stage, TimeSpan Time)>();

        var timed = GateRunner.Gate(Request("run", 100) with { OnStage = (stage, time) => stages.Add((stage, time)) });
        var untimed = GateRunner.Gate(Request("again", 100));

        Assert.Equal(
            new[]
            {
                "ingest reports", "read baseline", "read history + runner prior", "judge + decide (with PDB lookup)", "history drift (the rest of it, beside the judge)", "place diagnostics",
                "report context (commit, history record)",
                // Each report's own making time (the HTML beside the others), then the wall time of making and of writing them.
                "report json", "report markdown", "report sarif", "report comment", "report html", "reports made (html made and written beside the others)", "reports written (markdown, sarif, comment)",
                "GitHub step summary", "history append", "summary",
            },
            stages.Select(s => s.Stage));
        Assert.All(stages, s => Assert.True(s.Time >= TimeSpan.Zero, s.Stage));
        Assert.Equal(untimed.Decision.Status, timed.Decision.Status);
    }

    [Fact]
    public void Without_an_observer_there_is_no_timer()
    {
        Assert.Null(StageTimer.For(null));
        var laps = new List<string>();
        StageTimer.For((stage, _) => laps.Add(stage))!.Lap("one");
        Assert.Equal(new[] { "one" }, laps);
    }
}
