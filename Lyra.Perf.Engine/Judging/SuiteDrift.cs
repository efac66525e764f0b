using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>The common move of the whole suite: the median over benchmarks of ln(current / baseline typical time).</summary>
/// <param name="Ratio">exp(median log ratio): 1.12 = the suite as a whole ran 12 % slower.</param>
/// <param name="Benchmarks">How many benchmarks it is based on.</param>
/// <param name="Slower">How many of them got slower (ratio &gt; 1).</param>
/// <param name="PValue">Two-sided sign test of "as many got slower as faster".</param>
public sealed record SuiteDriftEstimate(double Ratio, int Benchmarks, int Slower, double PValue)
{
    /// <summary>Whether the drift was divided out before judging (GateOptions.CancelSuiteDrift).</summary>
    public bool Cancelled { get; init; }

    /// <summary>How many got faster (ratio &lt; 1); the rest of <see cref="Benchmarks"/> did not move.</summary>
    public int Faster { get; init; }

    /// <summary>Distribution-free 95 % interval of the suite's ratio (order statistics of the sign test; at least
    /// 95 % coverage).</summary>
    public double RatioLower { get; init; } = double.NaN;

    public double RatioUpper { get; init; } = double.NaN;
}

public static class SuiteDrift
{
    /// <summary>Fewer benchmarks than this give no drift estimate: the median of a handful says little.</summary>
    public const int MinimumBenchmarks = 5;

    /// <param name="ratios">Per benchmark: current / baseline typical time. Invalid values are skipped.</param>
    public static SuiteDriftEstimate? Estimate(IEnumerable<double> ratios)
    {
        var logs = ratios.Where(r => r > 0 && !double.IsInfinity(r) && !double.IsNaN(r)).Select(v => Math.Log(v)).ToList();
        if (logs.Count < MinimumBenchmarks)
        {
            return null;
        }

        var slower = logs.Count(l => l > 0);
        var faster = logs.Count(l => l < 0);
        var (lower, upper) = MedianInterval(logs);
        return new SuiteDriftEstimate(Math.Exp(Descriptive.Median(logs)), logs.Count, slower, SignTest(slower, faster))
        {
            Faster = faster,
            RatioLower = Math.Exp(lower),
            RatioUpper = Math.Exp(upper),
        };
    }

    /// <summary>The order-statistic interval [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] for the median with the largest k whose binomial tail
    /// P(Bin(n, ½) ≤ k − 1) stays ≤ 2.5 %; the full range when n is too small for any.</summary>
    public static (double Lower, double Upper) MedianInterval(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var n = sorted.Count;
        var k = 1;
        double tail = 0;
        for (var i = 0; i < n; i++)
        {
            tail += Math.Exp(Distributions.LogGamma(n + 1) - Distributions.LogGamma(i + 1) - Distributions.LogGamma(n - i + 1) - (n * Math.Log(2)));
            if (tail > 0.025)
            {
                break;
            }

            k = i + 1; // P(Bin ≤ i) ≤ 2.5 %: x₍ᵢ₊₁₎ is a valid lower bound.
        }

        k = Math.Min(k, (n + 1) / 2);
        return (sorted[k - 1], sorted[n - k]);
    }

    /// <summary>Exact two-sided binomial sign test (ties dropped).</summary>
    public static double SignTest(int up, int down)
    {
        var n = up + down;
        if (n == 0)
        {
            return 1;
        }

        var k = Math.Min(up, down);
        var tail = 0.0;
        for (var i = 0; i <= k; i++)
        {
            tail += Math.Exp(Distributions.LogGamma(n + 1) - Distributions.LogGamma(i + 1) - Distributions.LogGamma(n - i + 1) - (n * Math.Log(2)));
        }

        return Math.Min(1, 2 * tail);
    }
}
