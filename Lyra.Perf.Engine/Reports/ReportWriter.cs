using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
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
    /// <param name="timer">Times each report's making (its own time) and the writing of the files; null: untimed.</param>
    /// <exception cref="IOException">A report could not be written (the caller reports LPG0307).</exception>
    public static IReadOnlyList<string> WriteAll(ReportContext context, string directory, Func<string, string?>? environment = null, StageTimer? timer = null)
    {
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var link = PullRequestCommentWriter.FullReportUrl(environment ?? Environment.GetEnvironmentVariable);

        // The reports only read the decided run, so they are made side by side: the HTML, the largest by far, made and
        // written on another thread (from its builder's chunks: no string or byte array of the page) while the others
        // are made on this one.
        var htmlPath = Path.Combine(full, HtmlFileName);
        var html = Task.Run(() =>
        {
            var made = Timed(() => HtmlReportWriter.Render(context));
            AtomicFile.WriteAllText(htmlPath, made.Content);
            return made.Time;
        });
        // The JSON report is written as it is made, beside the page (its own time includes writing it).
        var jsonPath = Path.Combine(full, JsonFileName);
        var json = Timed(() =>
        {
            AtomicFile.Write(jsonPath, stream => JsonReportWriter.WriteTo(stream, context));
            return jsonPath;
        });
        MarkdownReport? parts = null;
        var markdown = Timed(() => (parts = MarkdownReportWriter.Render(context)).Text(null));
        var sarif = Timed(() => SarifReportWriter.Write(context));
        var comment = Timed(() => PullRequestCommentWriter.Write(parts!, context.ProjectName, link));
        var page = html.GetAwaiter().GetResult(); // its own exception, not an AggregateException
        if (timer is not null)
        {
            foreach (var (stage, time) in new[] { ("report json", json.Time), ("report markdown", markdown.Time), ("report sarif", sarif.Time), ("report comment", comment.Time), ("report html", page) })
            {
                timer.Record(stage, time);
            }

            timer.Lap("reports made (html made and written beside the others)");
        }

        var written = new List<string> { jsonPath };
        foreach (var (name, content) in new[] { (MarkdownFileName, markdown.Content), (SarifFileName, sarif.Content), (CommentFileName, comment.Content) })
        {
            var path = Path.Combine(full, name);
            AtomicFile.WriteAllText(path, content);
            written.Add(path);
        }

        written.Insert(2, htmlPath);
        timer?.Lap("reports written (markdown, sarif, comment)");
        return written;
    }

    private static (T Content, TimeSpan Time) Timed<T>(Func<T> make)
    {
        var clock = Stopwatch.StartNew();
        return (make(), clock.Elapsed);
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
