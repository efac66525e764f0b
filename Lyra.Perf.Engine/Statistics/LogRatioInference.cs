using System;

namespace Lyra.Perf.Engine.Statistics;

/// <summary>
/// What the time judges state about an estimated ln ratio (ln current − ln baseline) with a Student-t error: its
/// confidence interval as ratios, the smallest slowdown the one-sided flag against a threshold catches with a given
/// power, and a spread of ln values as a ratio. Public so research code (eval/) states them exactly as the gate does.
/// </summary>
public static class LogRatioInference
{
    /// <summary>The t quantile of a two-sided interval at <paramref name="level"/> (0.95 → t₀.₉₇₅): also the bar of
    /// the one-sided flag at (1 − level)/2.</summary>
    public static double CriticalT(double level, double degreesOfFreedom) =>
        Distributions.StudentTQuantile(1 - ((1 - level) / 2), degreesOfFreedom);

    /// <summary>exp(shift ± t·se): the interval of the ratio for the quantile <paramref name="t"/> (<see cref="CriticalT"/>).</summary>
    public static (double Lower, double Upper) Interval(double shift, double standardError, double t) =>
        (Math.Exp(shift - (t * standardError)), Math.Exp(shift + (t * standardError)));

    /// <summary>The minimum detectable slowdown: (1 + threshold)·exp((t_flag + t_power)·se) − 1, the slowdown that a
    /// flag needing the interval beyond the threshold catches with the power <paramref name="tPower"/> stands for.
    /// With <paramref name="flagShare"/> below 1 the flag needs the estimate beyond the threshold and the interval
    /// beyond that share of it, so the larger of the two bars plus t_power·se.</summary>
    public static double MinimumDetectableEffect(double threshold, double standardError, double tFlag, double tPower, double flagShare = 1) =>
        flagShare >= 1
            ? ((1 + threshold) * Math.Exp((tFlag + tPower) * standardError)) - 1
            : Math.Max((1 + threshold) * Math.Exp(tPower * standardError), (1 + (flagShare * threshold)) * Math.Exp((tFlag + tPower) * standardError)) - 1;

    /// <summary>A spread σ of ln values as a ratio: exp(σ) − 1 (0.02 ≈ 2 %).</summary>
    public static double SpreadRatio(double sigma) => Math.Exp(sigma) - 1;
}
