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

    /// <summary>Power at which the minimum detectable effect is stated: a slowdown of the reported MDE or more is
    /// flagged Slower with at least this probability (the flag is the one-sided test against the threshold).</summary>
    public double Power { get; init; } = 0.95;

    /// <summary>Level of the reported confidence interval; a flag needs the whole interval beyond the threshold
    /// (one-sided test at (1 − level)/2 per benchmark), and Same needs the whole interval inside it.</summary>
    public double IntervalLevel { get; init; } = 0.95;

    /// <summary>Which quantile of a launch's iteration times is that launch's level (0 = the fastest iteration,
    /// 0.5 = the median). Noise on a shared machine only ever adds time (preemption, cache and frequency
    /// interference), so a low quantile moves less from process to process than the median.</summary>
    public double LaunchQuantile { get; init; } = 0;

    /// <summary>How much larger the process-to-process spread is taken to be than the robust spread (1.4826·MAD) of
    /// ln iterations inside one process. Fitted once on the 2026-11-27 noise dataset (u01–u06) so that unchanged
    /// comparisons' 95 % intervals miss a ratio of 1 about 5 % of the time (1.5: 3–5 %; the earlier 2.0 with median
    /// levels: 2–3 %, i.e. too wide).</summary>
    public double IterationInflation { get; init; } = 1.5;

    /// <summary>Weight, in degrees of freedom, of the prior spread when launch-to-launch spread is also measured
    /// (a moderated variance: the benchmark's own launches take over as they accumulate).</summary>
    public double PriorDegreesOfFreedom { get; init; } = 2;

    /// <summary>How the run's typical launch spread moderates each benchmark's iteration-based prior; null: the
    /// iteration spread alone.</summary>
    public SuiteSpreadPrior? Prior { get; init; } = SuiteSpreadPrior.LoweredTowardSuite;

    /// <summary>Spread below which nothing is believed (identical samples would give a zero variance).</summary>
    public double MinimumLogSpread { get; init; } = 0.002;

    /// <summary>SD of ln level that a whole session (one gate run) shifts by, beyond what its own launches show: one
    /// run's launches are consecutive processes sharing the machine's state, so two runs minutes apart differ more than
    /// their launches predict. Enters the minimum detectable effect only (its power side), so the reported MDE holds
    /// between runs, not only between launches; the test itself stays on the launches, whose false-flag rate is
    /// measured low. A side whose launches each come from a session of their own (LaunchMeasurement.Session) already
    /// shows this spread and adds nothing. Fitted on the live runs u01–u10 of 2026-11-27 (0.012, rounded down),
    /// checked on u11–u20 (docs/verdict-quality.md).</summary>
    public double RunSpread { get; init; } = 0.01;

    /// <summary>SD of ln ratio by which one interleaved A/B run's mean difference shifts as a whole, beyond its units'
    /// spread (A/B pairs of iterations in one process share that process's placement: code layout, JIT, where each
    /// build's data landed), added as σ_p² to the variance of the paired mean in the interval, the tests and the MDE.
    /// Process-alternated A/B pairs each have a process of their own and already show it. Fitted on the odd-numbered
    /// live A/B runs of 2026-12-02/03 (σ_p = 0.005–0.04 tried, 6 values: the smallest whose unchanged intervals miss 1
    /// ≤ 5 %), checked on the even-numbered ones (docs/verdict-quality.md, the A/B replay).</summary>
    public double PlacementSpread { get; init; } = 0.02;

    /// <summary>In an interleaved A/B run, the share of the threshold that the ratio's 95 % interval must clear for a
    /// Slower or Faster flag, the estimate itself reaching the whole threshold (1: the interval beyond the whole
    /// threshold, as for launches). The placement term keeps that interval at least ±4 % wide however long the run, so
    /// beyond the whole 5 % it flags nothing under +9 %. Chosen on the odd-numbered live A/B runs (3 rules tried),
    /// checked on the even-numbered (docs/verdict-quality.md, the A/B replay); failing the build still needs the
    /// interval beyond the whole threshold.</summary>
    public double InterleavedFlagShare { get; init; } = 0.5;
}

/// <summary>The prior launch-to-launch variance that a benchmark's own launches are moderated with, from its inflated
/// iteration variance (<see cref="StatisticalJudgeSettings.IterationInflation"/>) and the suite's typical launch
/// variance (empirical Bayes across the suite: learned from the history, else the median over the compared benchmarks
/// of their pooled launch variance, which needs 3 benchmarks with 2+ launches on a side; without either the iteration
/// spread alone is used). The engine uses <see cref="LoweredTowardSuite"/>; the alternatives tried live in the
/// evaluation (docs/verdict-quality.md, section G).</summary>
public abstract class SuiteSpreadPrior
{
    /// <summary>The geometric mean of the two variances, but only ever lowering the iteration-based prior: a benchmark
    /// whose iterations are noisy within a process but whose launches agree (slow periods, which the fastest iteration
    /// skips) is pulled toward the suite's launch spread, and one quieter than the suite keeps its own small prior.</summary>
    public static SuiteSpreadPrior LoweredTowardSuite { get; } = new LoweredTowardSuitePrior();

