using System;
using System.Collections.Generic;
using System.Linq;

namespace Lyra.Perf.Engine.Statistics;

/// <summary>Plain descriptive statistics on samples.</summary>
public static class Descriptive
{
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary>Linear-interpolation quantile (Hyndman–Fan type 7, as Excel and numpy's default).</summary>
    public static double Quantile(IEnumerable<double> values, double probability)
    {
        // A copy sorted in place, not OrderBy: the judge takes several quantiles of every launch's iterations.
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return QuantileOfSorted(sorted, probability);
    }

    /// <summary><see cref="Quantile"/> of values already in ascending order (no copy).</summary>
    public static double QuantileOfSorted(IReadOnlyList<double> sorted, double probability)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }

        var position = (sorted.Count - 1) * probability;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    public static double Mean(IEnumerable<double> values)
    {
        var list = values as IReadOnlyCollection<double> ?? values.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        return list.Sum() / list.Count;
    }

    /// <summary>Sample standard deviation (n − 1); 0 for fewer than two values.</summary>
    public static double StandardDeviation(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count < 2)
        {
            return 0;
        }

        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }
}
