using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>The HTML report of 1,000 benchmarks with a 1,000-run history: every benchmark is on the page, what needs
/// attention comes first, and the page stays small enough to open (it was over 100 MB when every chart drew a marker
/// with a tooltip for every run).</summary>
public sealed class HtmlScaleTests
{
    /// <summary>4 kB per benchmark: a table row (~0.8 kB), its part of the embedded JSON (~1.5 kB) and a chart of at most
    /// <see cref="HtmlReportWriter.MaxCompactChartPoints"/> points without per-run markers (~1.5 kB). 4 MB is a page
    /// Chromium opens in about a second on this repository's 2-core machines (docs/architecture.md).</summary>
    private const int MaxBytesPerBenchmark = 4_000;

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_thousand_benchmarks_with_a_thousand_run_history_stay_small_and_show_every_benchmark()
    {
        var context = LargeContext(benchmarks: 1000, historyRuns: 1000);
        var html = HtmlReportWriter.Write(context);
        var verdicts = context.Result.Verdicts;

        Assert.True(html.Length < MaxBytesPerBenchmark * verdicts.Count, $"the page is {html.Length:N0} characters for {verdicts.Count} benchmarks");

        // Every benchmark has its row and its chart.
        var rows = Regex.Matches(html, "<tr class=\"o-([a-z]+)[^\"]*\" data-benchmark=\"([^\"]*)\"").Select(m => (Outcome: m.Groups[1].Value, Id: m.Groups[2].Value)).ToList();
        var charts = Regex.Matches(html, "<figure class=\"chart\" id=\"chart-[0-9]+\" data-benchmark=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        var ids = verdicts.Select(v => HtmlReportWriter.Encode(v.Id)).OrderBy(i => i, StringComparer.Ordinal).ToList();
        Assert.Equal(ids, rows.Select(r => r.Id).OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal(ids, charts.OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal(verdicts.Count, Regex.Matches(html, "<svg class=\"trend\"").Count);

        // What needs attention first; the unchanged rows wait behind the button, their charts in a closed section.
        var firstUnchanged = rows.FindIndex(r => r.Outcome == "unchanged");
        Assert.True(firstUnchanged > 0 && rows.Skip(firstUnchanged).All(r => r.Outcome == "unchanged"), "unchanged rows must follow every other row");
        Assert.Contains("<table id=\"results\" class=\"results collapsed\">", html, StringComparison.Ordinal);
        Assert.Contains($"data-count=\"{rows.Count - firstUnchanged}\"", html, StringComparison.Ordinal);
        var section = html.IndexOf("<details class=\"unchanged-charts\">", StringComparison.Ordinal);
        Assert.True(section > 0 && Regex.Matches(html.Substring(section), "<figure class=\"chart\"").Count == rows.Count - firstUnchanged);

        // A 1,000-run history is drawn as at most MaxChartPoints points, this run's exact and ringed.
        foreach (Match line in Regex.Matches(html, "<polyline class=\"series\" points=\"([^\"]*)\""))
        {
            Assert.InRange(line.Groups[1].Value.Split(' ').Length, 2, HtmlReportWriter.MaxChartPoints);
        }

        Assert.Equal(verdicts.Count(v => v.CurrentNanoseconds is > 0), Regex.Matches(html, "class=\"point current\"").Count);
        Assert.Matches("median [^<]+ of [0-9]+ runs</title>", html);
    }

    [Fact]
    public void A_small_suite_shows_everything_at_once()
    {
        var html = HtmlReportWriter.Write(LargeContext(benchmarks: 40, historyRuns: 30));
        Assert.Contains("<table id=\"results\" class=\"results\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<details class=\"unchanged-charts\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"toggle-unchanged\"", html, StringComparison.Ordinal);
        // 30 runs plus this one fit: a marker with a tooltip for each.
        Assert.True(Regex.Matches(html, "<circle class=\"point\"").Count >= 30 * 30);
    }

    /// <summary>A judged run of <paramref name="benchmarks"/> (3 launches each, a few regressed, improved, new and
    /// removed) against a baseline, with a history of <paramref name="historyRuns"/> records of every benchmark.</summary>
    internal static ReportContext LargeContext(int benchmarks, int historyRuns)
    {
        var random = new Random(1000);
        var environment = new RunEnvironment { Os = "Linux", Cpu = "CPU", LogicalCores = 2, Runtime = ".NET 10.0", Architecture = "X64", BenchmarkDotNetVersion = "0.15.8", Job = "Gate" };
        var levels = Enumerable.Range(0, benchmarks + 5).Select(_ => Math.Exp(3 + (random.NextDouble() * 11))).ToList();
        string Id(int i) => $"Ns.Type{i / 50:00}.Method{i / 10 % 5}(N: {i % 10 + (10 * (i / 1000))})";
        BenchmarkMeasurement Measure(int i, double factor) => new()
        {
            Id = Id(i),
            Namespace = "Ns",
            Type = $"Type{i / 50:00}",
            Method = $"Method{i / 10 % 5}",
            Parameters = $"N={i % 10}",
            Launches = Enumerable.Range(0, 3).Select(_ =>
            {
                var level = levels[i] * factor * Math.Exp(random.NextDouble() * 0.02);
                return new LaunchMeasurement { Samples = Enumerable.Range(0, 10).Select(_ => level * (1 + (random.NextDouble() * 0.03))).ToList(), AllocatedBytesPerOperation = 24 };
            }).ToList(),
        };

        var baseline = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
        for (var i = 5; i < benchmarks + 5; i++)
        {
            baseline[Id(i)] = new BaselineEntry { Measurement = Measure(i, 1) };
        }

        var run = new RunResult
        {
            Environment = environment,
            Benchmarks = Enumerable.Range(0, benchmarks).Select(i => Measure(i, i % 50 == 7 ? 1.4 : i % 100 == 11 ? 0.7 : 1)).ToList(),
        };
        var result = new Gate().Evaluate(new Baseline { RecordedAt = Now.AddDays(-1), Environment = environment, Benchmarks = baseline }, "/repo/perf-baseline.json", run, new GateOptions(), Now);
        var history = Enumerable.Range(0, historyRuns).Select(h => new HistoryRecord
        {
            Time = Now.AddHours(h - historyRuns),
            Commit = "c" + h,
            Environment = environment,
            Benchmarks = Enumerable.Range(0, benchmarks).Select(i => new HistoryBenchmark(Id(i)) { TypicalNanoseconds = levels[i] * (1 + (random.NextDouble() * 0.03)), Outcome = Outcome.Unchanged }).ToList(),
        }).ToList();
        history.Add(HistoryRecord.From(run, result, Now, "head"));
        return new ReportContext
        {
            Result = result,
            Run = run,
            Baseline = new Baseline { RecordedAt = Now.AddDays(-1), Environment = environment, Benchmarks = baseline },
            BaselinePath = "/repo/perf-baseline.json",
            History = history,
            Options = new GateOptions(),
            Time = Now,
            Commit = "head",
            ProjectName = "Scale",
        };
    }
}
