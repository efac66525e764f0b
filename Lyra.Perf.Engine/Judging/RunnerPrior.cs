using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>What one benchmark's history says about its launch levels (ln of the fastest iteration).</summary>
/// <param name="Variance">σ² of a launch taken in a fresh run: launch-to-launch and run-to-run spread together.</param>
/// <param name="DegreesOfFreedom">Runs − 1: how much that estimate is worth as a prior.</param>
/// <param name="Runs">History runs it rests on.</param>
/// <param name="LaunchVariance">σ_L² between launches of one run (pooled within the history's runs of 2+ launches);
/// null when every run had one launch.</param>
/// <param name="LaunchDegreesOfFreedom">Σ (launches − 1) behind <paramref name="LaunchVariance"/>.</param>
public sealed record LearnedSpread(double Variance, double DegreesOfFreedom, int Runs, double? LaunchVariance = null, double LaunchDegreesOfFreedom = 0)
{
    /// <summary>σ_R² = σ² − σ_L²: how far whole runs move beyond their launches; null without σ_L².</summary>
    public double? RunVariance => LaunchVariance is { } launch ? Math.Max(0, Variance - launch) : null;

    /// <summary>The variance the time judge's launches stand for, with its degrees of freedom: with several launches
    /// on each side the judge pools launches within a side, i.e. σ_L² (the run-to-run part enters the MDE, as without
    /// history); with one launch on a side that launch is a run of its own, i.e. σ².</summary>
    public (double Variance, double DegreesOfFreedom) ForLaunches(bool oneLaunchOnASide) =>
        !oneLaunchOnASide && LaunchVariance is { } launch ? (launch, LaunchDegreesOfFreedom) : (Variance, DegreesOfFreedom);
}

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
/// variance estimates σ_R² + σ_L²·mean(1/nᵣ), so σ̂² = Var(ȳᵣ) + σ̂_L²·(1 − mean(1/nᵣ)), at R − 1 degrees of freedom,
/// and σ̂_L² is the pooled within-run variance at Σ(nᵣ − 1). The judge uses σ̂_L² where each side has several launches
/// (its test pools launches within a side; the run-to-run part σ̂_R² = σ̂² − σ̂_L² replaces the fixed RunSpread in the
/// MDE) and σ̂² where a side has one launch (that launch is a run of its own).
/// The sample variance, not successive differences: runs close in time share the machine's state (FACTS.md: lag-1
/// correlation 0.54 between processes), which successive differences would hide; a real step in the history (an
/// accepted regression) only makes the estimate larger, i.e. more cautious.</para>
/// <para>Shrinkage (empirical Bayes across the suite): the learned variance v of a benchmark, at d degrees of freedom,
/// is a scaled-inverse-χ² observation on top of the suite's typical learned variance S (the median of v over the
/// suite's benchmarks with history) weighted as 2 df: prior = (2·S + d·v) / (2 + d), at 2 + d df, which the judge then
/// combines with the launches it has, as without history. A short history is pulled toward the suite (5 runs: a third
/// of the way), a long one speaks for itself (30 runs: 94 % its own); with fewer than 3 benchmarks with history the target is
/// the judge's no-history prior instead. A benchmark without history is judged exactly as before.</para>
/// <para>Allocations: a benchmark whose reading was identical in every launch of ≥ 10 launches from ≥ 3 history runs
/// is constant on this runner (ExactAllocation's evidence, from the history as well as the baseline).</para>
/// </summary>
public static class RunnerPrior
{
    /// <summary>A benchmark's spread needs this many history runs (4 df). Measured on the noise dataset: with 4 runs
    /// (3 df) the learned prior added two false Faster flags in 120 one-launch comparisons (benchmarks that jump between
    /// two levels from process to process, whose 4 runs happened to sit on one); fewer runs say too little on such a
    /// machine even when shrunk toward the suite.</summary>
    public const int MinimumRuns = 5;

    /// <summary>Only the most recent runs count: the machine changes, and old runs describe another one.</summary>
    public const int MaximumRuns = 30;

