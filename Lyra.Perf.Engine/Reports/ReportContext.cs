using System;
using System.Collections.Generic;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Reports;

/// <summary>Everything the report writers need about one gate run.</summary>
public sealed record ReportContext
{
    public GateResult Result { get; init; } = new();

    public RunResult Run { get; init; } = new();

    /// <summary>The baseline the run was judged against; null when none existed (first run).</summary>
    public Baseline? Baseline { get; init; }

    public string BaselinePath { get; init; } = "";

    /// <summary>Earlier runs, oldest first. A record with this run's <see cref="Time"/> is taken as this run (not drawn twice).</summary>
    public IReadOnlyList<HistoryRecord> History { get; init; } = Array.Empty<HistoryRecord>();

    public GateOptions Options { get; init; } = new();

    public DateTimeOffset Time { get; init; }

    public string? Commit { get; init; }

    public string ProjectName { get; init; } = "";

    /// <summary>Repository root: SARIF locations under it are written relative to it (uriBaseId SRCROOT), as code-scanning UIs expect.</summary>
    public string? SourceRoot { get; init; }

    /// <summary>Version of the tool, for the reports' metadata.</summary>
    public string? ToolVersion { get; init; }

    /// <summary>A/B mode: the base and current commits (the "baseline" is then the base commit's launches).</summary>
    public Comparison.AbSides? AbSides { get; init; }
}
