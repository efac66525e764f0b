using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;

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

    public static string Write(ReportContext context)
    {
        var result = context.Result;
        var rows = ReportFormat.Ordered(result.Verdicts);
        var html = new StringBuilder();
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

        if (result.EnvironmentDifferences.Count > 0)
        {
            html.Append("<p class=\"warning\">Environment differs from the baseline's: ").Append(Encode(string.Join("; ", result.EnvironmentDifferences))).Append("</p>\n");
        }

        if (ReportFormat.MachineShift(result) is { } shift)
        {
            html.Append("<p class=\"warning\" id=\"machine-shift\">").Append(Encode(shift)).Append("</p>\n");
        }

        html.Append("<h2>Results</h2>\n<p class=\"hint\">Click a column header to sort.</p>\n");
        html.Append("<table id=\"results\" class=\"results\">\n<thead><tr>");
        foreach (var header in new[] { "Benchmark", context.AbSides is null ? "Baseline" : "Base (A/B)", "Current", "Change", "95% CI", "Confidence", "Verdict", "Allocated / op", "Launches" })
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

        html.Append("<h2>Trends</h2>\n<p class=\"hint\">Typical time per gate run (history, oldest left; this run, when it measured the benchmark, is the ringed point). Dashed line: baseline; shaded band: baseline ± threshold.</p>\n<div class=\"charts\">\n");
        index = 0;
        foreach (var verdict in rows)
        {
            html.Append("<figure class=\"chart\" id=\"chart-").Append(index.ToString(CultureInfo.InvariantCulture)).Append("\" data-benchmark=\"").Append(Encode(verdict.Id)).Append("\">\n");
            html.Append("<figcaption>").Append(Icon(verdict)).Append(' ').Append(Encode(verdict.Id)).Append("</figcaption>\n");
            Chart(html, context, verdict);
            html.Append("</figure>\n");
            index++;
        }

        html.Append("</div>\n");

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
        html.Append("<script type=\"application/json\" id=\"perf-data\">").Append(EmbeddedJson(context)).Append("</script>\n");
        html.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
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

    internal static string EmbeddedJson(ReportContext context)
    {
        using var stream = new MemoryStream();

        // JavaScriptEncoder.Default escapes <, >, &, ' and non-ASCII as \uXXXX: safe inside <script>.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default }))
        {
            JsonReportWriter.Write(writer, context);
        }

        var json = Encoding.UTF8.GetString(stream.ToArray());

        // Belt and braces: the encoder above already does this.
        return json.Replace("<", "\\u003c").Replace(">", "\\u003e");
    }

    private static void Cell(StringBuilder html, string text, double? sortValue)
    {
        html.Append("<td class=\"num\" data-sort=\"").Append(sortValue is { } v && !double.IsNaN(v) && !double.IsInfinity(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "").Append("\">").Append(Encode(text)).Append("</td>");
    }

    private static void Chart(StringBuilder html, ReportContext context, BenchmarkVerdict verdict)
    {
        var series = ReportFormat.Series(context, verdict.Id);
        var baseline = verdict.BaselineNanoseconds;
        var threshold = context.Options.For(verdict.Id).Threshold;
        html.Append("<svg class=\"trend\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(ChartHeight)
            .Append("\" width=\"").Append(ChartWidth).Append("\" height=\"").Append(ChartHeight).Append("\" data-points=\"").Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append("\">");
        html.Append("<title>").Append(Encode($"Trend of {verdict.Id}")).Append("</title>");
        html.Append("<rect class=\"frame\" x=\"").Append(Left).Append("\" y=\"").Append(Top).Append("\" width=\"").Append(ChartWidth - Left - Right).Append("\" height=\"").Append(ChartHeight - Top - Bottom).Append("\"/>");

        var values = series.Select(p => p.Nanoseconds).ToList();
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
        double X(int i) => series.Count <= 1 ? Left + (ChartWidth - Left - Right) / 2.0 : Left + 8 + (ChartWidth - Left - Right - 16) * i / (double)(series.Count - 1);

        if (baseline is { } bl && bl > 0)
        {
            var top = Y(bl * (1 + threshold));
            var bottom = Y(bl * (1 - threshold));
            html.Append("<rect class=\"band\" x=\"").Append(Left).Append("\" y=\"").Append(F(top)).Append("\" width=\"").Append(ChartWidth - Left - Right).Append("\" height=\"").Append(F(bottom - top)).Append("\"><title>")
                .Append(Encode($"threshold band: {Units.Time(bl * (1 - threshold))} – {Units.Time(bl * (1 + threshold))} (±{Units.Percent(threshold)})")).Append("</title></rect>");
            html.Append("<line class=\"baseline\" x1=\"").Append(Left).Append("\" x2=\"").Append(ChartWidth - Right).Append("\" y1=\"").Append(F(Y(bl))).Append("\" y2=\"").Append(F(Y(bl))).Append("\"><title>")
                .Append(Encode($"baseline {Units.Time(bl)}")).Append("</title></line>");
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

        if (series.Count > 1)
        {
            html.Append("<polyline class=\"series\" points=\"");
            for (var i = 0; i < series.Count; i++)
            {
                html.Append(i == 0 ? "" : " ").Append(F(X(i))).Append(',').Append(F(Y(series[i].Nanoseconds)));
            }

            html.Append("\"/>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var point = series[i];
            var last = i == series.Count - 1 && point.Time == context.Time;
            html.Append("<circle class=\"").Append(last ? "point current" : "point").Append("\" cx=\"").Append(F(X(i))).Append("\" cy=\"").Append(F(Y(point.Nanoseconds))).Append("\" r=\"").Append(last ? "5" : "3").Append("\"><title>")
                .Append(Encode($"{point.Time.ToUniversalTime():yyyy-MM-dd HH:mm}{(point.Commit is null ? "" : " " + point.Commit)}: {Units.Time(point.Nanoseconds)}")).Append("</title></circle>");
        }

        html.Append("</svg>\n");
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

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

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
          var data = JSON.parse(document.getElementById("perf-data").textContent);
          document.documentElement.setAttribute("data-status", data.status);
          document.documentElement.setAttribute("data-benchmarks", String(data.benchmarks.length));
        })();

        """;
}
