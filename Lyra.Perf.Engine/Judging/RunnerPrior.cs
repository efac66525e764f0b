using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>What one benchmark's history says about its launch levels: the variance of ln(level) of a launch taken
/// in a fresh run (launch-to-launch and run-to-run spread together), with its degrees of freedom.</summary>
/// <param name="Variance">σ² of ln launch level across runs.</param>
/// <param name="DegreesOfFreedom">Runs − 1: how much the estimate is worth as a prior.</param>
/// <param name="Runs">History runs it rests on.</param>
public sealed record LearnedSpread(double Variance, double DegreesOfFreedom, int Runs);

/// <summary>A benchmark whose allocation reading was exactly the same in every launch of its history.</summary>
public sealed record LearnedAllocation(double Bytes, int Launches, int Runs);

/// <summary>The runner as the history shows it, per benchmark (empty when there is no usable history).</summary>
public sealed record RunnerHistory
{
    public static readonly RunnerHistory None = new();

    public IReadOnlyDictionary<string, LearnedSpread> Spreads { get; init; } = new Dictionary<string, LearnedSpread>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, LearnedAllocation> ConstantAllocations { get; init; } = new Dictionary<string, LearnedAllocation>(StringComparer.Ordinal);

    /// <summary>History runs of the same environment that the estimates come from.</summary>
    public int Runs { get; init; }

    public LearnedSpread? SpreadOf(string id) => Spreads.TryGetValue(id, out var s) ? s : null;

    public LearnedAllocation? AllocationOf(string id) => ConstantAllocations.TryGetValue(id, out var a) ? a : null;
}

/// <summary>
/// Learns the runner from the history (empirical Bayes across runs, per benchmark). A pure function: the history is
/// read by <see cref="HistoryStore"/> at the edge (GateRunner) and passed in.
/// <para>Time: per benchmark, each history run r of the current run's environment contributes the mean ȳᵣ of its
/// launches' ln(fastest iteration) (the judge's level) over nᵣ launches and, with 2+ launches, their within-run sum of
/// squares. A launch in a fresh run has variance σ² = σ_R² + σ_L² (run effect + launch noise); the run means' sample
/// variance estimates σ_R² + σ_L²·mean(1/nᵣ), so σ̂² = Var(ȳᵣ) + σ̂_L²·(1 − mean(1/nᵣ)), at R − 1 degrees of freedom.
/// The sample variance, not successive differences: runs close in time share the machine's state (FACTS.md: lag-1
/// correlation 0.54 between processes), which successive differences would hide; a real step in the history (an
/// accepted regression) only makes the estimate larger, i.e. more cautious.</para>
/// <para>Shrinkage: the judge treats σ̂² as a scaled-inverse-χ² observation with R − 1 df on top of its no-history
/// prior (the benchmark's inflated iteration spread, lowered toward the suite's typical value, which with a history is
/// the median σ̂² over the suite's benchmarks) weighted as 2 df: prior = (2·suite-informed prior + (R − 1)·σ̂²) / (2 + R − 1),
/// at 2 + R − 1 df. A short history is therefore pulled toward the suite, a long one speaks for itself, and a benchmark
/// without history is judged exactly as before.</para>
/// <para>Allocations: a benchmark whose reading was identical in every launch of ≥ 10 launches from ≥ 3 history runs
/// is constant on this runner (ExactAllocation's evidence, from the history as well as the baseline).</para>
/// </summary>
public static class RunnerPrior
{
    /// <summary>A benchmark's spread needs this many history runs (2 df): fewer say too little even as a prior.</summary>
    public const int MinimumRuns = 3;

    /// <summary>Only the most recent runs count: the machine changes, and old runs describe another one.</summary>
    public const int MaximumRuns = 30;

