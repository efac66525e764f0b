using System;
using System.Linq;
using System.Text;

namespace Lyra.Perf.Engine.Reports;

/// <summary>
/// perf-report.comment.md: the Markdown report as one pull-request comment. It starts with a hidden marker, so a
/// workflow finds its own earlier comment and edits it instead of adding one per push, and it stays within GitHub's
/// comment size limit by cutting the table (most important rows first) with a link to the full report.
/// </summary>
public static class PullRequestCommentWriter
{
    /// <summary>GitHub rejects a comment body longer than this (characters).</summary>
    public const int MaxLength = 65_536;

    /// <summary>Overrides the link to the full report; otherwise the GitHub Actions run page (where the artifacts are).</summary>
    public const string ReportUrlVariable = "LYRA_PERF_REPORT_URL";

    /// <summary>The hidden first line that identifies the comment of one gated project.</summary>
    public static string Marker(string projectName) => $"<!-- lyra-perf-comment: {Identifier(projectName)} -->";

    /// <param name="fullReportUrl">Where the untruncated report is (see <see cref="FullReportUrl"/>); null says "the job's artifacts".</param>
    public static string Write(ReportContext context, string? fullReportUrl, int maxLength = MaxLength) =>
        Write(MarkdownReportWriter.Render(context), context.ProjectName, fullReportUrl, maxLength);

    /// <summary>The comment of a Markdown report already made (the gate makes perf-report.md from the same parts).</summary>
    public static string Write(MarkdownReport report, string projectName, string? fullReportUrl, int maxLength = MaxLength)
    {
        var marker = Marker(projectName) + "\n";
        if (marker.Length + report.Length(null) <= maxLength)
        {
            return marker + report.Text(null);
        }

        // The most rows that fit (the body only grows with rows), bisected on the lengths alone; the whole report
        // (rows + 1) is known not to fit, no rows is assumed to (checked below).
        var (low, high) = (0, report.Rows + 1);
        while (high - low > 1)
        {
            var rows = (low + high) / 2;
            if (marker.Length + report.Length(new MarkdownLimit(rows, fullReportUrl)) <= maxLength)
            {
                low = rows;
            }
            else
            {
                high = rows;
            }
        }

        var body = marker + report.Text(new MarkdownLimit(low, fullReportUrl));
        if (body.Length <= maxLength)
        {
            return body;
        }

        // Even without rows it is too long (huge claims or names): cut at a line end and say so.
        var tail = "\n\n" + new MarkdownLimit(0, fullReportUrl).NotShown("The rest is") + "\n";
        var cut = body.LastIndexOf('\n', Math.Max(0, maxLength - tail.Length - 1));
        return body.Substring(0, Math.Max(marker.Length, cut)) + tail;
    }

    /// <summary>The run page of the GitHub Actions run (its artifacts hold the full report), or the override.</summary>
    public static string? FullReportUrl(Func<string, string?> environment)
    {
        if (environment(ReportUrlVariable) is { Length: > 0 } url)
        {
            return url;
        }

        var server = environment("GITHUB_SERVER_URL");
        var repository = environment("GITHUB_REPOSITORY");
        var run = environment("GITHUB_RUN_ID");
        return string.IsNullOrEmpty(server) || string.IsNullOrEmpty(repository) || string.IsNullOrEmpty(run)
            ? null
            : $"{server!.TrimEnd('/')}/{repository}/actions/runs/{run}";
    }

    /// <summary>Letters, digits, '.', '_' and '-' only (never "--", which would end the HTML comment).</summary>
    private static string Identifier(string name)
    {
        var text = new StringBuilder();
        foreach (var c in string.IsNullOrEmpty(name) ? "gate" : name)
        {
            text.Append(char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '-');
        }

        var identifier = text.ToString();
        while (identifier.Contains("--"))
        {
            identifier = identifier.Replace("--", "-");
        }

        return identifier.Trim('-').Length == 0 ? "gate" : identifier.Trim('-');
    }
}
