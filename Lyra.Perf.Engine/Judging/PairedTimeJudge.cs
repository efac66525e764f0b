using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>
/// The A/B mode's time judge. Both sides ran in alternating processes (A B, B A, A B, … one pair per launch), so
/// a launch of the change and the base's launch in the same slot (<see cref="LaunchMeasurement.Slot"/>) ran next to
/// each other in time: the machine's slow spell that moves one moves the other. The judge takes the difference of
/// their ln levels (each launch's level as in <see cref="StatisticalTimeJudge"/>: by default its fastest iteration),
/// so the time-varying part cancels pair by pair, and runs a paired t-test on those differences — with the same
/// moderated variance (a prior worth <see cref="StatisticalJudgeSettings.PriorDegreesOfFreedom"/> degrees of
/// freedom, by default the iteration spread lowered toward the suite's typical paired spread), the same one-sided
/// tests against the threshold, interval, minimum detectable effect and Benjamini–Hochberg control over the run as
/// the stored-baseline judge. The effect is the geometric mean of the paired ratios. No run-to-run term enters the
/// MDE: both sides share every session. Units of the in-process interleaved runner share one process, so their mean
/// also carries the placement term <see cref="StatisticalJudgeSettings.PlacementSpread"/>. Launches without a partner
/// (an unpaired slot) are not used.
/// </summary>
public sealed class PairedTimeJudge(StatisticalJudgeSettings? settings = null) : FamilyTimeJudge(settings)
{
    public const string MethodName = "paired t-test on ln launch levels, A/B launches alternated";

    /// <summary>The method of an interleaved A/B run, whose "launches" are the in-process runner's units.</summary>
    public const string InterleavedMethodName = "paired t-test on ln unit times, A/B iterations interleaved in one process";

    public override IReadOnlyList<TimeJudgement> JudgeAll(IReadOnlyList<TimeComparison> comparisons)
    {
        var pairs = comparisons.Select(c => Pairs(c, Settings.LaunchQuantile)).ToList();
        double? suitePrior = null;
        if (Settings.Prior is not null)
        {
            var variances = pairs.Where(p => p.Count >= 2).Select(p => Variance(p.Select(x => x.Difference).ToList())).ToList();
            if (variances.Count >= 3)
            {
                suitePrior = Descriptive.Median(variances);
            }
        }

        var evidence = comparisons.Select((c, i) => Evidence(c, pairs[i], suitePrior)).ToList();
        return TimeDecision.ForFamily(evidence, Settings, Method);
    }

    private TimeMethod Method(Paired e) => new(
        e.Unit.IsLaunch ? MethodName : InterleavedMethodName,
        e.Unit.IsLaunch
            ? "A/B pairs of launches run side by side, " + (Settings.LaunchQuantile <= 0 ? "fastest iteration of each launch" : "each launch's level")
            : "A/B pairs of units (one iteration of each side, alternated) run side by side in one process",
        (e.SuitePrior ? "; prior: " + Settings.Prior!.Describe("paired spread") : "")
            + (e.StandardErrorFloor > 0 ? "; run placement term " + Units.Percent(LogRatioInference.SpreadRatio(e.StandardErrorFloor)) : ""));

    /// <summary>One paired launch: ln(level of A) − ln(level of B), and both launches' iteration spreads.</summary>
    internal sealed record PairedLaunch(string Slot, double Difference, double BaseLevel, double SpreadA, double SpreadB);

    /// <summary>The launches of both sides that share a slot, in the current side's order.</summary>
    internal static List<PairedLaunch> Pairs(TimeComparison comparison, double quantile)
    {
        var bySlot = new Dictionary<string, LogLaunch>(StringComparer.Ordinal);
        foreach (var launch in comparison.Baseline.Launches)
        {
            if (launch.Slot is { } slot && LogLaunch.Of(launch, quantile) is { } level && !bySlot.ContainsKey(slot))
            {
                bySlot[slot] = level;
            }
        }

        var result = new List<PairedLaunch>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var launch in comparison.Current.Launches)
        {
            if (launch.Slot is { } slot && used.Add(slot) && bySlot.TryGetValue(slot, out var b) && LogLaunch.Of(launch, quantile) is { } a)
            {
                result.Add(new PairedLaunch(slot, a.Centre - b.Centre, b.Centre, a.Spread, b.Spread));
            }
        }

