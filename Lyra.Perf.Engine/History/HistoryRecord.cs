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
    /// <summary>The line format written: 2 holds the entries as columns (<c>"benchmarks": { "id": [...], "ns": [...], ... }</c>),
    /// 1 as an array of objects; both are read.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The format version the line said (<c>"v"</c>).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public DateTimeOffset Time { get; init; }

    public string? Commit { get; init; }

    /// <summary>A/B runs: the base commit this run was measured against (the record is the current side's).</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The project the run gated (several projects may share a history file).</summary>
    public string? Project { get; init; }

    public RunEnvironment Environment { get; init; } = new();

    /// <summary>The run's entries, as columns (<see cref="HistoryEntries"/>): whatever list is given is held that way.</summary>
    public IReadOnlyList<HistoryBenchmark> Benchmarks { get => Entries; init => Entries = HistoryEntries.Of(value); }

    /// <summary>The same entries, for the passes over the history that read their columns.</summary>
    public HistoryEntries Entries { get; private init; } = HistoryEntries.Empty;

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
            // An interleaved A/B run's units are not launches: their spread is not the process-to-process spread a
            // stored gate learns from the history (RunnerPrior), so they keep no per-launch levels or readings.
            var units = measurement.Launches.Any(Ingest.InterleavedResults.IsUnit);
            benchmarks.Add(new HistoryBenchmark(measurement.Id)
            {
                TypicalNanoseconds = measurement.TypicalNanoseconds,
                AllocatedBytesPerOperation = measurement.AllocatedBytesPerOperation,
                Outcome = verdict?.Outcome ?? (measurement.Failed ? Judging.Outcome.Failed : Judging.Outcome.Unknown),
                Severity = verdict?.Severity ?? Severity.None,
                Ratio = verdict?.Time?.Ratio is { } r && !double.IsNaN(r) && !double.IsInfinity(r) ? r : null,
                Launches = measurement.Launches.Count,
                LaunchLevels = units ? null : Levels(measurement),
                LaunchBytes = !units && measurement.Launches.All(l => l.AllocatedBytesPerOperation is { } b && MeasurementRules.IsAmount(b))
                    ? measurement.Launches.Select(l => l.AllocatedBytesPerOperation!.Value).ToList()
                    : null,
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

    /// <summary>Each launch's fastest valid iteration (the time judge's level), or null when a launch has none.</summary>
    public static IReadOnlyList<double>? Levels(BenchmarkMeasurement measurement) => Levels(measurement.Launches);

    /// <summary>The levels of <paramref name="launches"/> (one session's, say), or null when one has none or there are none.</summary>
    public static IReadOnlyList<double>? Levels(IEnumerable<LaunchMeasurement> launches)
    {
        var levels = new List<double>();
        foreach (var launch in launches)
        {
            // The smallest finite positive sample, without a list of the valid ones per launch.
            var level = double.PositiveInfinity;
            var samples = launch.Samples;
            for (var i = 0; i < samples.Count; i++) // by index: foreach over the interface allocates an enumerator per launch
            {
                if (samples[i] > 0 && samples[i] < level)
                {
                    level = samples[i];
                }
            }

            if (double.IsPositiveInfinity(level))
            {
                return null;
            }

            levels.Add(level);
        }

        return levels.Count == 0 ? null : levels;
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

    /// <summary>Each launch's fastest iteration, ns/op (the time judge's launch level): the runner's launch and run
    /// spread learned from the history (RunnerPrior). Null in records written before it was kept.</summary>
    public IReadOnlyList<double>? LaunchLevels { get; init; }

    /// <summary>Each launch's allocation reading, B/op: whether the benchmark's allocation is constant on this runner.</summary>
    public IReadOnlyList<double>? LaunchBytes { get; init; }

    /// <summary>Equal entries say the same: every property, the per-launch lists by their numbers (however they are held).</summary>
    public bool Equals(HistoryBenchmark? other) =>
        other is not null && Id == other.Id && TypicalNanoseconds == other.TypicalNanoseconds && AllocatedBytesPerOperation == other.AllocatedBytesPerOperation
        && Outcome == other.Outcome && Severity == other.Severity && Ratio == other.Ratio && Launches == other.Launches
        && SameNumbers(LaunchLevels, other.LaunchLevels) && SameNumbers(LaunchBytes, other.LaunchBytes);

    public override int GetHashCode() => (StringComparer.Ordinal.GetHashCode(Id) * 31) + Launches;

    private static bool SameNumbers(IReadOnlyList<double>? a, IReadOnlyList<double>? b) =>
        a is null || b is null ? a is null && b is null : a.SequenceEqual(b);
}
