using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>Settings of <see cref="StatisticalTimeJudge"/>; the defaults are the evaluated ones (docs/verdict-quality.md).</summary>
public sealed record StatisticalJudgeSettings
{
    /// <summary>False-discovery rate (Benjamini–Hochberg) over the run's regression p-values that a build-failing
    /// regression must pass. With every benchmark unchanged it bounds the chance that the run fails by chance.</summary>
    public double FalseDiscoveryRate { get; init; } = 0.05;

    /// <summary>Absolute noise floor: a change smaller than this many nanoseconds per operation never counts
    /// (ResultsComparer uses 0.3 ns); it only matters for nanosecond-scale benchmarks.</summary>
    public double NoiseFloorNanoseconds { get; init; } = 0.3;

    /// <summary>Power at which the minimum detectable effect is stated.</summary>
    public double Power { get; init; } = 0.8;

    /// <summary>Level of the reported confidence interval; a flag needs the whole interval beyond the threshold
    /// (one-sided test at (1 − level)/2 per benchmark), and the MDE is stated at the same level.</summary>
    public double IntervalLevel { get; init; } = 0.95;

    /// <summary>How much larger the process-to-process spread is taken to be than the robust spread of iterations
    /// inside one process. Iterations alone (SD/√n) understate it several-fold here. On the 2026-11-27 noise dataset
    /// SD(ln run median) / within-run CV ranged 0.6–1.9 (median 1.25), and one-launch-vs-one-launch replays were
    /// calibrated (standardised effects with SD ≈ 1) at about 2: that is the value, fitted on this dataset's u01–u06.</summary>
    public double IterationInflation { get; init; } = 2.0;

    /// <summary>Weight, in degrees of freedom, of that iteration-based spread when launch-to-launch spread is also
    /// measured (a moderated variance: the launches take over as they accumulate).</summary>
    public double PriorDegreesOfFreedom { get; init; } = 4;

    /// <summary>Spread below which nothing is believed (identical samples would give a zero variance).</summary>
    public double MinimumLogSpread { get; init; } = 0.002;
}

/// <summary>
/// The default time judge. Works on ln(time) so effects are ratios. The independent samples are launches
/// (processes): each launch contributes its median iteration time. The spread between launches is a moderated
/// variance — the launches' own pooled variance (both sides) combined with an iteration-based estimate inflated
/// by <see cref="StatisticalJudgeSettings.IterationInflation"/> and weighted as
/// <see cref="StatisticalJudgeSettings.PriorDegreesOfFreedom"/> degrees of freedom — so one launch per side still
/// gets an honest, wide interval, and many launches are judged by their own spread.
/// The effect is the Hodges–Lehmann shift of ln launch medians (for one launch: the ratio of typical times), tested
/// one-sided against the threshold (H0: ratio ≤ 1 + threshold, and the mirror for Faster) with Student's t; a
/// regression must also survive Benjamini–Hochberg over the run to fail the build.
/// </summary>
public sealed class StatisticalTimeJudge : IFamilyTimeJudge
{
    public const string MethodName = "t-test on ln launch medians (moderated variance)";

    public StatisticalTimeJudge(StatisticalJudgeSettings? settings = null) => Settings = settings ?? new StatisticalJudgeSettings();

    public StatisticalJudgeSettings Settings { get; }

    /// <summary>A single comparison: a family of one.</summary>
    public TimeJudgement Judge(BenchmarkMeasurement baseline, BenchmarkMeasurement current, double threshold) =>
        JudgeAll(new[] { new TimeComparison(baseline, current, threshold) })[0];

    public IReadOnlyList<TimeJudgement> JudgeAll(IReadOnlyList<TimeComparison> comparisons)
    {
        // Phase 1: evidence per benchmark. Phase 2: adjust the regression p-values over the family, then decide.
        var evidence = comparisons.Select(c => Evidence.Of(c, Settings)).ToList();
        var tested = evidence.Select((e, i) => (e, i)).Where(p => p.e.Unknown is null).ToList();
        var adjusted = MultipleComparisons.BenjaminiHochberg(tested.Select(p => p.e.PSlower).ToList());
        var adjustedByIndex = new Dictionary<int, double>();
        for (var k = 0; k < tested.Count; k++)
        {
            adjustedByIndex[tested[k].i] = adjusted[k];
        }

        return evidence.Select((e, i) => Decide(e, adjustedByIndex.TryGetValue(i, out var p) ? p : 1, tested.Count)).ToList();
    }

