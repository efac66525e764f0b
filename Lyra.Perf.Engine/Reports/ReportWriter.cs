using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Lyra.Perf.Engine.IO;

namespace Lyra.Perf.Engine.Reports;

/// <summary>Writes every report of a gate run into one directory, each file atomically (temp file + rename).</summary>
public static class ReportWriter
{
    public const string JsonFileName = "perf-report.json";
    public const string MarkdownFileName = "perf-report.md";
    public const string HtmlFileName = "perf-report.html";
    public const string SarifFileName = "perf-report.sarif";
    public const string CommentFileName = "perf-report.comment.md";

    /// <summary>Writes the reports; returns their full paths (JSON, Markdown, HTML, SARIF, the pull-request comment).</summary>
    /// <param name="environment">Reads an environment variable (the comment's link to the run); defaults to the process environment.</param>
    /// <param name="timer">Times each report (written included) as a step of the gate; null: untimed.</param>
    /// <exception cref="IOException">A report could not be written (the caller reports LPG0307).</exception>
    public static IReadOnlyList<string> WriteAll(ReportContext context, string directory, Func<string, string?>? environment = null, StageTimer? timer = null)
    {
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var written = new List<string>();
        Write(JsonFileName, JsonReportWriter.Write(context), "report json");
        Write(MarkdownFileName, MarkdownReportWriter.Write(context), "report markdown");
        Write(HtmlFileName, HtmlReportWriter.Write(context), "report html");
        Write(SarifFileName, SarifReportWriter.Write(context), "report sarif");
        Write(CommentFileName, PullRequestCommentWriter.Write(context, PullRequestCommentWriter.FullReportUrl(environment ?? Environment.GetEnvironmentVariable)), "report comment");
        return written;

        void Write(string name, string content, string stage)
        {
            var path = Path.Combine(full, name);
            AtomicFile.WriteAllText(path, content);
            written.Add(path);
            timer?.Lap(stage);
        }
    }

    /// <summary>Appends the Markdown report to the file named by <c>GITHUB_STEP_SUMMARY</c> (GitHub Actions' job summary), when set.
    /// Returns the file appended to, or null when the variable is not set.</summary>
    /// <param name="environment">Reads an environment variable; defaults to the process environment (a seam for tests).</param>
    public static string? AppendGitHubStepSummary(ReportContext context, Func<string, string?>? environment = null)
    {
        var path = (environment ?? Environment.GetEnvironmentVariable)("GITHUB_STEP_SUMMARY");
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        // Appending (not replacing) is the contract of this file: other steps write to it too.
        File.AppendAllText(path, MarkdownReportWriter.Write(context) + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}