    /// <summary>The prior variance of ln level.</summary>
    /// <param name="iterationVariance">The benchmark's inflated iteration variance; null when its launches have too few
    /// iterations to show one.</param>
    /// <param name="suiteVariance">The suite's typical launch variance.</param>
    public abstract double Variance(double? iterationVariance, double suiteVariance);

    /// <summary>For the judgement's method, e.g. "iteration spread, lowered toward the suite's launch spread".</summary>
    /// <param name="suiteSpread">What the suite's variance is of: "launch spread", "paired spread".</param>
    public abstract string Describe(string suiteSpread);

    private sealed class LoweredTowardSuitePrior : SuiteSpreadPrior
    {
        public override double Variance(double? iterationVariance, double suiteVariance) =>
            iterationVariance is { } iteration ? Math.Min(iteration, Math.Sqrt(suiteVariance * iteration)) : suiteVariance;

        public override string Describe(string suiteSpread) => "iteration spread, lowered toward the suite's " + suiteSpread;
    }
}

/// <summary>
/// The default time judge. Works on ln(time) so effects are ratios. The independent samples are launches
/// (processes): each launch contributes one level, by default its fastest iteration
/// (<see cref="StatisticalJudgeSettings.LaunchQuantile"/>), which on a shared machine moves less from process to
/// process than the median (noise only adds time). The spread between launches is a moderated variance — the
/// launches' own pooled variance (both sides) combined with a prior (<see cref="StatisticalJudgeSettings.Prior"/>:
/// by default the geometric mean of the benchmark's inflated iteration spread and the run's typical launch variance)
/// weighted as <see cref="StatisticalJudgeSettings.PriorDegreesOfFreedom"/> degrees of freedom — so one launch per
/// side still gets an honest, wide interval, and many launches are judged by their own spread. With one current
/// launch the standard error σ·√(1/n + 1) is that of a prediction of a new launch from the baseline's n.
/// The effect is the Hodges–Lehmann shift of ln launch levels (for one launch a side: their ratio), tested one-sided
/// against the threshold (H0: ratio ≤ 1 + threshold, and the mirror for Faster) with Student's t; a regression must
/// also survive Benjamini–Hochberg over the run to fail the build. Same needs the whole interval inside ±threshold;
/// anything else is Unknown, with the minimum detectable effect (at <see cref="StatisticalJudgeSettings.Power"/>).
/// </summary>
public sealed class StatisticalTimeJudge(StatisticalJudgeSettings? settings = null) : FamilyTimeJudge(settings)
{
    public const string MethodName = "t-test on ln launch levels (moderated variance)";

    public override IReadOnlyList<TimeJudgement> JudgeAll(IReadOnlyList<TimeComparison> comparisons)
    {
        // Phase 1: evidence per benchmark. Phase 2: adjust the regression p-values over the family, then decide.
        // Each side's launch levels once: the suite prior and the evidence both read them.
        var launches = comparisons.Select(c => Evidence.Launches(c, Settings)).ToList();
        double? suitePrior = null;
        if (Settings.Prior is not null)
        {
            // Empirical Bayes across the run: the typical launch-to-launch variance of ln level over the benchmarks
            // whose launches measure it.
            var variances = launches.Select(Evidence.LaunchVariance).Where(v => v is not null).Select(v => v!.Value).ToList();
            if (variances.Count >= 3)
            {
                suitePrior = Descriptive.Median(variances);
            }
        }

        // Empirical Bayes across the history: the suite's typical learned variance, which a benchmark's own short
        // history is shrunk toward (RunnerPrior).
        var learnedSuite = RunnerPrior.SuiteVariance(comparisons.Select(c => c.Learned?.ForLaunches(Evidence.OneLaunchOnASide(c)).Variance));
        var evidence = comparisons.Select((c, i) => Evidence.Of(c, launches[i], Settings, suitePrior, learnedSuite)).ToList();
        return TimeDecision.ForFamily(evidence, Settings, Method);
    }

    private TimeMethod Method(Evidence e) => new(
        MethodName,
        Basis(Settings.LaunchQuantile),
        "; level = " + Basis(Settings.LaunchQuantile)
        + (e.LearnedRuns > 0 ? "; prior learned from " + e.LearnedRuns.ToString(CultureInfo.InvariantCulture) + " history runs of this runner, shrunk toward the suite's" : "")
        + (e.IterationFallback ? "; one launch per side: iteration spread × " + Settings.IterationInflation.ToString("0.##", CultureInfo.InvariantCulture)
            : e.SuitePrior ? "; prior: " + Settings.Prior!.Describe("launch spread")
            : ""));

