using System.Collections.Generic;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Judging;

/// <summary>One benchmark's time comparison within a gate run.</summary>
public sealed record TimeComparison(BenchmarkMeasurement Baseline, BenchmarkMeasurement Current, double Threshold)
{
    /// <summary>The benchmark's launch spread learned from the history (RunnerPrior); null without history.</summary>
    public LearnedSpread? Learned { get; init; }
}

/// <summary>A judge that sees the whole run at once, so it can control false alarms across many benchmarks
/// (judge every benchmark, then adjust the p-values over the family). The gate prefers this when available.</summary>
public interface IFamilyTimeJudge : ITimeJudge
{
    /// <returns>One judgement per comparison, in the same order.</returns>
    IReadOnlyList<TimeJudgement> JudgeAll(IReadOnlyList<TimeComparison> comparisons);
}