    /// <summary>Two tiers. A flag (Slower or Faster) needs the per-benchmark one-sided test at (1 − IntervalLevel)/2,
    /// i.e. the whole confidence interval beyond the threshold. A regression may fail the build only if it also
    /// survives Benjamini–Hochberg over the run's regression p-values, so a large unchanged suite does not fail by chance.</summary>
    private TimeJudgement Decide(Evidence e, double adjustedP, int family)
    {
        if (e.Unknown is { } reason)
        {
            return new TimeJudgement(TimeOutcome.Unknown, e.Ratio) { Reason = reason, Method = MethodName };
        }

        var level = (1 - Settings.IntervalLevel) / 2;
        TimeOutcome outcome;
        string? why = null;
        if (e.PSlower < level)
        {
            outcome = TimeOutcome.Slower;
        }
        else if (e.PFaster < level)
        {
            outcome = TimeOutcome.Faster;
        }
        else if (e.MinimumDetectableEffect > e.Threshold)
        {
            outcome = TimeOutcome.Unknown;
            var needed = e.LaunchesNeeded is { } n ? $"about {n} launches per side (PerfGateLaunches) would resolve {Units.Percent(e.Threshold)}" : $"{Units.Percent(e.Threshold)} is out of reach of any practical number of launches: raise this benchmark's threshold (PerfGateRule) or quieten it";
            why = $"too noisy to decide at {Units.Percent(e.Threshold)}: measured {Units.Change(e.Ratio)} (95% CI {Units.Change(e.Lower)} to {Units.Change(e.Upper)}), "
                  + $"but with {e.BaselineLaunches} baseline and {e.CurrentLaunches} current launch(es) and a launch-to-launch spread of {Units.Percent(e.Spread)} "
                  + $"only changes of about {Units.Percent(e.MinimumDetectableEffect)} or more are detectable; {needed}";
        }
        else
        {
            outcome = TimeOutcome.Same;
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
            SignificantInFamily = outcome == TimeOutcome.Slower && adjustedP < Settings.FalseDiscoveryRate,
            MinimumDetectableEffect = e.MinimumDetectableEffect,
            LaunchesNeeded = e.LaunchesNeeded,
            Reason = why,
            Method = MethodName + (e.IterationFallback ? " (one launch per side: iteration spread × " + Settings.IterationInflation.ToString("0.##", CultureInfo.InvariantCulture) + ")" : ""),
        };
    }

    /// <summary>Everything the test needs about one benchmark, before the family adjustment.</summary>
    private sealed class Evidence
    {
        public string? Unknown { get; private set; }
        public double Ratio { get; private set; } = double.NaN;
        public double Lower { get; private set; } = double.NaN;
        public double Upper { get; private set; } = double.NaN;
        public double PSlower { get; private set; } = 1;
        public double PFaster { get; private set; } = 1;
        public double TwoSidedP => Math.Min(1, 2 * Math.Min(PSlower, PFaster));
        public double Threshold { get; private set; }
        public double MinimumDetectableEffect { get; private set; } = double.NaN;
        public int? LaunchesNeeded { get; private set; }
        public double Spread { get; private set; }
        public int BaselineLaunches { get; private set; }
        public int CurrentLaunches { get; private set; }
        public bool IterationFallback { get; private set; }