        return result;
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    private sealed class Paired : TimeEvidence
    {
        public int PairCount { get; set; }

        public bool SuitePrior { get; set; }

        public override string Sample => $"{PairCount} A/B pair(s) of {Unit.Plural} and a spread of the paired ratios of {Units.Percent(Spread)}";
    }

    private Paired Evidence(TimeComparison comparison, IReadOnlyList<PairedLaunch> pairs, double? suitePrior)
    {
        var e = new Paired { PairCount = pairs.Count, Unit = MeasuringUnit.Of(comparison.Current) };
        if (double.IsNaN(comparison.Threshold) || comparison.Threshold < 0 || comparison.Threshold >= 1)
        {
            e.Unknown = $"invalid threshold {comparison.Threshold.ToString(CultureInfo.InvariantCulture)} (expected 0 ≤ threshold < 100%)";
            return e;
        }

        if (pairs.Count == 0)
        {
            e.Unknown = $"no pair of A/B {e.Unit.Plural} with usable time samples ({e.Unit.Sides(comparison.Baseline.Launches.Count, comparison.Current.Launches.Count, "base")}); check both sides' benchmark output";
            return e;
        }

        var differences = pairs.Select(p => p.Difference).ToList();
        var mean = differences.Average();
        e.Ratio = Math.Exp(mean);
        // Each side's geometric mean over the pairs, so Current / Base is exactly the ratio.
        e.BaselineLevel = Math.Exp(pairs.Average(p => p.BaseLevel));
        e.CurrentLevel = Math.Exp(pairs.Average(p => p.BaseLevel + p.Difference));
        var ss = differences.Sum(d => (d - mean) * (d - mean));
        var pairDf = pairs.Count - 1;

        // Prior for the variance of one difference: two launches' inflated iteration spreads (independent sides).
        var spreads = pairs.SelectMany(p => new[] { p.SpreadA, p.SpreadB }).Where(s => !double.IsNaN(s)).ToList();
        double priorDf = 0, priorVariance = 0;
        if (spreads.Count > 0)
        {
            var spread = Settings.IterationInflation * Descriptive.Median(spreads);
            priorVariance = 2 * spread * spread;
            priorDf = Settings.PriorDegreesOfFreedom;
        }

        if (suitePrior is { } suite && Settings.Prior is { } prior)
        {
            priorVariance = prior.Variance(priorDf > 0 ? priorVariance : null, suite);
            priorDf = Settings.PriorDegreesOfFreedom;
            e.SuitePrior = true;
        }

        var df = pairDf + priorDf;
        if (df <= 0)
        {
            e.Unknown = "too few samples to estimate the noise (one A/B pair with fewer than 3 iterations per launch); run at least 2 launches or 3 iterations";
            return e;
        }

        var variance = (ss + (priorDf * priorVariance)) / df;
        var sigma = Math.Max(Settings.MinimumLogSpread, Math.Sqrt(variance));
        e.Spread = LogRatioInference.SpreadRatio(sigma);
        var placement = e.StandardErrorFloor = e.Unit.IsLaunch ? 0 : Settings.PlacementSpread;
        var se = Math.Sqrt((sigma * sigma / pairs.Count) + (placement * placement));

        var baseTypical = Math.Exp(Descriptive.Median(pairs.Select(p => p.BaseLevel)));
        var relative = Math.Max(comparison.Threshold, Settings.NoiseFloorNanoseconds / baseTypical);
        var (tCrit, tPower) = e.Test(mean, se, df, relative, Settings);
        e.FlagShare = e.Unit.IsLaunch ? 1 : Settings.InterleavedFlagShare;
        e.MinimumDetectableEffect = LogRatioInference.MinimumDetectableEffect(relative, se, tCrit, tPower, e.FlagShare);
        if (!e.InsideThreshold && relative > 0 && relative < 1)
        {
            // Pairs for an unchanged benchmark's interval to fit inside ±threshold with 90 % probability (normal
            // approximation); the placement term does not shrink with pairs, so past it no count is enough.
            var reach = Math.Pow(Math.Log(1 + relative) / TimeEvidence.LaunchesZ(Settings), 2) - (placement * placement);
            var n = reach > 0 ? sigma * sigma / reach : double.PositiveInfinity;
            e.LaunchesNeeded = n < 1000 ? Math.Max(2, (int)Math.Ceiling(n)) : null;
        }

        return e;
    }
}
