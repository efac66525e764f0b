using System;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Tests.Statistics;

/// <summary>Pinned to reference values computed independently of this code: python3's standard library
/// (statistics.NormalDist, math.erfc, math.lgamma), closed forms of Student's t for 1 and 2 degrees of freedom,
/// printed t tables, and brute-force enumeration of every rank arrangement (itertools.combinations) for the exact
/// Mann–Whitney p-value. scipy is not installable on this machine; the Python used is in docs/verdict-quality.md.</summary>
public class DistributionsTests
{
    [Theory]
    [InlineData(1.96, 0.9750021048517796)]
    [InlineData(-3, 0.0013498980316301035)]
    [InlineData(0, 0.5)]
    public void Normal_cdf_matches_python(double x, double expected) =>
        Assert.Equal(expected, Distributions.NormalCdf(x), 12);

    [Theory]
    [InlineData(0.975, 1.9599639845400536)]
    [InlineData(0.001, -3.090232306167813)]
    public void Normal_quantile_matches_python(double p, double expected) =>
        Assert.Equal(expected, Distributions.NormalQuantile(p), 10);

    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(2.5, 0.0004069520174449589)]
    public void Erfc_matches_python(double x, double expected) =>
        Assert.Equal(expected, Distributions.Erfc(x), 13);

    [Theory]
    [InlineData(4.5, 2.453736570842443)]
    [InlineData(0.3, 1.0957979948180752)]
    public void Log_gamma_matches_python(double x, double expected) =>
        Assert.Equal(expected, Distributions.LogGamma(x), 12);

    [Fact]
    public void Student_t_cdf_matches_closed_forms()
    {
        // df = 1 (Cauchy): 1/2 + atan(t)/π; df = 2: 1/2 + t / (2√(2 + t²)).
        Assert.Equal(0.8788810584091566, Distributions.StudentTCdf(2.5, 1), 11);
        Assert.Equal(0.1616235159080202, Distributions.StudentTCdf(-1.3, 2), 11);
        Assert.Equal(Distributions.NormalCdf(1.1), Distributions.StudentTCdf(1.1, double.PositiveInfinity), 14);
    }

    [Theory]
    [InlineData(0.975, 10, 2.228138851986274)] // t tables
    [InlineData(0.95, 4, 2.131846786326649)]
    [InlineData(0.975, 1, 12.706204736174707)]
    public void Student_t_quantile_matches_tables(double p, double df, double expected) =>
        Assert.Equal(expected, Distributions.StudentTQuantile(p, df), 8);

    [Fact]
    public void Invalid_arguments_give_nan_not_exceptions()
    {
        Assert.True(double.IsNaN(Distributions.StudentTCdf(double.NaN, 3)));
        Assert.True(double.IsNaN(Distributions.StudentTCdf(1, 0)));
        Assert.True(double.IsNaN(Distributions.StudentTQuantile(1.5, 3)));
        Assert.True(double.IsNaN(Distributions.NormalQuantile(double.NaN)));
    }
}

public class MannWhitneyTests
{
    [Fact]
    public void Exact_p_matches_brute_force_enumeration()
    {
        // All C(9,4) = 126 arrangements enumerated in python: U = 16, 12 of them have U ≥ 16, 119 have U ≤ 16.
        var result = MannWhitney.Test(new[] { 1.1, 2.3, 3.7, 4.2 }, new[] { 0.5, 0.9, 1.5, 2.0, 2.8 });
        Assert.True(result.Exact);
        Assert.Equal(16, result.U);
        Assert.Equal(12.0 / 126, result.PGreater, 12);
        Assert.Equal(119.0 / 126, result.PLess, 12);
    }

    [Fact]
    public void Ties_use_the_normal_approximation_with_tie_and_continuity_correction()
    {
        // Textbook formula evaluated in python: U = 10.5, σ² = nm/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))).
        var result = MannWhitney.Test(new double[] { 1, 2, 2, 3, 4, 5 }, new double[] { 2, 3, 3, 4, 6, 7, 8 });
        Assert.False(result.Exact);
        Assert.Equal(10.5, result.U);
        Assert.Equal(0.07400915363616345, result.PLess, 10);
        Assert.Equal(0.9442203472746089, result.PGreater, 10);
    }

