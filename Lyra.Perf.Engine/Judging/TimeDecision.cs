using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>What a time judge measured about one benchmark, before the family adjustment: the one shape that
/// <see cref="TimeDecision"/> decides from, whichever judge (stored baseline, A/B pairs) produced it. Works on ln(time):
/// the effect and its interval are ratios.</summary>
internal abstract class TimeEvidence
{
    /// <summary>Why nothing could be tested (no usable samples, an invalid threshold, …); null when tested.</summary>
    public string? Unknown { get; set; }

    public double Ratio { get; set; } = double.NaN;
    public double Lower { get; set; } = double.NaN;
    public double Upper { get; set; } = double.NaN;

    /// <summary>One-sided p-values against the threshold: H0 ratio ≤ 1 + threshold (Slower), and its mirror (Faster).</summary>
    public double PSlower { get; set; } = 1;

    public double PFaster { get; set; } = 1;

    /// <summary>The threshold widened by the noise floor: the change that counts.</summary>
    public double Relative { get; set; }

    public double StandardError { get; set; } = double.NaN;
    public double MinimumDetectableEffect { get; set; } = double.NaN;
    public int? LaunchesNeeded { get; set; }

    /// <summary>What <see cref="LaunchesNeeded"/> counts, for the Unknown reason (a judge of interleaved A/B results
    /// sets <see cref="MeasuringUnit.Unit"/>, from <see cref="MeasuringUnit.Of(BenchmarkMeasurement)"/>).</summary>
    public MeasuringUnit Unit { get; set; } = MeasuringUnit.Launch;

    /// <summary>The part of <see cref="StandardError"/> that more launches do not shrink (an interleaved run's placement
    /// term, <see cref="StatisticalJudgeSettings.PlacementSpread"/>); 0: none.</summary>
    public double StandardErrorFloor { get; set; }

    /// <summary>The share of the threshold that the interval must clear for a Slower or Faster flag: 1 (the default),
    /// the whole threshold (the one-sided test against it); below 1 the estimate must also reach the whole threshold
    /// (<see cref="StatisticalJudgeSettings.InterleavedFlagShare"/>). Build-failing needs the whole threshold always.</summary>
    public double FlagShare { get; set; } = 1;

    /// <summary>Whether the evidence flags a slowdown (<see cref="FlagShare"/>); <paramref name="level"/> is the one-sided test's.</summary>
    public bool FlagsSlower(double level) => FlagShare >= 1 ? PSlower < level : Ratio >= 1 + Relative && Lower > 1 + (FlagShare * Relative);

    /// <summary>The mirror of <see cref="FlagsSlower"/>.</summary>
    public bool FlagsFaster(double level) => FlagShare >= 1 ? PFaster < level : Ratio <= 1 - Relative && Upper < 1 - (FlagShare * Relative);

    /// <summary>The spread the standard error comes from, as a ratio (exp σ − 1).</summary>
    public double Spread { get; set; }

    /// <summary>Each side's level (ns/op) on the method's basis, the centre over its launches; reports show these as
    /// Baseline and Current so the arrow and the ratio are one statistic. Null without usable samples.</summary>
    public double? BaselineLevel { get; set; }

    public double? CurrentLevel { get; set; }

    /// <summary>What the evidence rests on, for the Unknown reason: "3 baseline and 5 current launch(es) and a
    /// launch-to-launch spread of 2.1%".</summary>
    public abstract string Sample { get; }

    /// <summary>The same-interval tests both judges run on an estimated ln shift with standard error
    /// <paramref name="se"/> and <paramref name="df"/> degrees of freedom: the one-sided tests against the
    /// threshold <paramref name="relative"/> and the interval at the settings' level.</summary>
    /// <returns>The t quantiles of the interval and of the power, for the judge's minimum detectable effect.</returns>
    public (double TCritical, double TPower) Test(double shift, double se, double df, double relative, StatisticalJudgeSettings settings)
    {
        StandardError = se;
        Relative = relative;
        var upper = Math.Log(1 + relative);
        var lower = relative < 1 ? Math.Log(1 - relative) : double.NegativeInfinity;
        PSlower = 1 - Distributions.StudentTCdf((shift - upper) / se, df);
        PFaster = double.IsNegativeInfinity(lower) ? 1 : Distributions.StudentTCdf((shift - lower) / se, df);

        var tCrit = LogRatioInference.CriticalT(settings.IntervalLevel, df);
        (Lower, Upper) = LogRatioInference.Interval(shift, se, tCrit);
        return (tCrit, Distributions.StudentTQuantile(settings.Power, df));
    }

    /// <summary>Whether the whole interval lies inside ±threshold: any change is smaller than the threshold.</summary>
    public bool InsideThreshold => Lower > 1 - Relative && Upper < 1 + Relative;

    /// <summary>z of the interval's level plus z₀.₉, for the launches an Unknown needs (normal approximation).</summary>
    public static double LaunchesZ(StatisticalJudgeSettings settings) =>
        Distributions.NormalQuantile(1 - ((1 - settings.IntervalLevel) / 2)) + Distributions.NormalQuantile(0.9);
}

