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
        return new SuiteDriftEstimate(Math.Exp(Descriptive.Median(logs)), logs.Count, slower, SignTest(slower, faster));
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
