using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.History;

/// <summary>One gate run, as kept in the history file (one JSON line per record).</summary>
public sealed record HistoryRecord
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public DateTimeOffset Time { get; init; }

    public string? Commit { get; init; }

    /// <summary>A/B runs: the base commit this run was measured against (the record is the current side's).</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The project the run gated (several projects may share a history file).</summary>
    public string? Project { get; init; }

    public RunEnvironment Environment { get; init; } = new();

    public IReadOnlyList<HistoryBenchmark> Benchmarks { get; init; } = Array.Empty<HistoryBenchmark>();

    /// <summary>Builds the record of a run: one summary per benchmark that was run or judged.</summary>
    public static HistoryRecord From(RunResult run, GateResult result, DateTimeOffset time, string? commit, string? project = null)
    {
        var verdicts = new Dictionary<string, BenchmarkVerdict>(StringComparer.Ordinal);
        foreach (var verdict in result.Verdicts)
        {
            verdicts[verdict.Id] = verdict;
        }

        var benchmarks = new List<HistoryBenchmark>();
        foreach (var measurement in run.Benchmarks)
        {
            verdicts.TryGetValue(measurement.Id, out var verdict);
            benchmarks.Add(new HistoryBenchmark(measurement.Id)
            {
                TypicalNanoseconds = measurement.TypicalNanoseconds,
                AllocatedBytesPerOperation = measurement.AllocatedBytesPerOperation,
                Outcome = verdict?.Outcome ?? (measurement.Failed ? Judging.Outcome.Failed : Judging.Outcome.Unknown),
                Severity = verdict?.Severity ?? Severity.None,
                Ratio = verdict?.Time?.Ratio is { } r && !double.IsNaN(r) && !double.IsInfinity(r) ? r : null,
                Launches = measurement.Launches.Count,
            });
        }

        return new HistoryRecord
        {
            Time = time,
            Commit = commit,
            Project = project,
            Environment = run.Environment,
            Benchmarks = benchmarks.OrderBy(b => b.Id, StringComparer.Ordinal).ToList(),
        };
    }
}

/// <summary>One benchmark's summary within a <see cref="HistoryRecord"/>.</summary>
public sealed record HistoryBenchmark(string Id)
{
    /// <summary>Median of launch medians, ns/op; null when the benchmark produced no samples.</summary>
    public double? TypicalNanoseconds { get; init; }

    public double? AllocatedBytesPerOperation { get; init; }

    public Outcome Outcome { get; init; }

    public Severity Severity { get; init; }

    /// <summary>current / baseline typical time, where a comparison was made.</summary>
    public double? Ratio { get; init; }

    public int Launches { get; init; }
}
