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

/// <summary>What the engine's family judges share: their settings, and a single comparison judged as a family of one.
/// A judge states only how it judges the family. (A base class, not a default interface method: the engine also runs
/// on .NET Framework, whose runtime has none.)</summary>
public abstract class FamilyTimeJudge : IFamilyTimeJudge
{
    protected FamilyTimeJudge(StatisticalJudgeSettings? settings) => Settings = settings ?? new StatisticalJudgeSettings();

    public StatisticalJudgeSettings Settings { get; }

    /// <summary>A single comparison: a family of one.</summary>
    public TimeJudgement Judge(BenchmarkMeasurement baseline, BenchmarkMeasurement current, double threshold) =>
        JudgeAll(new[] { new TimeComparison(baseline, current, threshold) })[0];

    public abstract IReadOnlyList<TimeJudgement> JudgeAll(IReadOnlyList<TimeComparison> comparisons);
}
