using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Judging;

/// <summary>The simplest honest rule: ratio of typical times (median of launch medians) against the threshold.
/// No test of significance; kept as the reference the statistical judge is measured against.</summary>
public sealed class MedianRatioJudge : ITimeJudge
{
    public TimeJudgement Judge(BenchmarkMeasurement baseline, BenchmarkMeasurement current, double threshold)
    {
        if (baseline.TypicalNanoseconds is not { } before || current.TypicalNanoseconds is not { } after || before <= 0)
        {
            return new TimeJudgement(TimeOutcome.Unknown, double.NaN) { Reason = "no time samples to compare", Method = "median ratio" };
        }

        var ratio = after / before;
        var outcome = ratio - 1 >= threshold ? TimeOutcome.Slower
            : 1 - ratio >= threshold ? TimeOutcome.Faster
            : TimeOutcome.Same;
        return new TimeJudgement(outcome, ratio) { Method = "median ratio" };
    }
}
