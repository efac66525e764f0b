using System;
using System.Collections.Generic;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Baselines;

/// <summary>The committed reference a run is judged against (perf-baseline.json).</summary>
public sealed record Baseline
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public DateTimeOffset RecordedAt { get; init; }

    public string? Commit { get; init; }

    public string? Tool { get; init; }

    public RunEnvironment Environment { get; init; } = new();

    /// <summary>Benchmarks by id, in ordinal order so the file is stable.</summary>
    public IReadOnlyDictionary<string, BaselineEntry> Benchmarks { get; init; } = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
}

/// <summary>One benchmark as recorded: its launches keep their raw samples for the statistics.</summary>
public sealed record BaselineEntry
{
    public BenchmarkMeasurement Measurement { get; init; } = new();

    /// <summary>Where the entry starts in the baseline file (0 when not read from a file).</summary>
    public int Line { get; init; }

    public int Column { get; init; }
}