/// <summary>How a judge describes what it did, for reports.</summary>
/// <param name="Name">The method's name, alone on a judgement that could not be tested.</param>
/// <param name="Basis">What the ratio compares ("fastest iteration of each launch").</param>
/// <param name="Detail">Appended to <paramref name="Name"/> on a tested judgement (level, prior).</param>
internal sealed record TimeMethod(string Name, string Basis, string Detail);

/// <summary>The one decide step of the time judges. Two tiers: a flag (Slower or Faster) needs the per-benchmark
/// one-sided test at (1 − IntervalLevel)/2, i.e. the whole confidence interval beyond the threshold; a regression may
/// fail the build only if it also survives Benjamini–Hochberg over the run's regression p-values, so a large unchanged
/// suite does not fail by chance. Same needs the whole interval inside ±threshold; anything else is Unknown, with the
/// minimum detectable effect and the launches that would decide it.</summary>
internal static class TimeDecision
{
    /// <summary>Adjusts the tested benchmarks' regression p-values over the run, then decides each (untested: adjusted p 1).</summary>
    public static IReadOnlyList<TimeJudgement> ForFamily<TEvidence>(IReadOnlyList<TEvidence> evidence, StatisticalJudgeSettings settings, Func<TEvidence, TimeMethod> method)
        where TEvidence : TimeEvidence
    {
        var tested = evidence.Select((e, i) => (e, i)).Where(p => p.e.Unknown is null).ToList();
        var adjusted = MultipleComparisons.BenjaminiHochberg(tested.Select(p => p.e.PSlower).ToList());
        var adjustedByIndex = new Dictionary<int, double>();
        for (var k = 0; k < tested.Count; k++)
        {
            adjustedByIndex[tested[k].i] = adjusted[k];
        }

        return evidence.Select((e, i) => From(e, settings, adjustedByIndex.TryGetValue(i, out var p) ? p : 1, tested.Count, method(e))).ToList();
    }

    public static TimeJudgement From(TimeEvidence e, StatisticalJudgeSettings settings, double adjustedP, int family, TimeMethod method)
    {
        if (e.Unknown is { } reason)
        {
            return new TimeJudgement(TimeOutcome.Unknown, e.Ratio) { Reason = reason, Method = method.Name, BaselineLevelNanoseconds = e.BaselineLevel, CurrentLevelNanoseconds = e.CurrentLevel, Unit = e.Unit };
        }

        var level = (1 - settings.IntervalLevel) / 2;
        TimeOutcome outcome;
        string? why = null;
        if (e.FlagsSlower(level))
        {
            outcome = TimeOutcome.Slower;
        }
        else if (e.FlagsFaster(level))
        {
            outcome = TimeOutcome.Faster;
        }
        else if (e.InsideThreshold)
        {
            outcome = TimeOutcome.Same;
        }
        else
        {
            outcome = TimeOutcome.Unknown;
            var needed = e.LaunchesNeeded is { } n
                ? $"about {e.Unit.Count(n)} per side ({e.Unit.More}) would resolve {Units.Percent(e.Relative)}"
                : e.StandardErrorFloor > 0
                    ? $"{Units.Percent(e.Relative)} is out of reach of one interleaved run, whose placement moves its ratio by about {Units.Percent(LogRatioInference.SpreadRatio(e.StandardErrorFloor))} however many units it measures: raise this benchmark's threshold (PerfGateRule) if it needs deciding at this size"
                    : $"{Units.Percent(e.Relative)} is out of reach of any practical number of {e.Unit.Plural}: raise this benchmark's threshold (PerfGateRule) or quieten it";
            why = $"too noisy to decide at {Units.Percent(e.Relative)}: measured {Units.Change(e.Ratio)} (95% CI {Units.Change(e.Lower)} to {Units.Change(e.Upper)}), "
                  + $"with {e.Sample}; "
                  + $"only a slowdown of {Units.Percent(e.MinimumDetectableEffect)} or more would be detectable ({Units.Percent(settings.Power)} of the time); {needed}";
        }

        var slower = outcome != TimeOutcome.Faster && e.PSlower <= e.PFaster;
        return new TimeJudgement(outcome, e.Ratio)
        {
            RatioLower = e.Lower,
            RatioUpper = e.Upper,
            Confidence = 1 - (slower ? e.PSlower : e.PFaster),
            PValue = slower ? e.PSlower : e.PFaster,
            AdjustedPValue = adjustedP,
            FamilySize = family,
            // Failing needs the interval beyond the whole threshold whatever flagged it, and the family's control.
            SignificantInFamily = outcome == TimeOutcome.Slower && e.PSlower < level && adjustedP < settings.FalseDiscoveryRate,
            MinimumDetectableEffect = e.MinimumDetectableEffect,
            LaunchesNeeded = e.LaunchesNeeded,
            StandardError = e.StandardError,
            StandardErrorFloor = e.StandardErrorFloor > 0 ? e.StandardErrorFloor : null,
            Unit = e.Unit,
            Reason = why,
            Basis = method.Basis,
            BaselineLevelNanoseconds = e.BaselineLevel,
            CurrentLevelNanoseconds = e.CurrentLevel,
            Method = method.Name + method.Detail,
        };
    }
}
