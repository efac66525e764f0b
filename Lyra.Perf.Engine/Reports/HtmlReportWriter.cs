using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Reports;

/// <summary>
/// perf-report.html: one self-contained file (no CDN, no network; a Content-Security-Policy forbids any fetch):
/// a sortable results table and, per benchmark, an inline SVG trend chart drawn from the history with the
/// baseline line and the threshold band. Every name is HTML-escaped; embedded JSON escapes '&lt;'.
/// </summary>
public static class HtmlReportWriter
{
    private const int ChartWidth = 640;
    private const int ChartHeight = 180;
    private const int Left = 72;
    private const int Right = 16;
    private const int Top = 14;
    private const int Bottom = 30;

    /// <summary>Up to this many benchmarks the page shows everything at once. A larger suite's page leads with what
    /// needs attention: the table's unchanged rows wait behind a button, and the unchanged benchmarks' trends sit in a
    /// closed section, each drawn as one line without per-run markers. So 1,000 benchmarks with a 1,000-run history
    /// stay a few MB that Chromium opens in about a second (HtmlScaleTests; docs/architecture.md).</summary>
    public const int FullPageBenchmarks = 100;

    /// <summary>A chart draws at most this many points (its plot is 552 px wide): a longer history is drawn as the
    /// medians of consecutive runs, the newest run always on its own.</summary>
    public const int MaxChartPoints = 120;

    /// <summary>The unchanged benchmarks' charts on a large page: fewer points, one line, no markers but this run's.</summary>
    public const int MaxCompactChartPoints = 60;

    public static string Write(ReportContext context) => Render(context).ToString();

    /// <summary>The page, as the builder that made it: the gate writes its chunks to the file without a string of the
    /// whole page (several megabytes at 1,000 benchmarks, each copy fresh memory).</summary>
    public static StringBuilder Render(ReportContext context)
    {
        var result = context.Result;
        var rows = ReportFormat.Ordered(result.Verdicts);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Encode($"Performance gate: {context.ProjectName} — {ReportFormat.HeadLine(context)}")).Append("</title>\n");
        html.Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");

        html.Append("<header><h1>").Append(result.Failed ? "✖" : "✓").Append(" Performance gate: ").Append(Encode(context.ProjectName)).Append("</h1>\n");
        html.Append("<p class=\"headline ").Append(result.Failed ? "bad" : "good").Append("\">").Append(Encode(ReportFormat.HeadLine(context))).Append("</p>\n");
        html.Append("<p class=\"meta\">").Append(Encode(JsonReportWriter.Timestamp(context.Time)));
        if (context.Commit is not null)
        {
            html.Append(" · commit <code>").Append(Encode(context.Commit)).Append("</code>");
        }

        html.Append(" · ").Append(Encode(context.AbSides is { } ab ? ab.Describe() : context.Baseline is null ? "no baseline yet (established by this run)" : $"baseline {context.Baseline.RecordedAt.ToUniversalTime():yyyy-MM-dd}" + (context.Baseline.Commit is null ? "" : $" ({context.Baseline.Commit})")));
        html.Append(" · ").Append(Encode(context.Run.Environment.Cpu)).Append(", ").Append(Encode(context.Run.Environment.Runtime));
        html.Append("<br>").Append(Encode(ReportFormat.Settings(context.Options))).Append("</p>\n");
        html.Append("<ul class=\"counts\">");
        foreach (var pair in ReportFormat.Counts(result.Verdicts).Where(p => p.Value > 0))
        {
            html.Append("<li class=\"o-").Append(pair.Key.ToString().ToLowerInvariant()).Append("\">").Append(pair.Value.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Encode(pair.Key.ToString().ToLowerInvariant())).Append("</li>");
        }

        html.Append("</ul>\n</header>\n");

        if (UndecidedTimes.Of(result.Verdicts) is { Most: true } undecided)
        {
            html.Append("<p class=\"warning\">").Append(Encode(undecided.CountLine + ". " + undecided.WhatWouldDecide(context.AbSides is not null))).Append("</p>\n");
        }

