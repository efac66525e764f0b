using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Judging;

/// <summary>The seam where the statistics plug in: decides whether <paramref name="current"/> is slower or
/// faster than <paramref name="baseline"/> by at least <paramref name="threshold"/> (0.05 = 5 %).</summary>
public interface ITimeJudge
{
    TimeJudgement Judge(BenchmarkMeasurement baseline, BenchmarkMeasurement current, double threshold);
}
