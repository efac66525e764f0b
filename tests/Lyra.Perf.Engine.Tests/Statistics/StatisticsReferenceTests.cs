using System;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Tests.Statistics;

/// <summary>Pinned to reference values computed independently of this code: python3's standard library
/// (statistics.NormalDist, math.erfc, math.lgamma), closed forms of Student's t for 1 and 2 degrees of freedom,
/// and printed t tables. scipy is not installable on this machine; the Python used is in docs/verdict-quality.md.</summary>
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

    [Theory]
    [InlineData(0.975)]
    [InlineData(0.6)]
    [InlineData(0.999999)]
    [InlineData(0.05)]
    public void Student_t_quantile_matches_the_closed_forms_of_one_and_two_degrees_of_freedom(double p)
    {
        // df = 1 (Cauchy): tan(π(p − 1/2)); df = 2: (2p − 1) / √(2p(1 − p)).
        var cauchy = Math.Tan(Math.PI * (p - 0.5));
        var two = ((2 * p) - 1) / Math.Sqrt(2 * p * (1 - p));
        Assert.True(Math.Abs(Distributions.StudentTQuantile(p, 1) - cauchy) <= 1e-10 * Math.Max(1, Math.Abs(cauchy)));
        Assert.True(Math.Abs(Distributions.StudentTQuantile(p, 2) - two) <= 1e-10 * Math.Max(1, Math.Abs(two)));
    }

    [Fact]
    public void Student_t_quantile_inverts_the_cdf_over_fractional_degrees_of_freedom_and_far_tails()
    {
        foreach (var df in new[] { 0.3, 0.9, 1.7, 2.5, 4.2, 9.9, 37.5, 250, 1e5 })
        {
            foreach (var p in new[] { 0.5000001, 0.55, 0.8, 0.9, 0.95, 0.975, 0.995, 0.99999, 0.2, 0.025 })
            {
                var t = Distributions.StudentTQuantile(p, df);
                if (df < 1 && p is > 0.99 or < 0.01)
                {
                    // Beyond 1e12 (ν = 0.3, p = 0.99999 is about 1e16): reported as infinite, never a wrong finite value.
                    Assert.True(double.IsInfinity(t) || Math.Abs(Distributions.StudentTCdf(t, df) - p) <= 1e-12);
                    continue;
                }

                Assert.True(Math.Abs(Distributions.StudentTCdf(t, df) - p) <= 1e-12, $"df {df}, p {p}: t {t}, F(t) {Distributions.StudentTCdf(t, df)}");
            }
        }

        Assert.Equal(0, Distributions.StudentTQuantile(0.5, 3));
    }

    [Fact]
    public void Invalid_arguments_give_nan_not_exceptions()
    {
        Assert.True(double.IsNaN(Distributions.StudentTCdf(double.NaN, 3)));
        Assert.True(double.IsNaN(Distributions.StudentTCdf(1, 0)));
        Assert.True(double.IsNaN(Distributions.StudentTQuantile(1.5, 3)));
        Assert.True(double.IsNaN(Distributions.NormalQuantile(double.NaN)));
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
    public void Hodges_lehmann_shift_matches_pragmastat_on_seeded_samples()
    {
        // Pragmastat's Shift(y, x) is the same estimator (median of pairwise y - x), written independently of ours.
        var random = new Random(20261202);
        for (var i = 0; i < 300; i++)
        {
            var x = new double[random.Next(1, 12)];
            var y = new double[random.Next(1, 12)];
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = random.NextDouble() * 10;
            }

            for (var k = 0; k < y.Length; k++)
            {
                y[k] = (random.NextDouble() * 10) + 0.5;
            }

            var theirs = Pragmastat.Toolkit.Shift(new Pragmastat.Sample(y), new Pragmastat.Sample(x)).NominalValue;
            Assert.Equal(theirs, Estimators.HodgesLehmannShift(x, y), 12);
        }
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
    // Hand-computed, as R's p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") defines them.
    [Fact]
    public void Benjamini_Hochberg_matches_hand_computation() =>
        Assert.Equal(new[] { 0.02, 0.04, 0.04, 0.02 }, Round(MultipleComparisons.BenjaminiHochberg(new[] { 0.01, 0.04, 0.03, 0.005 })));

    [Fact]
    public void Broken_p_values_count_as_no_evidence()
    {
        Assert.Equal(new[] { 1.0, 0.02 }, Round(MultipleComparisons.BenjaminiHochberg(new[] { double.NaN, 0.01 })));
        Assert.Empty(MultipleComparisons.BenjaminiHochberg(Array.Empty<double>()));
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