        if (result.EnvironmentDifferences.Count > 0)
        {
            html.Append("<p class=\"warning\">Environment differs from the baseline's: ").Append(Encode(string.Join("; ", result.EnvironmentDifferences))).Append("</p>\n");
        }

        if (ReportFormat.MachineShift(result) is { } shift)
        {
            html.Append("<p class=\"warning\" id=\"machine-shift\">").Append(Encode(shift)).Append("</p>\n");
        }

        if (ReportFormat.CoreShortage(result) is { } busy)
        {
            html.Append("<p class=\"warning\" id=\"core-shortage\">").Append(Encode(busy)).Append("</p>\n");
        }

        var large = rows.Count > FullPageBenchmarks;
        var unchanged = rows.Count(v => v.Outcome == Outcome.Unchanged);

        // The trend charts, most of the page, are made on another thread while the rest of it is.
        var charts = System.Threading.Tasks.Task.Run(() => Charts(context, rows, large, unchanged));
        html.Append("<h2>Results</h2>\n<p class=\"hint\">Click a column header to sort.");
        if (large && unchanged > 0)
        {
            html.Append(" <button type=\"button\" id=\"toggle-unchanged\" data-count=\"").Append(unchanged.ToString(CultureInfo.InvariantCulture)).Append("\">")
                .Append(Encode($"Show the {ReportFormat.Plural(unchanged, "unchanged benchmark")}")).Append("</button>");
        }

