using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Reports;

/// <summary>Wording and ordering shared by every report, so the Markdown, HTML and summary agree.</summary>
internal static class ReportFormat
{
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Rows in reading order: what fails first, then by severity, then by id.</summary>
    public static IReadOnlyList<BenchmarkVerdict> Ordered(IEnumerable<BenchmarkVerdict> verdicts) =>
        verdicts.OrderBy(v => Rank(v)).ThenByDescending(v => v.Severity).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();

    public static int Rank(BenchmarkVerdict verdict) => verdict.Outcome switch
    {
        Outcome.Failed => 0,
        Outcome.Regressed => verdict.FailsBuild ? 1 : 2,
        Outcome.Unknown => 3,
        Outcome.New => 4,
        Outcome.Removed => 5,
        Outcome.Improved => 6,
        _ => 7,
    };

    /// <summary>"time regression +62.0% (Critical), fails build", "allocation regression +24 B/op (Critical)", "Unchanged", …</summary>
    public static string Verdict(BenchmarkVerdict verdict) => verdict.Outcome switch
    {
        Outcome.Regressed => Regression(verdict) + (verdict.FailsBuild ? ", fails build" : ""),
        Outcome.Failed => "Failed" + (verdict.FailsBuild ? " (fails build)" : ""),
        Outcome.Unknown => "Unknown",
        Outcome.New => "New",
        Outcome.Removed => "Not run",
        Outcome.Improved => "Improved",
        _ => "Unchanged",
    };

    /// <summary>What regressed, each with its own severity: "time regression +62.0% (Critical)", "allocation regression
    /// +24 B/op (Critical)", or both joined by "and" — never one severity beside a change that is not the one it rates.</summary>
    public static string Regression(BenchmarkVerdict verdict)
    {
        var parts = new List<string>();
        if (verdict.Time is { Outcome: TimeOutcome.Slower } time)
        {
            parts.Add($"time regression {Units.Change(time.Ratio)} ({(verdict.Decision.TimeSeverity == Severity.None ? verdict.Severity : verdict.Decision.TimeSeverity)})");
        }

        if (verdict.Allocation is { Regressed: true } allocation)
        {
            parts.Add($"allocation regression +{Units.Bytes(allocation.Delta)}/op ({(verdict.Decision.AllocationSeverity == Severity.None ? allocation.Severity : verdict.Decision.AllocationSeverity)})");
        }

        return parts.Count == 0 ? $"{verdict.Severity} regression" : string.Join(" and ", parts);
    }

    /// <summary>The time comparison in words, by its outcome: "1.00 µs → 1.62 µs (+62.0%)", "time unchanged (-0.4%)",
    /// "time faster (-12.0%)", "time not decided (MDE 38%)"; never "unchanged" for a time the noise left undecided.</summary>
    public static string TimeText(BenchmarkVerdict verdict) => verdict.Time switch
    {
        null => "no time comparison",
        { Outcome: TimeOutcome.Slower } => $"{Time(verdict.BaselineNanoseconds)} → {Time(verdict.CurrentNanoseconds)} ({Change(verdict)})",
        { Outcome: TimeOutcome.Faster } => $"time faster ({Change(verdict)})",
        { Outcome: TimeOutcome.Same } => $"time unchanged ({Change(verdict)})",
        { MinimumDetectableEffect: { } mde } when !double.IsNaN(mde) => $"time not decided (MDE {Units.Percent(mde)})",
        _ => "time not decided",
    };

    public static string Icon(BenchmarkVerdict verdict) => verdict.Outcome switch
    {
        Outcome.Regressed => verdict.FailsBuild ? "❌" : "⚠️",
        Outcome.Failed => "💥",
        Outcome.Unknown => "❔",
        Outcome.New => "🆕",
        Outcome.Removed => "➖",
        Outcome.Improved => "🚀",
        _ => "✅",
    };

    /// <summary>Ratio current/baseline, from the time judgement or the two typical times.</summary>
    public static double? Ratio(BenchmarkVerdict verdict)
    {
        if (verdict.Time is { } time && !double.IsNaN(time.Ratio) && !double.IsInfinity(time.Ratio) && time.Ratio > 0)
        {
            return time.Ratio;
        }

        return verdict.BaselineNanoseconds is > 0 && verdict.CurrentNanoseconds is { } current ? current / verdict.BaselineNanoseconds.Value : null;
    }

    public static string Change(BenchmarkVerdict verdict) => Ratio(verdict) is { } r ? Units.Change(r) : "—";

