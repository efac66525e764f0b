using System;

namespace Lyra.Perf.Engine.Statistics;

/// <summary>The few distribution functions the verdicts need, in plain C# so the engine has no dependency to load
/// inside MSBuild (net472 and net10.0 alike). Accuracy is about 1e-12 or better in the range we use.</summary>
// Ours, not Perfolizer 0.6.1's: measured 2026-12-02, its normal quantile is 7e-4 off at p = 1e-10 and its t CDF 5e-8
// (relative) off at df = 120, t = -2.5, against the 1e-10..1e-13 reference values our tests pin.
public static class Distributions
{
    private const double Epsilon = 1e-15;

    // Coefficient tables are static: the judge evaluates these functions a few hundred thousand times per 1,000 benchmarks.
    private static readonly double[] LanczosCoefficients =
    {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    };

    private static readonly double[] AcklamA = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
    private static readonly double[] AcklamB = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01 };
    private static readonly double[] AcklamC = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
    private static readonly double[] AcklamD = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 };

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, n = 9).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection keeps the approximation in its accurate range.
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        var c = LanczosCoefficients;
        x -= 1;
        var a = c[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++)
        {
            a += c[i] / (x + i);
        }

        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(a);
    }

    /// <summary>Regularized lower incomplete gamma P(a, x).</summary>
    public static double GammaP(double a, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x < a + 1)
        {
            // Series converges fast below the mean.
            var sum = 1 / a;
            var term = sum;
            for (var n = 1; n < 500; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
                {
                    break;
                }
            }

            return sum * Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a));
        }

        return 1 - GammaQContinuedFraction(a, x);
    }

    private static double GammaQContinuedFraction(double a, double x)
    {
        // Modified Lentz evaluation of the continued fraction for Q(a, x).
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 500; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            if (Math.Abs(d) < tiny)
            {
                d = tiny;
            }

            c = b + (an / c);
            if (Math.Abs(c) < tiny)
            {
                c = tiny;
            }

            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a)) * h;
    }

    /// <summary>erfc(x), via the incomplete gamma function: erf(x) = P(1/2, x²).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        return x < 1.5 ? 1 - GammaP(0.5, x * x) : GammaQContinuedFraction(0.5, x * x);
    }

    /// <summary>Standard normal CDF Φ(x).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>Standard normal quantile Φ⁻¹(p): Acklam's rational approximation plus one Halley step.</summary>
    public static double NormalQuantile(double p)
    {
        if (double.IsNaN(p) || p <= 0 || p >= 1)
        {
            return p == 0 ? double.NegativeInfinity : p == 1 ? double.PositiveInfinity : double.NaN;
        }

        double[] a = AcklamA, b = AcklamB, c = AcklamC, d = AcklamD;
        const double low = 0.02425;
        double x;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((((((c[0] * q) + c[1]) * q) + c[2]) * q) + c[3]) * q) + c[4]) * q) + c[5];
            x /= (((((((d[0] * q) + d[1]) * q) + d[2]) * q) + d[3]) * q) + 1;
        }
        else if (p <= 1 - low)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((((((a[0] * r) + a[1]) * r) + a[2]) * r) + a[3]) * r) + a[4]) * r) + a[5];
            x = x * q / ((((((((((b[0] * r) + b[1]) * r) + b[2]) * r) + b[3]) * r) + b[4]) * r) + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -((((((((((c[0] * q) + c[1]) * q) + c[2]) * q) + c[3]) * q) + c[4]) * q) + c[5]);
            x /= (((((((d[0] * q) + d[1]) * q) + d[2]) * q) + d[3]) * q) + 1;
        }

        // One Halley refinement brings the 1e-9 approximation to full double precision.
        var e = NormalCdf(x) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - (u / (1 + (x * u / 2)));
    }

    /// <summary>Regularized incomplete beta I_x(a, b).</summary>
    public static double IncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));
        // The continued fraction converges quickly on this side of the mean; use symmetry on the other.
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - (front * BetaContinuedFraction(b, a, 1 - x) / b);
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1 - (qab * x / qap);
        if (Math.Abs(d) < tiny)
        {
            d = tiny;
        }

        d = 1 / d;
        var h = d;
        for (var m = 1; m < 1000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>Student's t CDF with <paramref name="df"/> (possibly fractional) degrees of freedom.</summary>
    public static double StudentTCdf(double t, double df)
    {
        if (double.IsNaN(t) || double.IsNaN(df) || df <= 0)
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(df))
        {
            return NormalCdf(t);
        }

        var t2 = t * t;
        if (t2 < df)
        {
            // Near the centre ν/(ν+t²) is close to 1 and 1 − it cancels; the complementary form keeps the precision.
            var centre = 0.5 * IncompleteBeta(0.5, df / 2, t2 / (df + t2));
            return t > 0 ? 0.5 + centre : 0.5 - centre;
        }

        var tail = 0.5 * IncompleteBeta(df / 2, 0.5, df / (df + t2));
        return t > 0 ? 1 - tail : tail;
    }

    /// <summary>Student's t quantile: Newton's method on the CDF, kept inside a bracket of the root (bisection when a
    /// step leaves it), so it converges in a few steps and cannot fail; started from the normal quantile.</summary>
    public static double StudentTQuantile(double p, double df)
    {
        if (double.IsNaN(p) || p <= 0 || p >= 1 || double.IsNaN(df) || df <= 0)
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(df))
        {
            return NormalQuantile(p);
        }

        if (p < 0.5)
        {
            return -StudentTQuantile(1 - p, df);
        }

        if (p == 0.5)
        {
            return 0;
        }

        // ln of the density's constant, Γ((ν+1)/2) / (√(νπ) Γ(ν/2)), once per call.
        var logScale = LogGamma((df + 1) / 2) - LogGamma(df / 2) - (0.5 * Math.Log(df * Math.PI));
        double lo = 0, hi = double.PositiveInfinity;
        var x = Math.Max(NormalQuantile(p), 1e-3);
        for (var i = 0; i < 300; i++)
        {
            var excess = StudentTCdf(x, df) - p;
            if (excess == 0)
            {
                return x;
            }

            if (excess < 0)
            {
                lo = x;
            }
            else
            {
                hi = x;
            }

            var density = Math.Exp(logScale - ((df + 1) / 2 * Math.Log(1 + (x * x / df))));
            var next = x - (excess / density);
            if (!(next > lo && next < hi))
            {
                next = double.IsPositiveInfinity(hi) ? 2 * x : 0.5 * (lo + hi);
            }

            if (next > 1e12)
            {
                return double.PositiveInfinity;
            }

            if (Math.Abs(next - x) <= 1e-14 * Math.Max(1, next) || hi - lo <= 1e-13 * Math.Max(1, lo))
            {
                return next;
            }

            x = next;
        }

        return x;
    }
}
