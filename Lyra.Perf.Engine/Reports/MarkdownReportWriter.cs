using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;

namespace Lyra.Perf.Engine.Reports;

/// <summary>perf-report.md: what a reviewer reads in a pull request (and in the GitHub job summary).</summary>
public static class MarkdownReportWriter
{
    /// <param name="limit">At most this many table rows and findings (the most important first), with a line saying
    /// where the rest is; null for everything.</param>
    public static string Write(ReportContext context, MarkdownLimit? limit = null)
    {
        var result = context.Result;
        var md = new StringBuilder();
        var status = result.Failed ? "❌" : result.Diagnostics.Any(d => d.Level == DiagnosticLevel.Warning) ? "⚠️" : "✅";
        md.Append("## ").Append(status).Append(" Performance gate: ").Append(Text(context.ProjectName))
            .Append(context.Options.Shard is { } shard ? " (" + shard.Shard.Label + ")" : "").Append(" — ").Append(Text(ReportFormat.HeadLine(context))).Append("\n\n");

        var counts = ReportFormat.Counts(result.Verdicts).Where(p => p.Value > 0).Select(p => $"{p.Value} {p.Key.ToString().ToLowerInvariant()}");
        md.Append(ReportFormat.Plural(result.Verdicts.Count, "benchmark")).Append(": ").Append(string.Join(", ", counts)).Append('.');
        if (context.Commit is not null)
        {
            md.Append(" Commit `").Append(Code(context.Commit)).Append("`.");
        }

        md.Append(context.AbSides is { } ab ? " " + Text(ab.Describe()) + "." : context.Baseline is null ? " No baseline yet: this run establishes it." : $" Baseline from {context.Baseline.RecordedAt.ToUniversalTime():yyyy-MM-dd}{(context.Baseline.Commit is null ? "" : $" (`{Code(context.Baseline.Commit)}`)")}.");
        md.Append("\n\n");

        if (UndecidedTimes.Of(result.Verdicts) is { Most: true } undecided)
        {
            md.Append("> **").Append(Text(undecided.CountLine)).Append(".** ").Append(Text(undecided.WhatWouldDecide(context.AbSides is not null))).Append("\n\n");
        }

        if (result.EnvironmentDifferences.Count > 0)
        {
            md.Append("> **Environment differs from the baseline's:** ").Append(Text(string.Join("; ", result.EnvironmentDifferences))).Append("\n\n");
        }

        if (ReportFormat.MachineShift(result) is { } shift)
        {
            md.Append("> **").Append(Text(shift.Substring(0, shift.IndexOf(':')))).Append(":**").Append(Text(shift.Substring(shift.IndexOf(':') + 1))).Append("\n\n");
        }

        if (ReportFormat.CoreShortage(result) is { } busy)
        {
            md.Append("> **Machine busy (LPG0225):**").Append(Text(busy.Substring(busy.IndexOf(':') + 1))).Append("\n\n");
        }

        if (result.Verdicts.Count > 0)
        {
            md.Append("| Benchmark | ").Append(context.AbSides is null ? "Baseline" : "Base (A/B)").Append(" | Current | Change | 95% CI | Confidence | Verdict | Allocated / op |\n");
            md.Append("|:--|--:|--:|--:|:-:|--:|:--|--:|\n");
            var ordered = ReportFormat.Ordered(result.Verdicts);
            foreach (var verdict in ordered.Take(limit?.Rows ?? int.MaxValue))
            {
                md.Append("| ").Append(Text(verdict.Id))
                    .Append(" | ").Append(ReportFormat.Time(verdict.BaselineNanoseconds))
                    .Append(" | ").Append(ReportFormat.Time(verdict.CurrentNanoseconds))
                    .Append(" | ").Append(ReportFormat.Change(verdict))
                    .Append(" | ").Append(ReportFormat.Interval(verdict))
                    .Append(" | ").Append(ReportFormat.Confidence(verdict))
                    .Append(" | ").Append(ReportFormat.Icon(verdict)).Append(' ').Append(Text(ReportFormat.Verdict(verdict)))
                    .Append(" | ").Append(Text(ReportFormat.Allocations(verdict)))
                    .Append(" |\n");
            }

            if (limit is not null && ordered.Count > limit.Rows)
            {
                md.Append('\n').Append(limit.More(ordered.Count - limit.Rows, "benchmark")).Append('\n');
            }

            md.Append('\n');
        }

        if (result.Claims.Count > 0)
        {
            md.Append("### Claims\n\n| Claim | Benchmark | Result | Detail |\n|:--|:--|:-:|:--|\n");
            foreach (var claim in result.Claims)
            {
                md.Append("| ").Append(Text(claim.Claim.Description))
                    .Append(" | ").Append(Text(claim.Subject)).Append(" vs ").Append(Text(claim.Baseline))
                    .Append(" | ").Append(claim.Met ? "✅ met" : "❌ not met")
                    .Append(" | ").Append(Text(claim.Detail))
                    .Append(" |\n");
            }

            md.Append('\n');
        }

        var findings = result.Diagnostics.Where(d => d.Level != DiagnosticLevel.Message).ToList();
        if (findings.Count > 0)
        {
            md.Append("<details><summary>").Append(ReportFormat.Plural(findings.Count, "finding")).Append("</summary>\n\n");
            foreach (var diagnostic in findings.Take(limit?.Rows ?? int.MaxValue))
            {
                md.Append("- **").Append(diagnostic.Level == DiagnosticLevel.Error ? "error" : "warning").Append(' ')
                    .Append('[').Append(diagnostic.Code).Append("](").Append(diagnostic.HelpLink).Append(")**: ")
                    .Append(Text(diagnostic.Message)).Append('\n');
            }

            if (limit is not null && findings.Count > limit.Rows)
            {
                md.Append("- ").Append(limit.More(findings.Count - limit.Rows, "finding")).Append('\n');
            }

            md.Append("\n</details>\n\n");
        }

        md.Append("<sub>").Append(Text(ReportFormat.Settings(context.Options))).Append(". ").Append(Text(ReportFormat.ColumnsNote(result))).Append("</sub>\n");
        return md.ToString();
    }

    /// <summary>Escapes text for a GitHub Markdown table cell: no cell breaks, no emphasis, no raw HTML.</summary>
    public static string Text(string text) => ReportFormat.Escape(text, c => c switch
    {
        '|' => "\\|",
        '\\' => "\\\\",
        '*' or '_' or '`' or '[' or ']' or '#' or '~' => "\\" + c,
        '<' => "&lt;",
        '>' => "&gt;",
        '&' => "&amp;",
        '\r' => "",
        '\n' => " ",
        _ => null,
    });

    private static string Code(string text) => text.Replace("`", "'").Replace("|", "\\|").Replace("\n", " ");
}

/// <summary>A shortened report (a pull-request comment has a size limit): the first <see cref="Rows"/> rows, then where the rest is.</summary>
public sealed record MarkdownLimit(int Rows, string? FullReportUrl)
{
    public string More(int left, string what) => NotShown(ReportFormat.Plural(left, what));

    public string NotShown(string what) =>
        $"_{what} not shown: the full report is perf-report.md "
        + (FullReportUrl is null ? "in the job's artifacts" : $"in the [workflow run's artifacts]({FullReportUrl})") + "._";
}