    public static string Interval(BenchmarkVerdict verdict) =>
        verdict.Time is { RatioLower: { } lo, RatioUpper: { } hi } ? $"{Units.Change(lo)} … {Units.Change(hi)}" : "—";

    public static string Confidence(BenchmarkVerdict verdict) =>
        verdict.Time?.Confidence is { } c ? (c * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Time(double? nanoseconds) => nanoseconds is null ? "—" : Units.Time(nanoseconds);

    public static string Allocations(BenchmarkVerdict verdict)
    {
        var before = verdict.BaselineAllocatedBytes;
        var after = verdict.CurrentAllocatedBytes;
        if (before is null && after is null)
        {
            return "—";
        }

        if (before is null || after is null)
        {
            return Units.Bytes(after ?? before);
        }

        var delta = after.Value - before.Value;
        if (Math.Abs(delta) < 0.5)
        {
            return Units.Bytes(after);
        }

        return $"{Units.Bytes(before)} → {Units.Bytes(after)} ({(delta > 0 ? "+" : "−")}{Units.Bytes(Math.Abs(delta))})";
    }

    public static IReadOnlyDictionary<Outcome, int> Counts(IEnumerable<BenchmarkVerdict> verdicts)
    {
        var counts = new SortedDictionary<Outcome, int>();
        foreach (Outcome outcome in Enum.GetValues(typeof(Outcome)))
        {
            counts[outcome] = 0;
        }

        foreach (var verdict in verdicts)
        {
            counts[verdict.Outcome]++;
        }

        return counts;
    }

    /// <summary>Where a benchmark's diagnostics point (its source, or its baseline entry), if anywhere: the first of its
    /// diagnostics with a line, else the first with a file.</summary>
    public static SourceLocation? Location(GateResult result, string benchmarkId) =>
        Locations.GetValue(result, IndexLocations).TryGetValue(benchmarkId, out var location) ? location : null;

    /// <summary>The run's first measurement of a benchmark, or null.</summary>
    public static Model.BenchmarkMeasurement? Measurement(Model.RunResult run, string benchmarkId) =>
        Measurements.GetValue(run, IndexMeasurements).TryGetValue(benchmarkId, out var measurement) ? measurement : null;

    /// <summary>A benchmark's typical time per run, oldest first, with this run last (added unless the history already holds it).</summary>
    public static IReadOnlyList<(DateTimeOffset Time, string? Commit, double Nanoseconds)> Series(ReportContext context, string benchmarkId)
    {
        // The index already ends each series with this run's point (no copy per benchmark).
        var index = SeriesIndexes.GetValue(context, IndexSeries);
        return index.Points.TryGetValue(benchmarkId, out var known) ? known : Array.Empty<(DateTimeOffset, string?, double)>();
    }

    /// <summary>The machine-state shift (LPG0107) in one sentence for the md/html reports; null when none was detected.</summary>
    public static string? MachineShift(GateResult result)
    {
        if (result.MachineShift is not { } shift || result.SuiteDrift is not { } drift)
        {
            return null;
        }

        var bound = (shift.Ratio > 1 ? shift.BoundaryRatio : 1 / shift.BoundaryRatio).ToString("0.##", CultureInfo.InvariantCulture);
        var interval = double.IsNaN(drift.RatioLower) ? "" : $", 95% CI {Units.Change(drift.RatioLower)} to {Units.Change(drift.RatioUpper)}";
        return $"Machine-state shift (LPG0107): the whole suite ran {Units.Change(drift.Ratio)}{interval} against the stored baseline "
               + $"({drift.Slower} of {drift.Benchmarks} benchmarks slower, {drift.Faster} faster; sign test p = {drift.PValue.ToString("0.####", CultureInfo.InvariantCulture)}; {Units.Change(shift.Ratio)} on launch levels), beyond the ×{bound} boundary. "
               + $"{Plural(shift.Explained, "time regression")} it explains {(shift.Explained == 1 ? "is a warning" : "are warnings")}; {Plural(shift.BeyondSuite, "benchmark")} moved clearly more than the suite and {(shift.BeyondSuite == 1 ? "is" : "are")} judged relative to it. "
               + "Decide with a re-run on a quiet machine, A/B mode (-p:PerfGateBaseRef=<commit>) or a baseline re-recorded on this runner.";
    }

    // Every writer asks these per benchmark; indexed once per result, run and context (a search per benchmark made
    // 1,000 benchmarks with a 1,000-run history cost minutes in the HTML report).
    private static readonly ConditionalWeakTable<GateResult, Dictionary<string, SourceLocation>> Locations = new();
    private static readonly ConditionalWeakTable<Model.RunResult, Dictionary<string, Model.BenchmarkMeasurement>> Measurements = new();
    private static readonly ConditionalWeakTable<ReportContext, SeriesIndex> SeriesIndexes = new();

    private static Dictionary<string, SourceLocation> IndexLocations(GateResult result)
    {
        var withLine = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var withFile = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var d in result.Diagnostics)
        {
            if (d.BenchmarkId is not { } id || d.File is null)
            {
                continue;
            }

            if (d.Line > 0 && !withLine.ContainsKey(id))
            {
                withLine[id] = new SourceLocation(d.File, d.Line, d.Column);
            }

            if (!withFile.ContainsKey(id))
            {
                withFile[id] = new SourceLocation(d.File, d.Line, d.Column);
            }
        }

        foreach (var pair in withFile)
        {
            if (!withLine.ContainsKey(pair.Key))
            {
                withLine[pair.Key] = pair.Value;
            }
        }

        return withLine;
    }

