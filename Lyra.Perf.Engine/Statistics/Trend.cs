using System;
using System.Collections.Generic;
using System.Linq;

namespace Lyra.Perf.Engine.Statistics;

/// <summary>Mann–Kendall trend test result.</summary>
/// <param name="S">Kendall's S: concordant minus discordant pairs (positive: rising).</param>
/// <param name="PRising">One-sided p-value for an upward trend (normal approximation with tie and continuity correction).</param>
/// <param name="PFalling">One-sided p-value for a downward trend.</param>
public sealed record MannKendallResult(double S, double Variance, double PRising, double PFalling);

/// <summary>Monotone trend in a series: Mann–Kendall test and Theil–Sen slope, both rank-based so one odd run
/// cannot fake or hide a drift.</summary>
public static class Trend
{
    public static MannKendallResult MannKendall(IReadOnlyList<double> series)
    {
        var n = series.Count;
        var s = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                s += Math.Sign(series[j] - series[i]);
            }
        }

        var tieTerm = series.GroupBy(v => v).Select(g => (double)g.Count()).Where(t => t > 1).Sum(t => t * (t - 1) * ((2 * t) + 5));
        var variance = ((n * (n - 1.0) * ((2.0 * n) + 5)) - tieTerm) / 18.0;
        if (n < 3 || variance <= 0)
        {
            return new MannKendallResult(s, variance, 1, 1);
        }

        var sd = Math.Sqrt(variance);
        var zUp = s > 0 ? (s - 1) / sd : s < 0 ? (s + 1) / sd : 0;
        return new MannKendallResult(s, variance, 1 - Distributions.NormalCdf(zUp), Distributions.NormalCdf(zUp));
    }

    /// <summary>Theil–Sen slope: the median of the slopes between every pair of points (x = index).</summary>
    public static double TheilSenSlope(IReadOnlyList<double> series)
    {
        var slopes = new List<double>();
        for (var i = 0; i < series.Count; i++)
        {
            for (var j = i + 1; j < series.Count; j++)
            {
                slopes.Add((series[j] - series[i]) / (j - i));
            }
        }

        return slopes.Count == 0 ? 0 : Descriptive.Median(slopes);
    }
}