    private static string Basis(double quantile) => quantile <= 0 ? "fastest iteration of each launch"
        : quantile == 0.5 ? "median iteration of each launch"
        : "the " + (quantile * 100).ToString("0.#", CultureInfo.InvariantCulture) + "th percentile of each launch's iterations";

    /// <summary>Everything the test needs about one benchmark, before the family adjustment.</summary>
    private sealed class Evidence : TimeEvidence
    {
        public int BaselineLaunches { get; private set; }
        public int CurrentLaunches { get; private set; }
        public bool IterationFallback { get; private set; }

        public bool SuitePrior { get; private set; }

        /// <summary>History runs the benchmark's learned spread came from; 0 without history.</summary>
        public int LearnedRuns { get; private set; }

        public override string Sample => $"{BaselineLaunches} baseline and {CurrentLaunches} current launch(es) and a launch-to-launch spread of {Units.Percent(Spread)}";

        /// <summary>Whether a side has a single usable launch (then a launch is a run of its own: LearnedSpread.ForLaunches).</summary>
        public static bool OneLaunchOnASide(TimeComparison comparison) =>
            comparison.Baseline.Launches.Count == 1 || comparison.Current.Launches.Count == 1;

        /// <summary>Both sides' launches (<see cref="LogLaunches"/>).</summary>
        public static (List<LogLaunch> Before, List<LogLaunch> After) Launches(TimeComparison comparison, StatisticalJudgeSettings settings) =>
            (LogLaunches(comparison.Baseline, settings.LaunchQuantile), LogLaunches(comparison.Current, settings.LaunchQuantile));

        /// <summary>Pooled launch variance of ln level (both sides), or null with fewer than 2 launches on every side.</summary>
        public static double? LaunchVariance((List<LogLaunch> Before, List<LogLaunch> After) launches)
        {
            var b = launches.Before.Select(l => l.Centre).ToList();
            var a = launches.After.Select(l => l.Centre).ToList();
            var df = Math.Max(0, b.Count - 1) + Math.Max(0, a.Count - 1);
            return df == 0 ? null : (SumOfSquares(b) + SumOfSquares(a)) / df;
        }