    /// <param name="history">The history's records (any order, any environment).</param>
    /// <param name="current">The run being judged: its environment selects the records, and a record holding this
    /// very run (reports re-rendered with -t:PerfReport) is not evidence about it.</param>
    public static RunnerHistory Learn(IEnumerable<HistoryRecord> history, RunResult current)
    {
        // Only runs of this machine kind: a developer's laptop's history says nothing about a CI runner. Newest first,
        // so each benchmark stops at its MaximumRuns most recent runs.
        var records = history.Where(r => r.Environment.Differences(current.Environment).Count == 0).OrderByDescending(r => r.Time).ToList();
        var own = current.Benchmarks.GroupBy(b => b.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => HistoryRecord.Levels(g.First())?.Select(v => Json.JsonNumbers.Format(v)).ToList(), StringComparer.Ordinal);
        var runs = new Dictionary<string, List<IReadOnlyList<double>>>(StringComparer.Ordinal);
        var bytes = new Dictionary<string, List<IReadOnlyList<double>>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            foreach (var benchmark in record.Benchmarks)
            {
                if (benchmark.LaunchLevels is not { Count: > 0 } levels || (runs.TryGetValue(benchmark.Id, out var kept) && kept.Count >= MaximumRuns))
                {
                    continue;
                }

                if (own.TryGetValue(benchmark.Id, out var mine) && IsSameRun(levels, mine))
                {
                    continue; // This run itself, already recorded.
                }

                if (levels.All(v => v > 0 && !double.IsInfinity(v)))
                {
                    Add(runs, benchmark.Id, levels.Select(v => Math.Log(v)).ToList());
                    if (benchmark.LaunchBytes is { Count: > 0 } readings)
                    {
                        Add(bytes, benchmark.Id, readings);
                    }
                }
            }
        }

        var spreads = new Dictionary<string, LearnedSpread>(StringComparer.Ordinal);
        foreach (var pair in runs)
        {
            if (Spread(pair.Value) is { } spread)
            {
                spreads[pair.Key] = spread;
            }
        }

        var constant = new Dictionary<string, LearnedAllocation>(StringComparer.Ordinal);
        foreach (var pair in bytes)
        {
            var all = pair.Value.SelectMany(r => r).ToList();
            if (pair.Value.Count >= ExactAllocation.MinimumSessions && all.Count >= ExactAllocation.MinimumLaunches && all.Distinct().Count() == 1)
            {
                constant[pair.Key] = new LearnedAllocation(all[0], all.Count, pair.Value.Count);
            }
        }

        return new RunnerHistory { Spreads = spreads, ConstantAllocations = constant, Runs = records.Count };
    }

    /// <summary>σ̂² of a fresh run's launch from per-run ln levels (see the class summary); null below <see cref="MinimumRuns"/>.</summary>
    public static LearnedSpread? Spread(IReadOnlyList<IReadOnlyList<double>> runs)
    {
        var used = runs.Where(r => r.Count > 0).ToList();
        if (used.Count < MinimumRuns)
        {
            return null;
        }

        var means = used.Select(r => r.Average()).ToList();
        var grand = means.Average();
        var between = means.Sum(m => (m - grand) * (m - grand)) / (means.Count - 1);
        double withinSs = 0;
        var withinDf = 0;
        foreach (var run in used.Where(r => r.Count >= 2))
        {
            var mean = run.Average();
            withinSs += run.Sum(v => (v - mean) * (v - mean));
            withinDf += run.Count - 1;
        }

        var within = withinDf > 0 ? withinSs / withinDf : 0;
        var meanInverse = used.Average(r => 1.0 / r.Count);
        var variance = between + (within * (1 - meanInverse));
        return new LearnedSpread(variance, used.Count - 1, used.Count);
    }

    /// <summary>The moderated prior: <paramref name="priorVariance"/> at <paramref name="priorDf"/> degrees of freedom
    /// (the judge's no-history prior) combined with the learned spread as a scaled-inverse-χ² observation.</summary>
    public static (double Variance, double DegreesOfFreedom) Moderate(double priorVariance, double priorDf, LearnedSpread learned)
    {
        var df = priorDf + learned.DegreesOfFreedom;
        return (((priorDf * priorVariance) + (learned.DegreesOfFreedom * learned.Variance)) / df, df);
    }

    /// <summary>The suite's typical learned variance: the median over benchmarks; null with fewer than 3.</summary>
    public static double? SuiteVariance(IEnumerable<LearnedSpread?> spreads)
    {
        var values = spreads.Where(s => s is not null).Select(s => s!.Variance).ToList();
        return values.Count >= 3 ? Descriptive.Median(values) : null;
    }

    /// <summary>Whether a record's levels are this run's own (as the history writes them: stable number text).</summary>
    private static bool IsSameRun(IReadOnlyList<double> theirs, IReadOnlyList<string>? mine) =>
        mine is not null && theirs.Count == mine.Count && Json.JsonNumbers.Format(theirs[0]) == mine[0]
        && theirs.Select(v => Json.JsonNumbers.Format(v)).SequenceEqual(mine);

    private static void Add(Dictionary<string, List<IReadOnlyList<double>>> map, string id, IReadOnlyList<double> values)
    {
        if (!map.TryGetValue(id, out var list))
        {
            map[id] = list = new List<IReadOnlyList<double>>();
        }

        list.Add(values);
    }
}
