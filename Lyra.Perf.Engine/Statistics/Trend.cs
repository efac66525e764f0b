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

        // One sorted copy gives the tied groups (NaN sorts first and groups with NaN, as grouping by value did) and
        // then the ranks of S.
        var sorted = series.ToArray();
        Array.Sort(sorted);
        double tieTerm = 0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && (sorted[end].Equals(sorted[start])))
            {
                end++;
            }

            double t = end - start;
            tieTerm += t > 1 ? t * (t - 1) * ((2 * t) + 5) : 0;
            start = end;
        }

        var s = (double)KendallS(series, sorted);
        var variance = ((n * (n - 1.0) * ((2.0 * n) + 5)) - tieTerm) / 18.0;
        if (n < 3 || variance <= 0)
        {
            return new MannKendallResult(s, variance, 1, 1);
        }

        var sd = Math.Sqrt(variance);
        var zUp = s > 0 ? (s - 1) / sd : s < 0 ? (s + 1) / sd : 0;
        return new MannKendallResult(s, variance, 1 - Distributions.NormalCdf(zUp), Distributions.NormalCdf(zUp));
    }

    /// <summary>Kendall's S = Σ over pairs i &lt; j of sign(x_j − x_i), counted in O(n log n) with a Fenwick tree over
    /// the values' ranks instead of visiting every pair (a 1,000-run history has half a million pairs per benchmark).
    /// NaN counts as equal to everything, as Math.Sign(NaN) would have thrown before.</summary>
    public static long KendallS(IReadOnlyList<double> series)
    {
        var sorted = series.ToArray();
        Array.Sort(sorted);
        return KendallS(series, sorted);
    }

    /// <param name="sorted">The series sorted ascending, a copy this overwrites (its distinct values become the ranks).</param>
    private static long KendallS(IReadOnlyList<double> series, double[] sorted)
    {
        var n = series.Count;
        if (series.Any(double.IsNaN))
        {
            // Math.Sign(NaN) throws: keep the pairwise definition's behaviour for this degenerate input.
            return PairwiseS(series);
        }

        // Dense ranks (ties share one), 1-based for the tree.
        var values = sorted;
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (i == 0 || values[i] != values[count - 1])
            {
                values[count++] = values[i];
            }
        }

        var tree = new int[count + 1];
        long s = 0;
        for (var j = 0; j < n; j++)
        {
            var rank = Array.BinarySearch(values, 0, count, series[j]) + 1;
            long below = 0, atOrBelow = 0;
            for (var k = rank - 1; k > 0; k -= k & -k)
            {
                below += tree[k];
            }

            for (var k = rank; k > 0; k -= k & -k)
            {
                atOrBelow += tree[k];
            }

            // Earlier points below x_j count +1, above it −1, equal 0.
            s += below - (j - atOrBelow);
            for (var k = rank; k < tree.Length; k += k & -k)
            {
                tree[k]++;
            }
        }

        return s;
    }

    private static long PairwiseS(IReadOnlyList<double> series)
    {
        long s = 0;
        for (var i = 0; i < series.Count; i++)
        {
            for (var j = i + 1; j < series.Count; j++)
            {
                s += Math.Sign(series[j] - series[i]);
            }
        }

        return s;
    }

    /// <summary>Theil–Sen slope: the median of the slopes between every pair of points (x = index), found by selection
    /// rather than by sorting every slope.</summary>
    public static double TheilSenSlope(IReadOnlyList<double> series)
    {
        var slopes = new double[series.Count * (series.Count - 1) / 2];
        var next = 0;
        for (var i = 0; i < series.Count; i++)
        {
            for (var j = i + 1; j < series.Count; j++)
            {
                slopes[next++] = (series[j] - series[i]) / (j - i);
            }
        }

        if (slopes.Length == 0)
        {
            return 0;
        }

        if (slopes.Any(double.IsNaN))
        {
            return Descriptive.Median(slopes); // NaN orders first under OrderBy; keep exactly that.
        }

        // Descriptive.Median's type-7 quantile at 0.5: the middle value, or the two middle ones interpolated.
        var position = (slopes.Length - 1) * 0.5;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        var low = Select(slopes, lower);
        var high = upper == lower ? low : Minimum(slopes, upper);
        return low + ((high - low) * (position - lower));
    }

    /// <summary>The k-th smallest value (0-based); reorders <paramref name="values"/> so that every value after index k is at least it.</summary>
    private static double Select(double[] values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            var pivot = values[left + ((right - left) / 2)];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    /// <summary>The smallest of values[from..]: after <see cref="Select"/>(values, from − 1) that is the from-th smallest.</summary>
    private static double Minimum(double[] values, int from)
    {
        var min = values[from];
        for (var i = from + 1; i < values.Length; i++)
        {
            min = Math.Min(min, values[i]);
        }

        return min;
    }
}