        public static Evidence Of(TimeComparison comparison, (List<LogLaunch> Before, List<LogLaunch> After) launches, StatisticalJudgeSettings settings, double? suitePrior = null, double? learnedSuite = null)
        {
            var e = new Evidence { Unit = MeasuringUnit.Of(comparison.Current) };
            if (double.IsNaN(comparison.Threshold) || comparison.Threshold < 0 || comparison.Threshold >= 1)
            {
                e.Unknown = $"invalid threshold {comparison.Threshold.ToString(CultureInfo.InvariantCulture)} (expected 0 ≤ threshold < 100%)";
                return e;
            }

            var (before, after) = launches;
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
            e.BaselineLevel = Math.Exp(Descriptive.Median(centresBefore));
            e.CurrentLevel = Math.Exp(Descriptive.Median(centresAfter));
            var shift = Estimators.HodgesLehmannShift(centresBefore, centresAfter);
            e.Ratio = Math.Exp(shift);

            // Launch-to-launch variance: pooled within each side, where a side has two or more launches.
            var launchSs = SumOfSquares(centresBefore) + SumOfSquares(centresAfter);
            var launchDf = (before.Count - 1) + (after.Count - 1);

            // Iteration-based estimate, inflated: a process's level moves about as much as its iterations spread.
            var iterationSpreads = before.Concat(after).Where(l => !double.IsNaN(l.Spread)).Select(l => l.Spread).ToList();
            double priorDf = 0, priorVariance = 0;
            if (iterationSpreads.Count > 0)
            {
                var spread = settings.IterationInflation * Descriptive.Median(iterationSpreads);
                priorVariance = spread * spread;
                priorDf = settings.PriorDegreesOfFreedom;
            }

            if (suitePrior is { } suite && settings.Prior is { } prior)
            {
                priorVariance = prior.Variance(priorDf > 0 ? priorVariance : null, suite);
                priorDf = settings.PriorDegreesOfFreedom;
                e.SuitePrior = true;
            }

            var runSpread = settings.RunSpread;
            if (comparison.Learned is { } learned)
            {
                // The benchmark's own history, shrunk toward the suite's learned value (RunnerPrior.Moderate): a short
                // history stays near the suite, a long one speaks for itself. Without a suite value (fewer than 3
                // benchmarks with history), toward the no-history prior above. Its run-to-run part is the MDE's run spread.
                var (learnedVariance, learnedDf) = learned.ForLaunches(before.Count == 1 || after.Count == 1);
                (priorVariance, priorDf) = learnedSuite is { } suiteLearned
                    ? RunnerPrior.Moderate(suiteLearned, settings.PriorDegreesOfFreedom, learnedVariance, learnedDf)
                    : RunnerPrior.Moderate(priorVariance, priorDf, learnedVariance, learnedDf);
                runSpread = learned.RunVariance is { } run ? Math.Sqrt(run) : runSpread;
                e.LearnedRuns = learned.Runs;
            }

            var df = launchDf + priorDf;
            if (df <= 0)
            {
                e.Unknown = $"too few samples to estimate the noise ({before.Sum(l => l.Count)} baseline and {after.Sum(l => l.Count)} current iteration(s), one launch each); run at least 2 launches or 3 iterations";
                return e;
            }

            e.IterationFallback = launchDf == 0 && e.LearnedRuns == 0;
            var variance = (launchSs + (priorDf * priorVariance)) / df;
            var sigma = Math.Max(settings.MinimumLogSpread, Math.Sqrt(variance));
            e.Spread = LogRatioInference.SpreadRatio(sigma);

            // A launch of the current run is a new draw from the launch distribution: with one current launch this is
            // the prediction interval σ·√(1 + 1/n) around the baseline's level.
            var se = sigma * Math.Sqrt((1.0 / before.Count) + (1.0 / after.Count));

            // The noise floor widens the threshold for nanosecond-scale benchmarks.
            var baseTypical = Math.Exp(Descriptive.Median(centresBefore));
            var relative = Math.Max(comparison.Threshold, settings.NoiseFloorNanoseconds / baseTypical);
            var (tCrit, tPower) = e.Test(shift, se, df, relative, settings);

            // MDE: the smallest slowdown that the flag (the one-sided test against the threshold at the interval's
            // level) catches with the stated power. The flag's bar is t₁₋α/₂·SE; the estimate itself also moves with
            // each side's run effect, so ln(1 + MDE) = ln(1 + threshold) + t₁₋α/₂·SE + t_power·√(SE² + unseen run variance).
            var estimateSd = Math.Sqrt((se * se) + UnseenRunVariance(comparison.Baseline, before.Count, comparison.Current, after.Count, runSpread));
            e.MinimumDetectableEffect = ((1 + relative) * Math.Exp((tCrit * se) + (tPower * estimateSd))) - 1;
            if (!e.InsideThreshold && relative > 0 && relative < 1)
            {
                // Launches per side (equal sides, normal approximation) for an unchanged benchmark's interval to fit
                // inside ±threshold with 80 % probability (the sample size of two one-sided tests).
                var n = 2 * Math.Pow(LaunchesZ(settings) * sigma / Math.Log(1 + relative), 2);
                e.LaunchesNeeded = n < 1000 ? Math.Max(2, (int)Math.Ceiling(n)) : null;
            }

            return e;
        }

        /// <summary>
        /// The run-to-run variance of the shift that the standard error does not contain. Model: a launch's level =
        /// session effect (SD RunSpread) + launch noise. With n launches in k equal sessions per side, the shift's
        /// variance holds RunSpread²·(1/k_b + 1/k_c), while the pooled launch variance holds the share
        /// Σ n(1 − 1/k) / Σ (n − 1) of RunSpread² (none when each side is one session, all of it when every launch is
        /// its own session), which the SE already carries as that share × (1/n_b + 1/n_c).
        /// </summary>
        private static double UnseenRunVariance(BenchmarkMeasurement baseline, int baselineLaunches, BenchmarkMeasurement current, int currentLaunches, double runSpread)
        {
            double nb = baselineLaunches, nc = currentLaunches;
            double kb = Math.Min(nb, baseline.Sessions), kc = Math.Min(nc, current.Sessions);
            var launchDf = (nb - 1) + (nc - 1);
            var shownShare = launchDf > 0 ? ((nb * (1 - (1 / kb))) + (nc * (1 - (1 / kc)))) / launchDf : 0;
            var unseen = runSpread * runSpread * ((1 / kb) + (1 / kc) - (shownShare * ((1 / nb) + (1 / nc))));
            return Math.Max(0, unseen);
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

        /// <summary>Per launch: ln of its level (the settings' quantile of its iteration times) and the robust spread of ln iteration times. Invalid samples
        /// (NaN, infinite, zero, negative) are dropped; a launch with none left is ignored.</summary>
        private static List<LogLaunch> LogLaunches(BenchmarkMeasurement measurement, double quantile)
        {
            var result = new List<LogLaunch>(measurement.Launches.Count);
            foreach (var launch in measurement.Launches)
            {
                if (LogLaunch.Of(launch, quantile) is { } level)
                {
                    result.Add(level);
                }
            }

            return result;
        }
    }
}