    /// <param name="history">The history's records (any order, any environment).</param>
    /// <param name="current">The run being judged: its environment selects the records, and a record holding this
    /// very run (reports re-rendered with -t:PerfReport) is not evidence about it.</param>
    /// <param name="baseline">The baseline's measurements: a history run whose launches are one of its recording runs
    /// (a baseline recorded from a gate run's results) is already in the judge's data and must not count twice.</param>
    public static RunnerHistory Learn(IEnumerable<HistoryRecord> history, RunResult current, IEnumerable<BenchmarkMeasurement>? baseline = null)
    {
        // Only runs of this machine kind: a developer's laptop's history says nothing about a CI runner. Newest first,
        // so each benchmark stops at its MaximumRuns most recent runs.
        var records = history.Where(r => r.Environment.Differences(current.Environment).Count == 0).OrderByDescending(r => r.Time).ToList();
        // Runs already in the judge's data, by their launch levels as the history writes them.
        var known = new Dictionary<string, List<KnownRun>>(StringComparer.Ordinal);
        foreach (var measurement in current.Benchmarks.Concat(baseline ?? Enumerable.Empty<BenchmarkMeasurement>()))
        {
            foreach (var session in measurement.Launches.GroupBy(l => l.Session, StringComparer.Ordinal))
            {
                if (HistoryRecord.Levels(session) is { } levels)
                {
                    if (!known.TryGetValue(measurement.Id, out var list))
                    {
                        known[measurement.Id] = list = new List<KnownRun>();
                    }

                    list.Add(new KnownRun(levels));
                }
            }
        }

        var learning = new EntryIndex<Learning>(id => new Learning(known.TryGetValue(id, out var seen) ? seen : null));
        foreach (var record in records)
        {
            var entries = record.Entries;
            for (var position = 0; position < entries.Count; position++)
            {
                var state = learning.Find(entries.Id(position), position);

                // The count first: past a benchmark's newest MaximumRuns its levels are not even looked at.
                if (state.Runs.Count >= MaximumRuns || entries.Levels(position) is not { Count: > 0 } levels)
                {
                    continue;
                }

                if (state.Known is { } seen && IsKnown(seen, levels))
                {
                    continue; // This run itself, or one of the baseline's recording runs: already in the data.
                }

                if (LogsOfPositive(levels) is { } logs)
                {
                    state.Runs.Add(logs);
                    if (entries.Readings(position) is { Count: > 0 } readings)
                    {
                        state.Bytes.Add(readings);
                    }
                }
            }
        }

        var spreads = new Dictionary<string, LearnedSpread>(StringComparer.Ordinal);
        var constant = new Dictionary<string, LearnedAllocation>(StringComparer.Ordinal);
        foreach (var pair in learning.States)
        {
            if (Spread(pair.Value.Runs) is { } spread)
            {
                spreads[pair.Key] = spread;
            }

            if (ConstantAllocation(pair.Value.Bytes) is { } allocation)
            {
                constant[pair.Key] = allocation;
            }
        }

        return new RunnerHistory { Spreads = spreads, ConstantAllocations = constant, Runs = records.Count };
    }

    /// <summary>σ̂² of a fresh run's launch from per-run ln levels (see the class summary); null below <see cref="MinimumRuns"/>.</summary>
    public static LearnedSpread? Spread(IReadOnlyList<IReadOnlyList<double>> runs)
    {
        // Plain loops: this runs for every benchmark of every gate (1,000 × 30 runs at scale), and LINQ's enumerators
        // and delegates were garbage on every call.
        var means = new double[runs.Count];
        var used = 0;
        double sumOfMeans = 0, sumOfInverses = 0;
        for (var r = 0; r < runs.Count; r++)
        {
            if (runs[r].Count > 0)
            {
                used++;
                sumOfMeans += means[r] = Mean(runs[r]);
                sumOfInverses += 1.0 / runs[r].Count;
            }
        }

        if (used < MinimumRuns)
        {
            return null;
        }

        var grand = sumOfMeans / used;
        double betweenSs = 0, withinSs = 0;
        var withinDf = 0;
        for (var r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            if (run.Count == 0)
            {
                continue;
            }

            betweenSs += (means[r] - grand) * (means[r] - grand);
            if (run.Count >= 2)
            {
                double squares = 0; // summed per run, then added: the same rounding as before
                for (var i = 0; i < run.Count; i++)
                {
                    squares += (run[i] - means[r]) * (run[i] - means[r]);
                }

                withinSs += squares;
                withinDf += run.Count - 1;
            }
        }

        var between = betweenSs / (used - 1);
        var within = withinDf > 0 ? withinSs / withinDf : 0;
        var meanInverse = sumOfInverses / used;
        var variance = between + (within * (1 - meanInverse));
        return new LearnedSpread(variance, used - 1, used, withinDf > 0 ? within : null, withinDf);
    }

