using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Evaluation;

/// <summary>Result of a Mann–Whitney U test of "x tends to be greater than y".</summary>
/// <param name="U">U statistic of x: the number of (x, y) pairs with x &gt; y, ties counting one half.</param>
/// <param name="PGreater">One-sided p-value for x stochastically greater than y.</param>
/// <param name="PLess">One-sided p-value for x stochastically less than y.</param>
/// <param name="Exact">Whether the p-values come from the exact null distribution (small samples, no ties).</param>
internal sealed record MannWhitneyResult(double U, double PGreater, double PLess, bool Exact);

/// <summary>Mann–Whitney U (Wilcoxon rank-sum) test: exact for small samples without ties, otherwise the normal
/// approximation with tie correction and continuity correction (as scipy.stats.mannwhitneyu and R's wilcox.test do).</summary>
internal static class MannWhitney
{
    /// <summary>Largest n·m computed exactly; beyond it the normal approximation is accurate to a few 1e-4.</summary>
    public const int ExactLimit = 400;

    public static MannWhitneyResult Test(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = x.Count;
        var m = y.Count;
        if (n == 0 || m == 0)
        {
            return new MannWhitneyResult(double.NaN, 1, 1, false);
        }

        var all = x.Select(v => (Value: v, FromX: true)).Concat(y.Select(v => (Value: v, FromX: false))).OrderBy(p => p.Value).ToArray();
        var ranks = new double[all.Length];
        var tieTerm = 0.0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].Value == all[i].Value)
            {
                j++;
            }

            var midrank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                ranks[k] = midrank;
            }

            var t = j - i + 1;
            tieTerm += ((double)t * t * t) - t;
            i = j + 1;
        }

        var rankSumX = 0.0;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i].FromX)
            {
                rankSumX += ranks[i];
            }
        }

        var u = rankSumX - (n * (n + 1) / 2.0);
        if (tieTerm == 0 && (long)n * m <= ExactLimit)
        {
            var counts = ExactCounts(n, m);
            var total = counts.Sum();
            var k = (int)Math.Round(u);
            var atLeast = 0.0;
            var atMost = 0.0;
            for (var i = 0; i < counts.Length; i++)
            {
                if (i >= k)
                {
                    atLeast += counts[i];
                }

                if (i <= k)
                {
                    atMost += counts[i];
                }
            }

            return new MannWhitneyResult(u, atLeast / total, atMost / total, true);
        }

        var mean = n * m / 2.0;
        var nm = n + m;
        var variance = (n * m / 12.0) * (nm + 1 - (tieTerm / ((double)nm * (nm - 1))));
        if (variance <= 0)
        {
            return new MannWhitneyResult(u, 1, 1, false); // Every value tied: no evidence either way.
        }

        var sd = Math.Sqrt(variance);
        var pGreater = 1 - Distributions.NormalCdf((u - mean - 0.5) / sd);
        var pLess = Distributions.NormalCdf((u - mean + 0.5) / sd);
        return new MannWhitneyResult(u, Math.Min(1, pGreater), Math.Min(1, pLess), false);
    }

    /// <summary>How many of the C(n+m, n) arrangements give U = 0, 1, …, n·m: the coefficients of the Gaussian
    /// binomial [n+m choose n]_q, built as the product of (1 − q^(m+k)) / (1 − q^k) for k = 1..n.</summary>
    internal static double[] ExactCounts(int n, int m)
    {
        var size = (n * m) + 1;
        var poly = new double[size];
        poly[0] = 1;
        for (var k = 1; k <= n; k++)
        {
            var shift = m + k;
            for (var i = size - 1; i >= shift; i--)
            {
                poly[i] -= poly[i - shift];
            }

            // Dividing by (1 − q^k) is a running sum with stride k.
            for (var i = k; i < size; i++)
            {
                poly[i] += poly[i - k];
            }
        }

        return poly;
    }
}