    private static Dictionary<string, Model.BenchmarkMeasurement> IndexMeasurements(Model.RunResult run)
    {
        var byId = new Dictionary<string, Model.BenchmarkMeasurement>(StringComparer.Ordinal);
        foreach (var benchmark in run.Benchmarks)
        {
            if (!byId.ContainsKey(benchmark.Id))
            {
                byId[benchmark.Id] = benchmark;
            }
        }

        return byId;
    }

    private sealed class SeriesIndex
    {
        public Dictionary<string, List<(DateTimeOffset, string?, double)>> Points { get; } = new(StringComparer.Ordinal);

        public bool IncludesThisRun { get; set; }
    }

    /// <summary>One pass over the history: per benchmark, each record's first entry for it, where it has a time.</summary>
    private static SeriesIndex IndexSeries(ReportContext context)
    {
        var index = new SeriesIndex();
        var records = context.History.OrderBy(r => r.Time).ToList();
        var tracks = new Dictionary<string, List<(DateTimeOffset, string?, double)>>(StringComparer.Ordinal);
        foreach (var pair in HistorySeries.Of(records))
        {
            var points = new List<(DateTimeOffset, string?, double)>(pair.Value.Count + 1);
            foreach (var (record, ns) in pair.Value)
            {
                if (ns > 0)
                {
                    points.Add((records[record].Time, records[record].Commit, ns));
                }
            }

            tracks[pair.Key] = points;
        }

        index.IncludesThisRun = records.Any(r => r.Time == context.Time);
        if (!index.IncludesThisRun)
        {
            foreach (var measurement in context.Run.Benchmarks)
            {
                if (ReferenceEquals(Measurement(context.Run, measurement.Id), measurement) && measurement.TypicalNanoseconds is { } current && current > 0)
                {
                    if (!tracks.TryGetValue(measurement.Id, out var points))
                    {
                        tracks[measurement.Id] = points = new List<(DateTimeOffset, string?, double)>();
                    }

                    points.Add((context.Time, context.Commit, current));
                }
            }
        }

        foreach (var pair in tracks)
        {
            if (pair.Value.Count > 0)
            {
                index.Points[pair.Key] = pair.Value;
            }
        }

        return index;
    }

    /// <summary>The core shortage (LPG0225) in one sentence for the md/html reports (its diagnostic's own words); null when none.</summary>
    public static string? CoreShortage(GateResult result) =>
        result.CoreShortages.Count == 0 ? null
            : result.Diagnostics.FirstOrDefault(d => d.Code == DiagnosticCodes.CoresLacking) is { } diagnostic ? "Machine busy (LPG0225): " + diagnostic.Message : null;

