using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>The benchmarks whose time the noise left undecided (Unknown with a minimum detectable effect), as one
/// count: how large a change they could have caught and what would decide them. Derived from the verdicts; the one
/// LPG0206 warning, the console summary and the Markdown report all read it, so they give the same numbers.</summary>
/// <param name="Count">Benchmarks without a time verdict because of noise.</param>
/// <param name="Compared">Benchmarks whose time was compared with the baseline.</param>
/// <param name="MedianLaunchesNeeded">Launches per side that would decide the median one; null when none is within reach.</param>
/// <param name="OutOfReach">How many no practical number of launches would decide.</param>
/// <param name="LaunchesThisRun">The run's launches per benchmark (median).</param>
public sealed record UndecidedTimes(int Count, int Compared, double MedianMde, double MinMde, double MaxMde, int? MedianLaunchesNeeded, int OutOfReach, double LaunchesThisRun, IReadOnlyList<string> Ids)
{
    /// <summary>What the launch counts count (<see cref="BenchmarkVerdict.Unit"/> over the undecided benchmarks).</summary>
    public MeasuringUnit Unit { get; init; } = MeasuringUnit.Launch;

    /// <summary>The largest standard-error floor among them (an interleaved run's placement term), in ln units; null: none.</summary>
    public double? StandardErrorFloor { get; init; }

    /// <summary>Most of the compared benchmarks are undecided: then what would decide leads the summary.</summary>
    public bool Most => Count * 2 > Compared;

    /// <summary>Null when every compared time was decided.</summary>
    public static UndecidedTimes? Of(IEnumerable<BenchmarkVerdict> verdicts)
    {
        var compared = verdicts.Where(v => v.Time is not null).ToList();
        var unknown = compared.Where(v => v.Time!.Outcome == TimeOutcome.Unknown && v.Time.MinimumDetectableEffect is { } m && !double.IsNaN(m)).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }

        var mdes = unknown.Select(v => v.Time!.MinimumDetectableEffect!.Value).ToList();
        var needed = unknown.Where(v => v.Time!.LaunchesNeeded is not null).Select(v => (double)v.Time!.LaunchesNeeded!.Value).ToList();
        return new UndecidedTimes(
            unknown.Count,
            compared.Count,
            Descriptive.Median(mdes),
            mdes.Min(),
            mdes.Max(),
            needed.Count == 0 ? null : (int)Math.Ceiling(Descriptive.Median(needed)),
            unknown.Count - needed.Count,
            Descriptive.Median(unknown.Select(v => (double)v.CurrentLaunches)),
            unknown.Select(v => v.Id).ToList())
        {
            Unit = MeasuringUnit.Of(unknown.Select(v => v.Unit)),
            StandardErrorFloor = unknown.Select(v => v.Time!.StandardErrorFloor).Where(f => f > 0).Max(),
        };
    }

    /// <summary>"17 of 22 benchmarks not decided: median detectable change 38 %".</summary>
    public string CountLine => $"{Count} of {Compared} benchmark{(Compared == 1 ? "" : "s")} not decided: median detectable change {Units.Percent(MedianMde)}";

    /// <summary>What would decide them, as one sentence: more launches (or units), A/B mode (unless this run is one), a quieter runner.</summary>
    public string WhatWouldDecide(bool abMode)
    {
        var launches = MedianLaunchesNeeded is { } n && n <= LaunchesToDecide.MaximumFor(LaunchesThisRun)
            ? $"about {Unit.Count(n)} per side would decide the median one ("
              + (Unit.IsLaunch ? $"-p:PerfGateLaunches={n}{(abMode ? "" : ", and a baseline recorded with as many")}" : Unit.More)
              + $"; this run had {LaunchesThisRun.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)})"
            : $"no practical number of {Unit.Plural} would decide them at this noise" + (MedianLaunchesNeeded is { } far ? $" (the median one needs about {far} per side)" : "")
              + (StandardErrorFloor is { } floor ? $" (the units of one interleaved run share its process, whose code placement moves every ratio by about {Units.Percent(LogRatioInference.SpreadRatio(floor))} however many units it measures: a higher threshold with PerfGateRule decides them)" : "");
        var ab = abMode ? "" : ", or A/B mode (-p:PerfGateBaseRef=origin/main: the base commit measured on this machine side by side, so a busy machine slows both sides alike)";
        return $"To decide: {launches}{ab}, or a quieter runner"
            + (OutOfReach > 0 && MedianLaunchesNeeded is { } reach && reach <= LaunchesToDecide.MaximumFor(LaunchesThisRun) ? $"; {OutOfReach} are out of reach of any practical number of {Unit.Plural} (raise their threshold with PerfGateRule or quieten them)." : ".");
    }
}
