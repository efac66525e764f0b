using System.Collections.Generic;
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
    public static string Write(ReportContext context, MarkdownLimit? limit = null) => Render(context).Text(limit);

    /// <summary>The report's parts, each made once: any shortened report is put together from them (the pull-request
    /// comment looks for the most rows that fit without writing the report again per guess).</summary>
    public static MarkdownReport Render(ReportContext context)
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

        var rows = new List<string>();
        var hasTable = result.Verdicts.Count > 0;
        if (hasTable)
        {
            md.Append("| Benchmark | ").Append(context.AbSides is null ? "Baseline" : "Base (A/B)").Append(" | Current | Change | 95% CI | Confidence | Verdict | Allocated / op |\n");
            md.Append("|:--|--:|--:|--:|:-:|--:|:--|--:|\n");
            var row = new StringBuilder();
            foreach (var verdict in ReportFormat.Ordered(result.Verdicts))
            {
                row.Clear();
                row.Append("| ").Append(Text(verdict.Id))
                    .Append(" | ").Append(ReportFormat.Time(verdict.BaselineNanoseconds))
                    .Append(" | ").Append(ReportFormat.Time(verdict.CurrentNanoseconds))
                    .Append(" | ").Append(ReportFormat.Change(verdict))
                    .Append(" | ").Append(ReportFormat.Interval(verdict))
                    .Append(" | ").Append(ReportFormat.Confidence(verdict))
                    .Append(" | ").Append(ReportFormat.Icon(verdict)).Append(' ').Append(Text(ReportFormat.Verdict(verdict)))
                    .Append(" | ").Append(Text(ReportFormat.Allocations(verdict)))
                    .Append(" |\n");
                rows.Add(row.ToString());
            }
        }

        var head = md.ToString();
        md.Clear();
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

        var findings = new List<string>();
        var diagnostics = result.Diagnostics.Where(d => d.Level != DiagnosticLevel.Message).ToList();
        if (diagnostics.Count > 0)
        {
            md.Append("<details><summary>").Append(ReportFormat.Plural(diagnostics.Count, "finding")).Append("</summary>\n\n");
            foreach (var diagnostic in diagnostics)
            {
                findings.Add("- **" + (diagnostic.Level == DiagnosticLevel.Error ? "error" : "warning") + " [" + diagnostic.Code + "](" + diagnostic.HelpLink + ")**: " + Text(diagnostic.Message) + "\n");
            }
        }

        var beforeFindings = md.ToString();
        var foot = "<sub>" + Text(ReportFormat.Settings(context.Options)) + ". " + Text(ReportFormat.ColumnsNote(result)) + "</sub>\n";
        return new MarkdownReport(head, hasTable, rows, beforeFindings, diagnostics.Count > 0, findings, foot);
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

/// <summary>perf-report.md in parts, as <see cref="MarkdownReportWriter.Render"/> made them: the text before the table's
/// rows, the rows (most important first), what lies between the table and the findings, the findings, the footer.</summary>
public sealed class MarkdownReport
{
    private readonly string _head, _beforeFindings, _foot;
    private readonly bool _hasTable, _hasFindings;
    private readonly IReadOnlyList<string> _rows, _findings;

    // The characters of the first n rows (findings) at [n]: any shortened report's length without writing it.
    private readonly int[] _rowChars, _findingChars;

    internal MarkdownReport(string head, bool hasTable, IReadOnlyList<string> rows, string beforeFindings, bool hasFindings, IReadOnlyList<string> findings, string foot)
    {
        (_head, _hasTable, _rows, _beforeFindings, _hasFindings, _findings, _foot) = (head, hasTable, rows, beforeFindings, hasFindings, findings, foot);
        _rowChars = Sums(rows);
        _findingChars = Sums(findings);
    }

    /// <summary>Table rows and findings, whichever are more: the most a limit can cut.</summary>
    public int Rows => System.Math.Max(_rows.Count, _findings.Count);

    /// <summary>The report, at most <see cref="MarkdownLimit.Rows"/> table rows and findings with a line saying where the rest is; null: all.</summary>
    public string Text(MarkdownLimit? limit)
    {
        var text = new StringBuilder(Length(limit));
        var (rows, findings) = Shown(limit);
        text.Append(_head);
        if (_hasTable)
        {
            for (var i = 0; i < rows; i++)
            {
                text.Append(_rows[i]);
            }

            text.Append(TableEnd(limit));
        }

        text.Append(_beforeFindings);
        if (_hasFindings)
        {
            for (var i = 0; i < findings; i++)
            {
                text.Append(_findings[i]);
            }

            text.Append(FindingsEnd(limit));
        }

        return text.Append(_foot).ToString();
    }

    /// <summary>The length of <see cref="Text"/> for <paramref name="limit"/>, without putting it together.</summary>
    public int Length(MarkdownLimit? limit)
    {
        var (rows, findings) = Shown(limit);
        return _head.Length + (_hasTable ? _rowChars[rows] + TableEnd(limit).Length : 0)
            + _beforeFindings.Length + (_hasFindings ? _findingChars[findings] + FindingsEnd(limit).Length : 0) + _foot.Length;
    }

    private (int Rows, int Findings) Shown(MarkdownLimit? limit) =>
        (System.Math.Min(_rows.Count, limit?.Rows ?? int.MaxValue), System.Math.Min(_findings.Count, limit?.Rows ?? int.MaxValue));

    private string TableEnd(MarkdownLimit? limit) =>
        limit is not null && _rows.Count > limit.Rows ? "\n" + limit.More(_rows.Count - limit.Rows, "benchmark") + "\n\n" : "\n";

    private string FindingsEnd(MarkdownLimit? limit) =>
        (limit is not null && _findings.Count > limit.Rows ? "- " + limit.More(_findings.Count - limit.Rows, "finding") + "\n" : "") + "\n</details>\n\n";

    private static int[] Sums(IReadOnlyList<string> parts)
    {
        var sums = new int[parts.Count + 1];
        for (var i = 0; i < parts.Count; i++)
        {
            sums[i + 1] = sums[i] + parts[i].Length;
        }

        return sums;
    }
}