        public static Evidence Of(TimeComparison comparison, StatisticalJudgeSettings settings)
        {
            var e = new Evidence { Threshold = comparison.Threshold };
            if (double.IsNaN(comparison.Threshold) || comparison.Threshold < 0 || comparison.Threshold >= 1)
            {
                e.Unknown = $"invalid threshold {comparison.Threshold.ToString(CultureInfo.InvariantCulture)} (expected 0 ≤ threshold < 100%)";
                return e;
            }

            var before = LogLaunches(comparison.Baseline);
            var after = LogLaunches(comparison.Current);
            e.BaselineLaunches = before.Count;
            e.CurrentLaunches = after.Count;
            if (before.Count == 0 || after.Count == 0)
            {
                var side = before.Count == 0 ? "baseline" : "current run";
                e.Unknown = $"no usable time samples in the {side} (missing, NaN, zero or negative values); re-record it";
                return e;
            }

            var centresBefore = before.Select(l => l.Centre).ToList();
            var centresAfter = after.Select(l => l.Centre).ToList();
            var shift = Estimators.HodgesLehmannShift(centresBefore, centresAfter);
            e.Ratio = Math.Exp(shift);

            // Launch-to-launch variance: pooled within each side, where a side has two or more launches.
            var launchSs = SumOfSquares(centresBefore) + SumOfSquares(centresAfter);
            var launchDf = (before.Count - 1) + (after.Count - 1);

            // Iteration-based estimate, inflated: a process's median moves about as much as its iterations spread.
            var iterationSpreads = before.Concat(after).Where(l => !double.IsNaN(l.Spread)).Select(l => l.Spread).ToList();
            double priorDf = 0, priorVariance = 0;
            if (iterationSpreads.Count > 0)
            {
                var spread = settings.IterationInflation * Descriptive.Median(iterationSpreads);
                priorVariance = spread * spread;
                priorDf = settings.PriorDegreesOfFreedom;
            }

            var df = launchDf + priorDf;
            if (df <= 0)
            {
                e.Unknown = $"too few samples to estimate the noise ({before.Sum(l => l.Count)} baseline and {after.Sum(l => l.Count)} current iteration(s), one launch each); run at least 2 launches or 3 iterations";
                return e;
            }

            e.IterationFallback = launchDf == 0;
            var variance = (launchSs + (priorDf * priorVariance)) / df;
            var sigma = Math.Max(settings.MinimumLogSpread, Math.Sqrt(variance));
            e.Spread = Math.Exp(sigma) - 1;
            var se = sigma * Math.Sqrt((1.0 / before.Count) + (1.0 / after.Count));

            // The noise floor widens the threshold for nanosecond-scale benchmarks.
            var baseTypical = Math.Exp(Descriptive.Median(centresBefore));
            var relative = Math.Max(comparison.Threshold, settings.NoiseFloorNanoseconds / baseTypical);
            var upper = Math.Log(1 + relative);
            var lower = relative < 1 ? Math.Log(1 - relative) : double.NegativeInfinity;
            e.PSlower = 1 - Distributions.StudentTCdf((shift - upper) / se, df);
            e.PFaster = double.IsNegativeInfinity(lower) ? 1 : Distributions.StudentTCdf((shift - lower) / se, df);

            var alpha = 1 - settings.IntervalLevel;
            var tCrit = Distributions.StudentTQuantile(1 - (alpha / 2), df);
            e.Lower = Math.Exp(shift - (tCrit * se));
            e.Upper = Math.Exp(shift + (tCrit * se));

            // MDE: the smallest change told apart from no change with the stated power (two-sided, at the interval's level).
            var tPower = Distributions.StudentTQuantile(settings.Power, df);
            e.MinimumDetectableEffect = Math.Exp((tCrit + tPower) * se) - 1;
            if (e.MinimumDetectableEffect > comparison.Threshold && comparison.Threshold > 0)
            {
                // Launches per side (equal sides, normal approximation) for the MDE to reach the threshold.
                var z = Distributions.NormalQuantile(1 - (alpha / 2)) + Distributions.NormalQuantile(settings.Power);
                var n = 2 * Math.Pow(z * sigma / Math.Log(1 + comparison.Threshold), 2);
                e.LaunchesNeeded = n < 1000 ? (int)Math.Ceiling(n) : null;
            }

            return e;
        }

        private static double SumOfSquares(IReadOnlyList<double> values)
        {
            if (values.Count < 2)
            {
                return 0;
            }

            var mean = values.Average();
            return values.Sum(v => (v - mean) * (v - mean));
        }

        /// <summary>Per launch: ln of its median and the robust spread of ln iteration times. Invalid samples
        /// (NaN, infinite, zero, negative) are dropped; a launch with none left is ignored.</summary>
        private static List<(double Centre, double Spread, int Count)> LogLaunches(BenchmarkMeasurement measurement)
        {
            var result = new List<(double, double, int)>();
            foreach (var launch in measurement.Launches)
            {
                var logs = launch.Samples.Where(v => v > 0 && !double.IsInfinity(v) && !double.IsNaN(v)).Select(v => Math.Log(v)).ToList();
                if (logs.Count == 0)
                {
                    continue;
                }

                var spread = double.NaN;
                if (logs.Count >= 3)
                {
                    spread = Estimators.ScaledMad(logs);
                    if (spread == 0)
                    {
                        spread = Descriptive.StandardDeviation(logs); // Quantised timings can make the MAD zero.
                    }
                }

                result.Add((Descriptive.Median(logs), spread, logs.Count));
            }

            return result;
        }
    }
}
