using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>A slow monotone drift across a benchmark's history (LPG0104).</summary>
/// <param name="Detected">A significant rising trend whose total size reaches the threshold.</param>
/// <param name="TotalChange">Fitted change from the first to the last run (0.12 = 12 % slower), from the Theil–Sen slope.</param>
/// <param name="ChangePerRun">Fitted relative change per run.</param>
/// <param name="PValue">Mann–Kendall one-sided p-value for a rising trend.</param>
/// <param name="Runs">Valid points used.</param>
public sealed record HistoryDriftResult(bool Detected, double TotalChange, double ChangePerRun, double PValue, int Runs, string Reason);

/// <summary>Detects creeping slowdowns that no single gate run flags: each step is inside the noise, the sum is not.
/// Mann–Kendall (a rank test, robust to the bimodal process levels seen here) decides that there is a trend; the
/// Theil–Sen slope on ln(time) says how big it is. Pure: the caller supplies the series from the history file.</summary>
public static class HistoryDrift
{
    /// <summary>LPG0104 for every benchmark of <paramref name="run"/> (not already a regression) whose series over the
    /// history, this run last, climbs steadily. One pass over the history (it can hold 1,000 runs of 1,000 benchmarks).</summary>
    public static IReadOnlyList<GateDiagnostic> Diagnose(IReadOnlyList<HistoryRecord> history, RunResult run, IReadOnlyList<BenchmarkVerdict> verdicts, Func<string, double> thresholdFor, string baselinePath) =>
        ExceptRegressed(Diagnose(history, run, thresholdFor, baselinePath), verdicts);

    /// <summary>LPG0104 for every benchmark of <paramref name="run"/> whose series climbs steadily, regressions of this
    /// run included (the gate computes it beside the judge, then drops those with <see cref="ExceptRegressed"/>).</summary>
    public static IReadOnlyList<GateDiagnostic> Diagnose(IReadOnlyList<HistoryRecord> history, RunResult run, Func<string, double> thresholdFor, string baselinePath)
    {
        var candidates = run.Benchmarks.Where(b => !b.Failed && b.TypicalNanoseconds.HasValue).ToList();
        var series = HistorySeries.Of(history);
        var found = new List<GateDiagnostic>();
        foreach (var benchmark in candidates)
        {
            var points = (series.TryGetValue(benchmark.Id, out var earlier) ? earlier.Select(p => p.Nanoseconds) : Enumerable.Empty<double>())
                .Concat(new[] { benchmark.TypicalNanoseconds!.Value }).ToList();
            if (!MayDrift(points))
            {
                continue;
            }

            var drift = Detect(points, thresholdFor(benchmark.Id));
            if (drift.Detected)
            {
                found.Add(new GateDiagnostic(DiagnosticCodes.SlowDrift, DiagnosticLevel.Warning,
                    $"{benchmark.Id} has drifted {Units.Change(1 + drift.TotalChange)} over the last {drift.Runs} runs ({Units.Change(1 + drift.ChangePerRun)} per run), though no single run crossed the threshold. See the trend chart in perf-report.html and bisect the commits of the drift.")
                { BenchmarkId = benchmark.Id, File = baselinePath });
            }
        }

        return found;
    }

    /// <summary>The drifts of benchmarks this run did not flag as regressed: a regression says it already.</summary>
    public static IReadOnlyList<GateDiagnostic> ExceptRegressed(IReadOnlyList<GateDiagnostic> drifts, IReadOnlyList<BenchmarkVerdict> verdicts)
    {
        var regressed = new HashSet<string>(verdicts.Where(v => v.Outcome == Outcome.Regressed).Select(v => v.Id), StringComparer.Ordinal);
        return drifts.Where(d => d.BenchmarkId is not { } id || !regressed.Contains(id)).ToList();
    }

    public const int MinimumRuns = 8;

    /// <summary>Detect's first condition alone (enough runs, a significant rising trend): only then is its Theil–Sen
    /// slope, over every pair of runs, worth computing.</summary>
    private static bool MayDrift(IReadOnlyList<double> typicalNanoseconds, double alpha = 0.01)
    {
        var logs = typicalNanoseconds.Where(v => v > 0 && !double.IsInfinity(v) && !double.IsNaN(v)).Select(v => Math.Log(v)).ToList();
        return logs.Count >= MinimumRuns && Trend.MannKendall(logs).PRising < alpha;
    }

    /// <param name="typicalNanoseconds">Typical time of each past run, oldest first. NaN, zero and negative entries are skipped.</param>
    /// <param name="threshold">Smallest total drift that counts (the gate's threshold, 0.05 = 5 %).</param>
    /// <param name="alpha">Significance level of the trend test; strict by default because history points are
    /// positively autocorrelated on this machine (lag-1 correlation 0.54 between consecutive processes), which makes
    /// Mann–Kendall over-confident.</param>
    public static HistoryDriftResult Detect(IReadOnlyList<double> typicalNanoseconds, double threshold, double alpha = 0.01)
    {
        var logs = typicalNanoseconds.Where(v => v > 0 && !double.IsInfinity(v) && !double.IsNaN(v)).Select(v => Math.Log(v)).ToList();
        if (logs.Count < MinimumRuns)
        {
            return new HistoryDriftResult(false, double.NaN, double.NaN, 1, logs.Count, $"only {logs.Count} valid run(s) in the history; a drift needs at least {MinimumRuns}");
        }

        var test = Trend.MannKendall(logs);
        var slope = Trend.TheilSenSlope(logs);
        var total = Math.Exp(slope * (logs.Count - 1)) - 1;
        var perRun = Math.Exp(slope) - 1;
        var detected = test.PRising < alpha && total >= threshold;
        var reason = detected
            ? $"rising trend over {logs.Count} runs: {Units.Change(1 + total)} in total ({Units.Change(1 + perRun)} per run, Mann–Kendall p = {P(test.PRising)})"
            : test.PRising < alpha
                ? $"rising trend (p = {P(test.PRising)}) but only {Units.Change(1 + total)} in total, below {Units.Percent(threshold)}"
                : $"no significant rising trend over {logs.Count} runs (p = {P(test.PRising)}, fitted {Units.Change(1 + total)})";
        return new HistoryDriftResult(detected, total, perRun, test.PRising, logs.Count, reason);
    }

    private static string P(double p) => p.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
