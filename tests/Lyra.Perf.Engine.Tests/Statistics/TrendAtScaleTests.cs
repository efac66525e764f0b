using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Tests.Statistics;

/// <summary>The O(n log n) Kendall S and the selection-based Theil–Sen median give exactly the pairwise definitions'
/// values (ties, repeated values, odd and even pair counts).</summary>
public sealed class TrendAtScaleTests
{
    public static IEnumerable<object[]> Series()
    {
        var random = new Random(5);
        foreach (var n in new[] { 0, 1, 2, 3, 4, 7, 8, 50, 201, 1000 })
        {
            yield return new object[] { Enumerable.Range(0, n).Select(i => Math.Log(100 + i * 0.01) + random.NextDouble() * 0.05).ToArray() };
            if (n > 0)
            {
                // Quantised timings: many ties.
                yield return new object[] { Enumerable.Range(0, n).Select(_ => (double)random.Next(5)).ToArray() };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void Kendall_S_and_the_Theil_Sen_slope_equal_the_pairwise_definitions(double[] series)
    {
        long s = 0;
        var slopes = new List<double>();
        for (var i = 0; i < series.Length; i++)
        {
            for (var j = i + 1; j < series.Length; j++)
            {
                s += Math.Sign(series[j] - series[i]);
                slopes.Add((series[j] - series[i]) / (j - i));
            }
        }

        Assert.Equal(s, Trend.KendallS(series));
        Assert.Equal((double)s, Trend.MannKendall(series).S);
        Assert.Equal(slopes.Count == 0 ? 0 : Descriptive.Median(slopes), Trend.TheilSenSlope(series));
    }
}
