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
    public static string Write(ReportContext context, string? fullReportUrl, int maxLength = MaxLength)
    {
        var marker = Marker(context.ProjectName) + "\n";
        string Body(MarkdownLimit? limit) => marker + MarkdownReportWriter.Write(context, limit);

        var body = Body(null);
        if (body.Length <= maxLength)
        {
            return body;
        }

        // The largest number of rows that fits (the body only grows with rows). Rows are of similar length, so after
        // a first sample of 32 rows the count is interpolated from the last two bodies written (a few writes, not a
        // bisection's dozen at 1,000 benchmarks); after three guesses it bisects, so it always ends. The whole report
        // (rows + 1) is known not to fit; no rows is assumed to (checked below).
        var rows = Math.Max(context.Result.Verdicts.Count, context.Result.Diagnostics.Count);
        var (low, high) = (0, rows + 1);
        body = Body(new MarkdownLimit(0, fullReportUrl));
        var (lastRows, lastLength, perRow) = (0, (double)body.Length, 0.0);
        for (var guesses = 0; high - low > 1; guesses++)
        {
            var guess = guesses == 0 ? 32
                : guesses < 4 && perRow > 0 ? lastRows + (int)Math.Floor((maxLength - lastLength) / perRow)
                : (low + high) / 2;
            guess = Math.Min(high - 1, Math.Max(low + 1, guess));
            var text = Body(new MarkdownLimit(guess, fullReportUrl));
            perRow = (text.Length - lastLength) / (guess - lastRows);
            (lastRows, lastLength) = (guess, text.Length);
            if (text.Length <= maxLength)
            {
                (low, body) = (guess, text);
            }
            else
            {
                high = guess;
            }
        }

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
