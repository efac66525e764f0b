using System;
using System.Linq;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>One launch as the time judges see it: ln of its level (a quantile of its iteration times,
/// <see cref="StatisticalJudgeSettings.LaunchQuantile"/>), the robust spread of its ln iteration times (NaN with fewer
/// than 3) and how many valid iterations it has.</summary>
internal readonly record struct LogLaunch(double Centre, double Spread, int Count)
{
    /// <summary>The launch's level and spread; null when it has no valid sample (NaN, infinite, zero or negative values are dropped).</summary>
    public static LogLaunch? Of(LaunchMeasurement launch, double quantile)
    {
        var logs = launch.Samples.Where(v => v > 0 && !double.IsInfinity(v) && !double.IsNaN(v)).Select(v => Math.Log(v)).ToArray();
        if (logs.Length == 0)
        {
            return null;
        }

        // Sorted once for the level and the MAD's median.
        Array.Sort(logs);
        var spread = double.NaN;
        if (logs.Length >= 3)
        {
            spread = Estimators.ScaledMadOfSorted(logs);
            if (spread == 0)
            {
                spread = Descriptive.StandardDeviation(logs); // Quantised timings can make the MAD zero.
            }
        }

        return new LogLaunch(Descriptive.QuantileOfSorted(logs, quantile), spread, logs.Length);
    }
}
