using System;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>How much evidence a regression of a failing severity lacks to be an error: the launches per side at which
/// its observed effect would pass the family control. Severity comes from the point estimate; whether it can fail the
/// build comes from the evidence, so the message says what would decide it.</summary>
public static class LaunchesToDecide
{
    /// <summary>Beyond this many launches per side the answer is "not practical".</summary>
    public const int MaximumLaunches = 100;

    /// <summary>The most that counts as practical for a run that had <paramref name="perSideNow"/>: 100 launches, or four
    /// times this run's measuring for an A/B run's units (about 120 per side already: a cap of 100 would call any
    /// answer impractical).</summary>
    public static int MaximumFor(double perSideNow) => Math.Max(MaximumLaunches, (int)Math.Ceiling(4 * perSideNow));

    /// <summary>Launches per side (both sides alike) at which the one-sided t test of the observed ln ratio against the
    /// threshold, with the judge's launch spread and prior weight, survives Bonferroni over the run's family at
    /// <paramref name="familyErrorRate"/> (stricter than the Benjamini–Hochberg the gate applies, so enough); null when
    /// the judgement carries no spread, shows no excess over the threshold, or needs more than <see cref="MaximumFor"/>.
    /// The judgement's <see cref="TimeJudgement.StandardErrorFloor"/> stays whatever the count.</summary>
    public static int? For(TimeJudgement time, int baselineLaunches, int currentLaunches, double threshold, double familyErrorRate, double priorDegreesOfFreedom)
    {
        if (time.StandardError is not { } se || !(se > 0) || baselineLaunches < 1 || currentLaunches < 1 || !(time.Ratio > 0) || double.IsInfinity(time.Ratio))
        {
            return null;
        }

        var floor = time.StandardErrorFloor is { } f && f > 0 ? f : 0;
        var own = (se * se) - (floor * floor);
        if (!(own > 0))
        {
            return null;
        }

        var sigma = Math.Sqrt(own / ((1.0 / baselineLaunches) + (1.0 / currentLaunches)));
        var excess = Math.Log(time.Ratio) - Math.Log(1 + threshold);
        if (!(excess > 0))
        {
            return null;
        }

        var family = Math.Max(1, time.FamilySize ?? 1);
        var most = MaximumFor(Math.Min(baselineLaunches, currentLaunches));
        for (var n = Math.Max(2, Math.Min(baselineLaunches, currentLaunches)); n <= most; n++)
        {
            var p = 1 - Distributions.StudentTCdf(excess / Math.Sqrt((floor * floor) + (sigma * sigma * 2.0 / n)), (2 * (n - 1)) + priorDegreesOfFreedom);
            if (p * family < familyErrorRate)
            {
                return n;
            }
        }

        return null;
    }
}