    private static double Mean(IReadOnlyList<double> values)
    {
        double sum = 0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += values[i];
        }

        return sum / values.Count;
    }

    /// <summary>One allocation reading in every launch of enough sessions (<see cref="ExactAllocation"/>); else null.</summary>
    private static LearnedAllocation? ConstantAllocation(IReadOnlyList<IReadOnlyList<double>> sessions)
    {
        if (sessions.Count < ExactAllocation.MinimumSessions)
        {
            return null;
        }

        double? first = null;
        var launches = 0;
        foreach (var session in sessions)
        {
            for (var i = 0; i < session.Count; i++)
            {
                // double.Equals as Distinct compares: NaN is NaN, and 0 is -0.
                if (first is { } value && !value.Equals(session[i]))
                {
                    return null;
                }

                first ??= session[i];
                launches++;
            }
        }

        return first is { } bytes && launches >= ExactAllocation.MinimumLaunches ? new LearnedAllocation(bytes, launches, sessions.Count) : null;
    }

    /// <summary>The moderated prior: <paramref name="priorVariance"/> at <paramref name="priorDf"/> degrees of freedom
    /// (the judge's no-history prior) combined with a learned <paramref name="variance"/> at <paramref name="df"/> as a
    /// scaled-inverse-χ² observation.</summary>
    public static (double Variance, double DegreesOfFreedom) Moderate(double priorVariance, double priorDf, double variance, double df)
    {
        var total = priorDf + df;
        return total <= 0 ? (priorVariance, 0) : (((priorDf * priorVariance) + (df * variance)) / total, total);
    }

    /// <summary>The suite's typical learned variance: the median over benchmarks; null with fewer than 3.</summary>
    public static double? SuiteVariance(IEnumerable<double?> variances)
    {
        var values = variances.Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count >= 3 ? Descriptive.Median(values) : null;
    }

    /// <summary>Whether <paramref name="levels"/> (a history run's) are one of the known runs' by their text as the history
    /// writes it. The text is formatted only for levels within rounding of a known run's: that text has 6 significant
    /// digits, so equal text means every level within 2·10⁻⁵ of the other (or 10⁻¹⁵ for the tiniest, written with 15
    /// decimals), and other runs, a noise apart, are told apart without formatting a number.</summary>
    private static bool IsKnown(List<KnownRun> known, ArraySegment<double> levels)
    {
        string? signature = null;
        foreach (var run in known)
        {
            if (run.Levels.Count == levels.Count && WithinRounding(run.Levels, levels) && (signature ??= Signature(levels)) == run.Signature)
            {
                return true;
            }
        }

        return false;
    }

    private static bool WithinRounding(IReadOnlyList<double> a, ArraySegment<double> b)
    {
        for (var i = 0; i < a.Count; i++)
        {
            var other = b.Array![b.Offset + i];
            if (!(Math.Abs(a[i] - other) <= (2e-5 * Math.Max(Math.Abs(a[i]), Math.Abs(other))) + 1e-15))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A run's launch levels as the history writes them (stable number text), to recognise the same run.</summary>
    private static string Signature(IReadOnlyList<double> levels) => string.Join(",", levels.Select(v => Json.JsonNumbers.Format(v)));

    /// <summary>A run already in the judge's data: its levels, and their text only once a history run is within rounding
    /// of them (formatting every known run's levels up front was a good part of the pass).</summary>
    private sealed class KnownRun(IReadOnlyList<double> levels)
    {
        private string? _signature;

        public IReadOnlyList<double> Levels { get; } = levels;

        public string Signature => _signature ??= RunnerPrior.Signature(Levels);
    }

    /// <summary>One benchmark's runs as a pass over the history gathers them, with the runs already in the judge's data.</summary>
    private sealed class Learning(List<KnownRun>? known)
    {
        public List<KnownRun>? Known { get; } = known;

        public List<IReadOnlyList<double>> Runs { get; } = new();

        public List<IReadOnlyList<double>> Bytes { get; } = new();
    }

    /// <summary>The natural logs of levels that are all positive and finite; null otherwise.</summary>
    private static double[]? LogsOfPositive(ArraySegment<double> levels)
    {
        var logs = new double[levels.Count];
        for (var i = 0; i < logs.Length; i++)
        {
            var v = levels.Array![levels.Offset + i];
            if (!(v > 0) || double.IsInfinity(v))
            {
                return null;
            }

            logs[i] = Math.Log(v);
        }

        return logs;
    }
}
