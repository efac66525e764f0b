using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.History;

/// <summary>
/// How much of the history a gate run reads: its most recent runs, as many as its most demanding consumer uses, never
/// the whole file (<see cref="HistoryStore.ReadRecent"/>). What each consumer uses of them:
/// <list type="bullet">
/// <item><see cref="RunnerPrior"/>: each benchmark's <see cref="RunnerPrior.MaximumRuns"/> most recent runs of this machine kind.</item>
/// <item>The HTML trend chart: one point per run, at most <see cref="HtmlReportWriter.MaxChartPoints"/>, this run's the last.</item>
/// <item>History drift (LPG0104, <see cref="HistoryDrift"/>): the runs the chart shows, so a drift it names can be seen there.</item>
/// <item>The JSON report's <c>historyRuns</c>: their count.</item>
/// </list>
/// </summary>
public static class HistoryWindow
{
    /// <summary>Earlier runs read (of this project): with this run, one full chart, and never fewer than the prior uses.</summary>
    public const int Runs = HtmlReportWriter.MaxChartPoints - 1 > RunnerPrior.MaximumRuns ? HtmlReportWriter.MaxChartPoints - 1 : RunnerPrior.MaximumRuns;
}