    [Fact]
    public void Exact_counts_sum_to_the_binomial_coefficient()
    {
        var counts = MannWhitney.ExactCounts(5, 7);
        Assert.Equal(792, counts[0] + SumFrom(counts, 1)); // C(12, 5)
        Assert.Equal(1, counts[0]);
        Assert.Equal(1, counts[35]);
    }

    [Fact]
    public void Empty_or_all_tied_samples_are_no_evidence()
    {
        Assert.Equal(1, MannWhitney.Test(Array.Empty<double>(), new[] { 1.0 }).PGreater);
        var tied = MannWhitney.Test(new[] { 2.0, 2.0, 2.0 }, new[] { 2.0, 2.0 });
        Assert.Equal(1, tied.PGreater);
        Assert.Equal(1, tied.PLess);
    }

    private static double SumFrom(double[] values, int start)
    {
        var sum = 0.0;
        for (var i = start; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }
}

public class EstimatorTests
{
    [Fact]
    public void Hodges_Lehmann_is_the_median_of_pairwise_differences()
    {
        // Differences y − x: {1,0,-1, 3,2,1, 10,9,8} → median 2 (hand-computed).
        Assert.Equal(2, Estimators.HodgesLehmannShift(new double[] { 1, 2, 3 }, new double[] { 2, 4, 11 }));
        // One value on a side: that value minus the other side's median.
        Assert.Equal(5 - 2, Estimators.HodgesLehmannShift(new double[] { 1, 2, 30 }, new double[] { 5 }));
    }

    [Fact]
    public void Scaled_mad_estimates_sigma()
    {
        // |x − 3| = {2,1,0,1,2} → MAD 1 → 1.4826.
        Assert.Equal(1.4826, Estimators.ScaledMad(new double[] { 1, 2, 3, 4, 5 }), 10);
        Assert.Throws<ArgumentException>(() => Estimators.ScaledMad(Array.Empty<double>()));
    }
}

public class MultipleComparisonsTests
{
    // Hand-computed, as R's p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm" | "BH") defines them.
    [Fact]
    public void Holm_matches_hand_computation() =>
        Assert.Equal(new[] { 0.03, 0.06, 0.06, 0.02 }, Round(MultipleComparisons.Holm(new[] { 0.01, 0.04, 0.03, 0.005 })));

    [Fact]
    public void Benjamini_Hochberg_matches_hand_computation() =>
        Assert.Equal(new[] { 0.02, 0.04, 0.04, 0.02 }, Round(MultipleComparisons.BenjaminiHochberg(new[] { 0.01, 0.04, 0.03, 0.005 })));

    [Fact]
    public void Broken_p_values_count_as_no_evidence()
    {
        Assert.Equal(new[] { 1.0, 0.02 }, Round(MultipleComparisons.BenjaminiHochberg(new[] { double.NaN, 0.01 })));
        Assert.Empty(MultipleComparisons.Holm(Array.Empty<double>()));
    }

    private static double[] Round(double[] values) => Array.ConvertAll(values, v => Math.Round(v, 12));
}

public class TrendTests
{
    [Fact]
    public void Mann_Kendall_on_a_strictly_rising_series()
    {
        // S = 45, Var = n(n−1)(2n+5)/18 = 125; p = 1 − Φ(44/√125) (python).
        var result = Trend.MannKendall(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 });
        Assert.Equal(45, result.S);
        Assert.Equal(125, result.Variance, 10);
        Assert.Equal(4.151535166330156e-05, result.PRising, 10);
    }

    [Fact]
    public void Mann_Kendall_with_ties()
    {
        // Python: S = 25, Var = 64.333…, p = 0.0013847925773604608.
        var result = Trend.MannKendall(new double[] { 1, 2, 2, 3, 5, 4, 6, 7 });
        Assert.Equal(25, result.S);
        Assert.Equal(64.33333333333333, result.Variance, 10);
        Assert.Equal(0.0013847925773604608, result.PRising, 10);
    }

    [Fact]
    public void Theil_Sen_ignores_one_outlier()
    {
        Assert.Equal(2, Trend.TheilSenSlope(new double[] { 0, 2, 4, 100, 8, 10 }), 10);
        Assert.Equal(0, Trend.TheilSenSlope(new double[] { 5 }));
    }
}
