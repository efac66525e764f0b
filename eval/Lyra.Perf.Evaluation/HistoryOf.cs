using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Evaluation;

/// <summary>Earlier runs as the gate's history would hold them (one record per run, in the given order), and what
/// the engine learns from it (RunnerPrior) for judging <c>current</c>.</summary>
internal static class HistoryOf
{
    public static RunnerHistory? Learn(IReadOnlyList<RunResult>? earlier, RunResult current, RunResult baseline) =>
        earlier is null ? null : RunnerPrior.Learn(Records(earlier), current, baseline.Benchmarks);

    public static IReadOnlyList<HistoryRecord> Records(IEnumerable<RunResult> earlier) =>
        earlier.Select((run, i) => HistoryRecord.From(run, new GateResult(), DateTimeOffset.UnixEpoch.AddHours(i), null)).ToList();
}
