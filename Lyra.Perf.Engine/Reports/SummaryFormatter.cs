using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;

namespace Lyra.Perf.Engine.Reports;

/// <summary>The one-screen text summary printed at the end of a gate run: counts per outcome, the worst regressions,
/// failed claims and benchmarks, and where the reports are. Plain text, no colour; lines are short enough for a terminal.</summary>
public static class SummaryFormatter
{
    public const int MaxListed = 5;

    /// <param name="reportDirectory">Where <see cref="ReportWriter.WriteAll"/> wrote the reports; null to leave the paths out.</param>
    public static IReadOnlyList<string> Format(ReportContext context, string? reportDirectory = null)
    {
        var result = context.Result;
        var lines = new List<string>();
        var name = string.IsNullOrEmpty(context.ProjectName) ? "" : context.ProjectName + ": ";
        lines.Add($"Performance gate {name}{ReportFormat.HeadLine(context)}");
        if (context.AbSides is { } ab)
        {
            lines.Add("  " + ab.Describe());
        }

        // A run that mostly could not decide leads with what would decide it, as one count (the details are in the reports).
        var undecided = UndecidedTimes.Of(result.Verdicts);
        if (undecided is { Most: true })
        {
            lines.Add($"  {undecided.CountLine} (threshold {Units.Percent(context.Options.Threshold)}).");
            lines.Add($"  {undecided.WhatWouldDecide(context.AbSides is not null)}");
        }

        var counts = ReportFormat.Counts(result.Verdicts).Where(p => p.Value > 0).Select(p => $"{p.Value} {p.Key.ToString().ToLowerInvariant()}").ToList();
        lines.Add($"  {ReportFormat.Plural(result.Verdicts.Count, "benchmark")}" + (counts.Count > 0 ? ": " + string.Join(", ", counts) : "")
            + (result.Claims.Count > 0 ? $"; claims: {result.Claims.Count(c => c.Met)} met, {result.Claims.Count(c => !c.Met)} not met" : ""));

        if (undecided is { Most: false })
        {
            lines.Add($"  {undecided.CountLine} (LPG0206: what would decide them).");
        }

        if (context.Options.Shard is { } shard)
        {
            lines.Add($"  {Capitalised(shard.Shard.Label)}: {ReportFormat.Plural(result.Verdicts.Count, "benchmark")} ({shard.Owned.Count} of {shard.Assignment.Count} benchmark methods); a compare-only run over every shard's results judges the whole suite.");
        }

        var regressions = result.Verdicts.Where(v => v.Outcome == Outcome.Regressed)
            .OrderByDescending(v => v.FailsBuild).ThenByDescending(v => v.Severity).ThenByDescending(v => ReportFormat.Ratio(v) ?? 0).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();
        if (regressions.Count > 0)
        {
            lines.Add(regressions.Count > MaxListed ? $"  Worst regressions ({MaxListed} of {regressions.Count}):" : "  Regressions:");
            foreach (var verdict in regressions.Take(MaxListed))
            {
                // What regressed first, each with its own severity; then the other measure as it came out.
                var allocation = verdict.Allocation is { Regressed: true } a ? $"allocated {Units.Bytes(a.BaselineBytes)} → {Units.Bytes(a.CurrentBytes)}" : null;
                var time = ReportFormat.TimeText(verdict);
                var figures = verdict.Time?.Outcome == TimeOutcome.Slower
                    ? $"{ReportFormat.Time(verdict.BaselineNanoseconds)} → {ReportFormat.Time(verdict.CurrentNanoseconds)}" + (allocation is null ? "" : ", " + allocation)
                    : allocation + "; " + time;
                lines.Add($"    {(verdict.FailsBuild ? "FAIL" : verdict.Undecided is not null ? "undec" : "warn")} {verdict.Id}: {ReportFormat.Regression(verdict)}: {figures}");
            }
        }

        foreach (var failed in result.Verdicts.Where(v => v.Outcome == Outcome.Failed).Take(MaxListed))
        {
            lines.Add($"    FAIL failed   {failed.Id}: {failed.Detail ?? "no result"}");
        }

        var unmet = result.Claims.Where(c => !c.Met).ToList();
        if (unmet.Count > 0)
        {
            lines.Add("  Claims not met:");
            foreach (var claim in unmet.Take(MaxListed))
            {
                lines.Add($"    {claim.Claim.Description} ({claim.Subject}): {claim.Detail}");
            }
        }

        var improved = result.Verdicts.Count(v => v.Outcome == Outcome.Improved);
        if (improved > 0)
        {
            lines.Add($"  {ReportFormat.Plural(improved, "benchmark")} improved: refresh the baseline with -t:PerfBaseline to lock the gain in.");
        }

        if (result.MachineShift is { } shift)
        {
            lines.Add($"  Machine-state shift: the whole suite ran {Units.Change(shift.Ratio)} against the stored baseline (LPG0107); decide with a re-run on a quiet machine, A/B mode (-p:PerfGateBaseRef=<commit>) or a baseline re-recorded on this runner.");
        }

        if (result.CoreShortages.Count > 0)
        {
            var other = Statistics.Descriptive.Median(result.CoreShortages.Values.Select(s => s.OtherLoad));
            lines.Add($"  Machine busy: other processes took {other.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture)} of {result.CoreShortages.Values.First().MachineCores} cores while {ReportFormat.Plural(result.CoreShortages.Count, "multi-threaded benchmark")} ran (LPG0225); decide with a re-run on a free runner"
                + (context.AbSides is null ? " or A/B mode (-p:PerfGateBaseRef=<commit>)." : "."));
        }

        if (result.EnvironmentDifferences.Count > 0)
        {
            lines.Add($"  Environment differs from the baseline's: {string.Join("; ", result.EnvironmentDifferences)}");
        }

        if (reportDirectory is not null)
        {
            lines.Add($"  Reports: {Path.Combine(reportDirectory, ReportWriter.HtmlFileName)}");
            lines.Add($"           {Path.Combine(reportDirectory, ReportWriter.MarkdownFileName)}, {ReportWriter.JsonFileName}, {ReportWriter.SarifFileName}");
        }

        return lines;
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    /// <summary>The summary as one string with '\n' line ends.</summary>
    public static string FormatText(ReportContext context, string? reportDirectory = null) => string.Join("\n", Format(context, reportDirectory));
}
