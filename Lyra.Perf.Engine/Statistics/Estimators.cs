using System;
using System.Collections.Generic;
using System.Linq;

namespace Lyra.Perf.Engine.Statistics;

/// <summary>Robust location and scale estimators.</summary>
// Ours, not Pragmastat 3.2.4's Shift (equal to 1e-12, see EstimatorTests): its netstandard2.0 build, which MSBuild on
// .NET Framework would load, needs System.Memory 4.5.5, and that host cannot be tested on this repository's CI.
public static class Estimators
{
    /// <summary>Hodges–Lehmann shift: the median of all pairwise differences y − x. Robust to one odd launch,
    /// and for one value on a side it is simply that value minus the other side's median.</summary>
    public static double HodgesLehmannShift(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count == 0 || y.Count == 0)
        {
            throw new ArgumentException("both samples need values");
        }

        var differences = new double[x.Count * y.Count];
        var k = 0;
        foreach (var b in y)
        {
            foreach (var a in x)
            {
                differences[k++] = b - a;
            }
        }

        Array.Sort(differences);
        return Descriptive.QuantileOfSorted(differences, 0.5);
    }

    /// <summary>Median absolute deviation scaled by 1.4826, so it estimates σ for normal data.</summary>
    public static double ScaledMad(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return ScaledMadOfSorted(sorted);
    }

    /// <summary><see cref="ScaledMad"/> of values already in ascending order.</summary>
    public static double ScaledMadOfSorted(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        var median = Descriptive.QuantileOfSorted(values, 0.5);
        var deviations = new double[values.Count];
        for (var i = 0; i < deviations.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - median);
        }

        Array.Sort(deviations);
        return 1.4826 * Descriptive.QuantileOfSorted(deviations, 0.5);
    }
}