        html.Append("</p>\n");
        html.Append("<table id=\"results\" class=\"").Append(large && unchanged > 0 ? "results collapsed" : "results").Append("\">\n<thead><tr>");
        foreach (var header in new[] { "Benchmark", context.AbSides is null ? "Baseline" : "Base (A/B)", "Current", "Change", "95% CI", "Confidence", "Verdict", "Allocated / op", ReportFormat.Unit(result).Title })
        {
            html.Append("<th scope=\"col\" tabindex=\"0\">").Append(Encode(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        var index = 0;
        foreach (var verdict in rows)
        {
            var ratio = ReportFormat.Ratio(verdict);
            html.Append("<tr class=\"o-").Append(verdict.Outcome.ToString().ToLowerInvariant()).Append(verdict.FailsBuild ? " fails" : "").Append("\" data-benchmark=\"").Append(Encode(verdict.Id)).Append("\">");
            html.Append("<td class=\"name\" data-sort=\"").Append(Encode(verdict.Id)).Append("\"><a href=\"#chart-").Append(index.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(Encode(verdict.Id)).Append("</a>");
            if (ReportFormat.Location(result, verdict.Id) is { } location)
            {
                html.Append("<div class=\"where\">").Append(Encode(Path.GetFileName(location.File))).Append(location.Line > 0 ? ":" + location.Line.ToString(CultureInfo.InvariantCulture) : "").Append("</div>");
            }

            html.Append("</td>");
            Cell(html, ReportFormat.Time(verdict.BaselineNanoseconds), verdict.BaselineNanoseconds);
            Cell(html, ReportFormat.Time(verdict.CurrentNanoseconds), verdict.CurrentNanoseconds);
            Cell(html, ReportFormat.Change(verdict), ratio);
            Cell(html, ReportFormat.Interval(verdict), verdict.Time?.RatioLower);
            Cell(html, ReportFormat.Confidence(verdict), verdict.Time?.Confidence);
            html.Append("<td class=\"verdict\" data-sort=\"").Append((ReportFormat.Rank(verdict) * 10 + (4 - (int)verdict.Severity)).ToString(CultureInfo.InvariantCulture)).Append("\">")
                .Append(Icon(verdict)).Append(' ').Append(Encode(ReportFormat.Verdict(verdict)));
            if (verdict.Detail is not null)
            {
                html.Append("<div class=\"detail\">").Append(Encode(verdict.Detail)).Append("</div>");
            }

            html.Append("</td>");
            Cell(html, ReportFormat.Allocations(verdict), verdict.CurrentAllocatedBytes ?? verdict.BaselineAllocatedBytes);
            Cell(html, $"{verdict.BaselineLaunches} → {verdict.CurrentLaunches}", verdict.CurrentLaunches);
            html.Append("</tr>\n");
            index++;
        }

        html.Append("</tbody>\n</table>\n");
        html.Append("<p class=\"hint\">").Append(Encode(ReportFormat.ColumnsNote(result))).Append("</p>\n");

        if (result.Claims.Count > 0)
        {
            html.Append("<h2>Claims</h2>\n<table class=\"claims\"><thead><tr><th>Claim</th><th>Benchmark</th><th>Result</th><th>Detail</th></tr></thead><tbody>\n");
            foreach (var claim in result.Claims)
            {
                html.Append("<tr class=\"").Append(claim.Met ? "met" : "not-met").Append("\"><td>").Append(Encode(claim.Claim.Description))
                    .Append("</td><td>").Append(Encode(claim.Subject)).Append(" vs ").Append(Encode(claim.Baseline))
                    .Append("</td><td>").Append(claim.Met ? "✓ met" : "✖ not met")
                    .Append("</td><td>").Append(Encode(claim.Detail)).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        AppendInPieces(html, charts.GetAwaiter().GetResult());

        var findings = result.Diagnostics.Where(d => d.Level != DiagnosticLevel.Message).ToList();
        if (findings.Count > 0)
        {
            html.Append("<h2>Findings</h2>\n<ul class=\"findings\">\n");
            foreach (var diagnostic in findings)
            {
                html.Append("<li class=\"").Append(diagnostic.Level == DiagnosticLevel.Error ? "error" : "warning").Append("\"><a href=\"").Append(Encode(diagnostic.HelpLink)).Append("\">")
                    .Append(Encode(diagnostic.Code)).Append("</a> ").Append(Encode(diagnostic.Message));
                if (diagnostic.File is not null)
                {
                    html.Append(" <span class=\"where\">").Append(Encode(diagnostic.File)).Append(diagnostic.Line > 0 ? $"({diagnostic.Line},{diagnostic.Column})" : "").Append("</span>");
                }

                html.Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        // The JSON report, for tools that scrape the page. '<', '>' and '&' are \u-escaped so no name can close the script element.
        html.Append("<script type=\"application/json\" id=\"perf-data\">");
        AppendEmbeddedJson(html, context);
        html.Append("</script>\n");
        html.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html;
    }

    /// <summary>HTML-escapes text for element content and quoted attribute values.</summary>
    public static string Encode(string? text) => text is null ? "" : ReportFormat.Escape(text, c => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        _ => null,
    });

    /// <summary>The page's trends section: one chart per benchmark, in the table's order.</summary>
    private static StringBuilder Charts(ReportContext context, IReadOnlyList<BenchmarkVerdict> rows, bool large, int unchanged)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<h2>Trends</h2>\n<p class=\"hint\">Typical time per gate run (history, oldest left; this run, when it measured the benchmark, is the ringed point). Dashed line: baseline; shaded band: baseline ± threshold.")
            .Append(" A history longer than ").Append(MaxChartPoints.ToString(CultureInfo.InvariantCulture)).Append(" runs is drawn as medians of consecutive runs.</p>\n<div class=\"charts\">\n");
        var index = 0;
        var compactOpen = false;
        foreach (var verdict in rows)
        {
            var compact = large && verdict.Outcome == Outcome.Unchanged;
            if (compact && !compactOpen)
            {
                // Rows are ordered: from here on every chart is an unchanged benchmark's.
                html.Append("</div>\n<details class=\"unchanged-charts\"><summary>").Append(Encode($"Trends of the {ReportFormat.Plural(unchanged, "unchanged benchmark")}")).Append("</summary>\n<div class=\"charts\">\n");
                compactOpen = true;
            }

            html.Append("<figure class=\"chart\" id=\"chart-").Append(index.ToString(CultureInfo.InvariantCulture)).Append("\" data-benchmark=\"").Append(Encode(verdict.Id)).Append("\">\n");
            html.Append("<figcaption>").Append(Icon(verdict)).Append(' ').Append(Encode(verdict.Id)).Append("</figcaption>\n");
            Chart(html, context, verdict, compact);
            html.Append("</figure>\n");
            index++;
        }

        html.Append(compactOpen ? "</div>\n</details>\n" : "</div>\n");
        return html;
    }

    /// <summary>Appends <paramref name="part"/> a chunk's worth at a time: appended whole, the builder would make one
    /// chunk of its full size (megabytes of fresh memory at 1,000 benchmarks).</summary>
    private static void AppendInPieces(StringBuilder html, StringBuilder part)
    {
#if NETFRAMEWORK
        html.Append(part.ToString());
#else
        const int Piece = 8000; // StringBuilder's largest chunk
        for (var start = 0; start < part.Length; start += Piece)
        {
            html.Append(part, start, Math.Min(Piece, part.Length - start));
        }
#endif
    }

    /// <summary>The JSON report, compact, decoded into the page as it is written (no copy of it as bytes or as a string).</summary>
    private static void AppendEmbeddedJson(StringBuilder html, ReportContext context)
    {
        using var page = new StringBuilderStream(html);

        // JavaScriptEncoder.Default escapes <, >, &, ' and non-ASCII as \uXXXX: safe inside <script>.
        using var writer = new Utf8JsonWriter(page, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
        JsonReportWriter.Write(writer, context);
    }

    /// <summary>A write-only stream that decodes UTF-8 onto the end of a builder.</summary>
    private sealed class StringBuilderStream(StringBuilder text) : Stream
    {
        private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
        private char[] _chars = new char[4096];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            var needed = _decoder.GetCharCount(buffer, offset, count, flush: false);
            if (needed > _chars.Length)
            {
                _chars = new char[needed];
            }

            var decoded = _decoder.GetChars(buffer, offset, count, _chars, 0, flush: false);
            text.Append(_chars, 0, decoded);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static void Cell(StringBuilder html, string text, double? sortValue)
    {
        html.Append("<td class=\"num\" data-sort=\"").Append(sortValue is { } v && !double.IsNaN(v) && !double.IsInfinity(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "").Append("\">").Append(Encode(text)).Append("</td>");
    }

    /// <param name="compact">An unchanged benchmark on a large page: fewer points, no per-run markers or tooltips but this run's.</param>
    private static void Chart(StringBuilder html, ReportContext context, BenchmarkVerdict verdict, bool compact = false)
    {
        var series = ReportFormat.Series(context, verdict.Id);
        var points = Thin(series, compact ? MaxCompactChartPoints : MaxChartPoints);
        // The chart plots typical times (median of launch medians, as the history keeps them): the baseline line too.
        var baseline = context.Baseline is not null && context.Baseline.Benchmarks.TryGetValue(verdict.Id, out var entry)
            ? entry.Measurement.TypicalNanoseconds
            : verdict.BaselineNanoseconds;
        var threshold = context.Options.For(verdict.Id).Threshold;
        html.Append("<svg class=\"trend\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(ChartHeight)
            .Append("\" width=\"").Append(ChartWidth).Append("\" height=\"").Append(ChartHeight).Append("\" data-points=\"").Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append("\">");
        html.Append("<title>").Append(Encode($"Trend of {verdict.Id}")).Append("</title>");
        html.Append("<rect class=\"frame\" x=\"").Append(Left).Append("\" y=\"").Append(Top).Append("\" width=\"").Append(ChartWidth - Left - Right).Append("\" height=\"").Append(ChartHeight - Top - Bottom).Append("\"/>");

        var values = points.Select(p => p.Nanoseconds).ToList();
        if (baseline is { } b && b > 0)
        {
            values.Add(b * (1 + threshold));
            values.Add(b * (1 - threshold));
        }

        if (values.Count == 0)
        {
            html.Append("<text class=\"empty\" x=\"").Append(ChartWidth / 2).Append("\" y=\"").Append(ChartHeight / 2).Append("\" text-anchor=\"middle\">no measurements yet</text></svg>\n");
            return;
        }

        var min = values.Min();
        var max = values.Max();
        if (max - min < max * 1e-6)
        {
            min = max * 0.9;
            max *= 1.1;
        }

        var pad = (max - min) * 0.08;
        min = Math.Max(0, min - pad);
        max += pad;
        double Y(double ns) => Top + (ChartHeight - Top - Bottom) * (1 - ((ns - min) / (max - min)));
        double X(double position) => series.Count <= 1 ? Left + (ChartWidth - Left - Right) / 2.0 : Left + 8 + (ChartWidth - Left - Right - 16) * position / (series.Count - 1);

        if (baseline is { } bl && bl > 0)
        {
            var top = Y(bl * (1 + threshold));
            var bottom = Y(bl * (1 - threshold));
            html.Append("<rect class=\"band\" x=\"").Append(Left).Append("\" y=\"").AppendCoordinate(top).Append("\" width=\"").Append(ChartWidth - Left - Right).Append("\" height=\"").AppendCoordinate(bottom - top).Append(compact ? "\"/>" : "\"><title>");
            if (!compact)
            {
                html.Append(Encode($"threshold band: {Units.Time(bl * (1 - threshold))} – {Units.Time(bl * (1 + threshold))} (±{Units.Percent(threshold)})")).Append("</title></rect>");
            }

            html.Append("<line class=\"baseline\" x1=\"").Append(Left).Append("\" x2=\"").Append(ChartWidth - Right).Append("\" y1=\"").AppendCoordinate(Y(bl)).Append("\" y2=\"").AppendCoordinate(Y(bl)).Append(compact ? "\"/>" : "\"><title>");
            if (!compact)
            {
                html.Append(Encode($"baseline {Units.Time(bl)}")).Append("</title></line>");
            }
        }

        // Axis labels: top, bottom, and the first/last run dates.
        html.Append("<text class=\"axis\" x=\"").Append(Left - 6).Append("\" y=\"").Append(Top + 10).Append("\" text-anchor=\"end\">").Append(Encode(Units.Time(max))).Append("</text>");
        html.Append("<text class=\"axis\" x=\"").Append(Left - 6).Append("\" y=\"").Append(ChartHeight - Bottom).Append("\" text-anchor=\"end\">").Append(Encode(Units.Time(min))).Append("</text>");
        if (series.Count > 0)
        {
            html.Append("<text class=\"axis\" x=\"").Append(Left).Append("\" y=\"").Append(ChartHeight - 10).Append("\">").Append(Encode(series[0].Time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("</text>");
            html.Append("<text class=\"axis\" x=\"").Append(ChartWidth - Right).Append("\" y=\"").Append(ChartHeight - 10).Append("\" text-anchor=\"end\">")
                .Append(Encode(ReportFormat.Plural(series.Count, "run") + " · " + series[series.Count - 1].Time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("</text>");
        }

        if (points.Count > 1)
        {
            html.Append("<polyline class=\"series\" points=\"");
            for (var i = 0; i < points.Count; i++)
            {
                html.Append(i == 0 ? "" : " ").AppendCoordinate(X(points[i].Position)).Append(',').AppendCoordinate(Y(points[i].Nanoseconds));
            }

            html.Append("\"/>");
        }

        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var last = i == points.Count - 1 && point.Runs == 1 && point.Last == context.Time;
            if (compact && !last)
            {
                continue;
            }

            html.Append("<circle class=\"").Append(last ? "point current" : "point").Append("\" cx=\"").AppendCoordinate(X(point.Position)).Append("\" cy=\"").AppendCoordinate(Y(point.Nanoseconds)).Append("\" r=\"").Append(last ? "5" : "3").Append("\"><title>")
                .Append(Encode(point.Runs == 1
                    ? $"{point.First.ToUniversalTime():yyyy-MM-dd HH:mm}{(point.Commit is null ? "" : " " + point.Commit)}: {Units.Time(point.Nanoseconds)}"
                    : $"{point.First.ToUniversalTime():yyyy-MM-dd HH:mm} – {point.Last.ToUniversalTime():yyyy-MM-dd HH:mm}: median {Units.Time(point.Nanoseconds)} of {point.Runs} runs")).Append("</title></circle>");
        }

        html.Append("</svg>\n");
    }

    /// <summary>A chart's point: one run, or the median of consecutive runs (<see cref="Runs"/> &gt; 1), placed at their
    /// mean position in the series.</summary>
    private readonly record struct ChartPoint(double Position, double Nanoseconds, DateTimeOffset First, DateTimeOffset Last, string? Commit, int Runs);

    /// <summary>The series as at most <paramref name="max"/> points: unchanged when it fits; otherwise the newest run on
    /// its own and the others in equal groups of consecutive runs, each drawn at its median.</summary>
    private static IReadOnlyList<ChartPoint> Thin(IReadOnlyList<(DateTimeOffset Time, string? Commit, double Nanoseconds)> series, int max)
    {
        var points = new List<ChartPoint>(Math.Min(series.Count, max));
        if (series.Count <= max)
        {
            for (var i = 0; i < series.Count; i++)
            {
                points.Add(new ChartPoint(i, series[i].Nanoseconds, series[i].Time, series[i].Time, series[i].Commit, 1));
            }

            return points;
        }

        var older = series.Count - 1;
        var groups = max - 1;
        for (var g = 0; g < groups; g++)
        {
            var from = (int)((long)older * g / groups);
            var to = (int)((long)older * (g + 1) / groups);
            var values = new List<double>(to - from);
            for (var i = from; i < to; i++)
            {
                values.Add(series[i].Nanoseconds);
            }

            points.Add(new ChartPoint((from + to - 1) / 2.0, Statistics.Descriptive.Median(values), series[from].Time, series[to - 1].Time, null, to - from));
        }

        var newest = series[series.Count - 1];
        points.Add(new ChartPoint(series.Count - 1, newest.Nanoseconds, newest.Time, newest.Time, newest.Commit, 1));
        return points;
    }

    /// <summary>Symbols every common font has (emoji fonts are often missing on CI machines).</summary>
    private static string Icon(BenchmarkVerdict verdict) => verdict.Outcome switch
    {
        Outcome.Regressed => verdict.FailsBuild ? "✖" : "⚠",
        Outcome.Failed => "✖",
        Outcome.Unknown => "?",
        Outcome.New => "+",
        Outcome.Removed => "−",
        Outcome.Improved => "▼",
        _ => "✓",
    };

    /// <summary>A chart coordinate with at most one decimal ("0.#": 12.25 → "12.3", 12 → "12"), from the value in
    /// tenths rounded half away from zero (a page draws a hundred thousand of them; a custom format string is slow).</summary>
    internal static string F(double value) => new StringBuilder().AppendCoordinate(value).ToString();

    private const string Style = """
        :root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --bad: #cf222e; --warn: #9a6700; --good: #1a7f37; --accent: #0969da; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --bad: #ff7b72; --warn: #d29922; --good: #3fb950; --accent: #4493f8; } }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 24px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 6px; }
        .headline { font-size: 16px; font-weight: 600; margin: 4px 0; } .headline.bad { color: var(--bad); } .headline.good { color: var(--good); }
        .meta, .hint, .where, .detail { color: var(--muted); } .where, .detail { font-size: 12px; }
        .counts { list-style: none; padding: 0; display: flex; gap: 12px; flex-wrap: wrap; } .counts li { border: 1px solid var(--line); border-radius: 12px; padding: 1px 10px; }
        .warning { color: var(--warn); }
        table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
        th { cursor: pointer; user-select: none; white-space: nowrap; } th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; } td.name { word-break: break-all; font-family: ui-monospace, monospace; font-size: 13px; }
        td.name a { color: var(--accent); text-decoration: none; }
        tr.fails td.verdict, tr.o-failed td.verdict { color: var(--bad); font-weight: 600; } tr.o-regressed td.verdict { color: var(--warn); } tr.o-improved td.verdict { color: var(--good); }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(660px, 1fr)); gap: 12px; }
        figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; } figcaption { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; margin-bottom: 4px; }
        svg.trend { max-width: 100%; height: auto; } svg .frame { fill: none; stroke: var(--line); } svg .band { fill: var(--good); fill-opacity: 0.12; }
        svg .baseline { stroke: var(--good); stroke-width: 1.5; stroke-dasharray: 6 4; } svg .series { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        svg .point { fill: var(--accent); } svg .current { fill: var(--bg); stroke: var(--accent); stroke-width: 2.5; } svg .axis, svg .empty { fill: var(--muted); font-size: 11px; }
        .findings li.error { color: var(--bad); } .findings li.warning { color: var(--warn); }
        .results.collapsed tr.o-unchanged { display: none; } details.unchanged-charts { margin-top: 12px; } details.unchanged-charts > summary { cursor: pointer; color: var(--accent); margin-bottom: 8px; }
        button#toggle-unchanged { font: inherit; color: var(--accent); background: none; border: 1px solid var(--line); border-radius: 12px; padding: 0 10px; cursor: pointer; }

        """;

    private const string Script = """
        (function () {
          "use strict";
          var table = document.getElementById("results");
          if (!table || !table.tHead) { return; }
          var headers = table.tHead.rows[0].cells;
          function key(row, index) {
            var cell = row.cells[index];
            var value = cell.getAttribute("data-sort");
            if (value !== null && value !== "" && !isNaN(Number(value))) { return Number(value); }
            return value !== null && value !== "" ? value : cell.textContent;
          }
          function sortBy(index) {
            var header = headers[index];
            var ascending = header.getAttribute("aria-sort") !== "ascending";
            for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
            header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = key(a, index), y = key(b, index), order;
              if (typeof x === "number" && typeof y === "number") { order = x - y; }
              else if (typeof x === "number") { order = -1; }
              else if (typeof y === "number") { order = 1; }
              else { order = String(x).localeCompare(String(y)); }
              return ascending ? order : -order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
          }
          Array.prototype.forEach.call(headers, function (header, index) {
            header.addEventListener("click", function () { sortBy(index); });
            header.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(index); } });
          });
          // A large page hides the unchanged rows and charts until asked (one listener each, none per row).
          var toggle = document.getElementById("toggle-unchanged");
          if (toggle) {
            toggle.addEventListener("click", function () {
              var hidden = table.classList.toggle("collapsed");
              toggle.textContent = (hidden ? "Show the " : "Hide the ") + toggle.getAttribute("data-count") + " unchanged benchmark" + (toggle.getAttribute("data-count") === "1" ? "" : "s");
            });
          }
          table.addEventListener("click", function (e) {
            var link = e.target.closest ? e.target.closest("a[href^='#chart-']") : null;
            var figure = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
            var section = figure && figure.closest ? figure.closest("details") : null;
            if (section) { section.open = true; }
          });
          var data = JSON.parse(document.getElementById("perf-data").textContent);
          document.documentElement.setAttribute("data-status", data.status);
          document.documentElement.setAttribute("data-benchmarks", String(data.benchmarks.length));
        })();

        """;
}

/// <summary>Chart coordinates written straight into the page.</summary>
internal static class ChartCoordinates
{
    /// <summary>A coordinate at most one decimal ("12.5", "-0.5", "3"), as "0.#" formats it invariantly, from its
    /// tenths: the page has a hundred thousand of them at 1,000 benchmarks, and none becomes a string of its own.</summary>
    public static StringBuilder AppendCoordinate(this StringBuilder html, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) >= 1e15)
        {
            return html.Append(value.ToString("0.#", CultureInfo.InvariantCulture));
        }

        var tenths = (long)Math.Round(value * 10, MidpointRounding.AwayFromZero);
        if (tenths < 0)
        {
            html.Append('-');
            tenths = -tenths;
        }

        AppendDigits(html, tenths / 10);
        return tenths % 10 == 0 ? html : html.Append('.').Append((char)('0' + (tenths % 10)));
    }

    private static void AppendDigits(StringBuilder html, long value)
    {
        if (value >= 10)
        {
            AppendDigits(html, value / 10);
        }

        html.Append((char)('0' + (value % 10)));
    }
}