    public static string Plural(int count, string singular, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");

    public static string HeadLine(ReportContext context)
    {
        var result = context.Result;
        if (result.Failed)
        {
            return "FAILED: " + string.Join(", ", Failures(result));
        }

        var warnings = result.Diagnostics.Count(d => d.Level == DiagnosticLevel.Warning);
        var undecided = result.Verdicts.Where(v => v.Undecided is not null).ToList();
        var notChecked = result.Claims.Where(c => c.Undecided is not null).ToList();
        if (undecided.Count > 0 || notChecked.Count > 0)
        {
            // Not a pass: regressions of a failing size (or unmet claims) were seen and the evidence could not decide them.
            var reasons = string.Join("; ", undecided.Select(v => v.Undecided!).Concat(notChecked.Select(c => c.Undecided!))
                .GroupBy(u => u, StringComparer.Ordinal).Select(g => g.Count() == 1 ? g.Key : $"{g.Count()}× {g.Key}"));
            var what = string.Join(" and ", new[]
            {
                undecided.Count > 0 ? $"{Plural(undecided.Count, "regression")} of a failing size could not be confirmed" : null,
                notChecked.Count > 0 ? $"{Plural(notChecked.Count, "claim")} not met could not be checked" : null,
            }.Where(t => t is not null));
            return $"NOT DECIDED (build not failed): {what} — {reasons}"
                + (warnings > 0 ? $"; {Plural(warnings, "warning")}" : "");
        }

        return warnings > 0 ? $"passed with {Plural(warnings, "warning")}" : "passed";
    }

    /// <summary>What failed the run, by kind: "1 time regression", "1 allocation regression", "1 benchmark failed",
    /// "1 claim not met", "error LPG0201" — from the decisions, so the headline names what the errors are.</summary>
    public static IReadOnlyList<string> Failures(GateResult result)
    {
        var failing = result.Verdicts.Where(v => v.FailsBuild).ToList();
        int With(string code) => failing.Count(v => v.Decision.ErrorCodes.Contains(code));
        var parts = new List<string>();
        void Add(int count, string singular, string plural)
        {
            if (count > 0)
            {
                parts.Add(Plural(count, singular, plural));
            }
        }

        Add(With(DiagnosticCodes.TimeRegression), "time regression", "time regressions");
        Add(With(DiagnosticCodes.AllocationRegression), "allocation regression", "allocation regressions");
        Add(With(DiagnosticCodes.BenchmarkFailed), "benchmark failed", "benchmarks failed");
        Add(result.Claims.Count(c => c.Fails), "claim not met", "claims not met");
        var named = new[] { DiagnosticCodes.TimeRegression, DiagnosticCodes.AllocationRegression, DiagnosticCodes.BenchmarkFailed, DiagnosticCodes.ClaimNotMet };
        var other = result.Diagnostics.Where(d => d.Level == DiagnosticLevel.Error && !named.Contains(d.Code)).Select(d => d.Code).Distinct(StringComparer.Ordinal).ToList();
        if (other.Count > 0)
        {
            parts.Add((other.Count == 1 ? "error " : "errors ") + string.Join(", ", other));
        }

        return parts.Count > 0 ? parts : new[] { Plural(result.Diagnostics.Count(d => d.Level == DiagnosticLevel.Error), "error") };
    }

    /// <summary>What the run's launch counts count, for every report's labels: process launches, the in-process A/B
    /// runner's units, or both (<see cref="MeasuringUnit"/>, from each verdict's measurement).</summary>
    public static MeasuringUnit Unit(GateResult result) => MeasuringUnit.Of(result.Verdicts.Select(v => v.Unit));

    /// <summary>What the Baseline, Current and Change columns are: the levels the change was judged on, so the
    /// arrow and the percent are one statistic.</summary>
    public static string ColumnsNote(GateResult result)
    {
        var basis = result.Verdicts.Select(v => v.Time?.BaselineLevelNanoseconds is null ? null : v.Time.Basis).FirstOrDefault(b => b is { Length: > 0 });
        var unit = Unit(result);
        return basis is null
            ? $"Baseline and Current are the median of {unit.Singular} medians; Change is their ratio."
            : $"Baseline and Current are the levels the change is judged on ({basis}, centre over {unit.Plural}); Change is the estimated ratio on the same levels and 95% CI its confidence interval.";
    }

    public static string Settings(GateOptions options) =>
        $"threshold {Units.Percent(options.Threshold)}, critical {Units.Percent(options.CriticalThreshold)}, fail on {options.FailOn}, allocation threshold {Units.Percent(options.AllocationThreshold)}"
        + (options.Enabled ? "" : ", gate disabled (report only)");

    public static string SeverityText(Severity severity) => severity == Severity.None ? "" : severity.ToString();

    public static string Escape(string text, Func<char, string?> map)
    {
        var first = 0;
        while (first < text.Length && map(text[first]) is null)
        {
            first++;
        }

        if (first == text.Length)
        {
            return text; // Nothing to escape, as in almost every name: no copy.
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            // Never a string per character: a 1,000-benchmark report escapes megabytes of names.
            var c = text[i];
            if (map(c) is { } mapped)
            {
                builder.Append(mapped);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
