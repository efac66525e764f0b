using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Evaluation;

/// <summary>What a rule said about one benchmark.</summary>
internal sealed record Call(TimeOutcome Time, bool TimeError, bool AllocationFlag, double? Mde)
{
    public TimeJudgement? Judgement { get; init; }

    /// <summary>Any build-failing verdict on this benchmark (time or allocation).</summary>
    public bool AnyError { get; init; }
}

/// <summary>A decision rule applied to a whole run (so the engine can adjust over the family).</summary>
internal interface IRule
{
    string Name { get; }

    bool JudgesAllocations { get; }

    /// <param name="history">Earlier runs the gate's history holds (for rules that learn the runner from it).</param>
    IReadOnlyDictionary<string, Call> Judge(RunResult baseline, RunResult current, IReadOnlyList<RunResult>? history = null);
}

/// <summary>The engine itself: the full gate with its defaults (FailOn=Major, threshold 5 %).</summary>
internal sealed class EngineRule : IRule
{
    private readonly GateOptions _options;
    private readonly ITimeJudge? _judge;

    private readonly bool _learns;
    private readonly Func<RunnerHistory, RunnerHistory>? _vary;

    /// <param name="learns">Whether the engine gets the comparison's history (RunnerPrior); false judges as without one.</param>
    /// <param name="vary">A research variant of what was learned (eval only).</param>
    public EngineRule(string name, GateOptions options, ITimeJudge? judge = null, bool learns = false, Func<RunnerHistory, RunnerHistory>? vary = null)
    {
        Name = name;
        _options = options;
        _judge = judge;
        _learns = learns;
        _vary = vary;
    }

    public string Name { get; }

    /// <summary>Whether the rule learns from the comparison's history.</summary>
    public bool Learns => _learns;

    public bool JudgesAllocations => true;

    public IReadOnlyDictionary<string, Call> Judge(RunResult baseline, RunResult current, IReadOnlyList<RunResult>? history = null)
    {
        var entries = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
        foreach (var b in baseline.Benchmarks)
        {
            entries[b.Id] = new BaselineEntry { Measurement = b };
        }

        var result = new Gate(_judge).Evaluate(new Baseline { Environment = current.Environment, Benchmarks = entries }, "perf-baseline.json", current, _options, DateTimeOffset.UtcNow, runner: _learns && HistoryOf.Learn(history, current, baseline) is { } learned ? (_vary?.Invoke(learned) ?? learned) : null);
        var errors = new HashSet<string>(result.Diagnostics.Where(d => d.Level == DiagnosticLevel.Error && d.Code == DiagnosticCodes.TimeRegression && d.BenchmarkId is not null).Select(d => d.BenchmarkId!), StringComparer.Ordinal);
        return result.Verdicts.Where(v => v.Time is not null).ToDictionary(
            v => v.Id,
            v => new Call(v.Time!.Outcome, errors.Contains(v.Id), v.Allocation is { Regressed: true }, v.Time.MinimumDetectableEffect) { Judgement = v.Time },
            StringComparer.Ordinal);
    }
}

/// <summary>Per-benchmark rules that see only two sample sets (all iterations of all launches pooled).</summary>
internal abstract class PairRule : IRule
{
    public abstract string Name { get; }

    public bool JudgesAllocations => false;

    public IReadOnlyDictionary<string, Call> Judge(RunResult baseline, RunResult current, IReadOnlyList<RunResult>? history = null)
    {
        var before = baseline.Benchmarks.ToDictionary(b => b.Id, StringComparer.Ordinal);
        var calls = new Dictionary<string, Call>(StringComparer.Ordinal);
        foreach (var after in current.Benchmarks)
        {
            if (before.TryGetValue(after.Id, out var b))
            {
                var x = b.AllSamples.ToList();
                var y = after.AllSamples.ToList();
                var (outcome, ratio) = Decide(x, y);
                // Comparable "error": a Slower call of Major size (≥ 20 %), the gate's default FailOn.
                calls[after.Id] = new Call(outcome, outcome == TimeOutcome.Slower && ratio >= 1.20, false, null);
            }
        }

        return calls;
    }

    protected abstract (TimeOutcome Outcome, double Ratio) Decide(List<double> baseline, List<double> current);
}

/// <summary>Mean ratio beyond ±5 %, no statistics.</summary>
internal sealed class NaiveMeanRule : PairRule
{
    public override string Name => "naive mean ratio > 5%";

    protected override (TimeOutcome, double) Decide(List<double> x, List<double> y)
    {
        var ratio = y.Average() / x.Average();
        return (ratio > 1.05 ? TimeOutcome.Slower : ratio < 0.95 ? TimeOutcome.Faster : TimeOutcome.Same, ratio);
    }
}

/// <summary>dotnet/performance ResultsComparer's rule, reimplemented: Mann–Whitney two one-sided tests (α = 0.05)
/// with the threshold as an absolute shift of 5 % of the baseline mean (Perfolizer's RelativeThreshold), and the same
/// test at the 0.3 ns noise threshold; a difference must pass both. Iteration samples, all launches pooled.</summary>
internal sealed class ResultsComparerRule : PairRule
{
    public override string Name => "ResultsComparer rule (MW TOST 5% + 0.3 ns)";

    protected override (TimeOutcome, double) Decide(List<double> x, List<double> y)
    {
        var ratio = Descriptive.Median(y) / Descriptive.Median(x);
        var relative = Conclude(x, y, 0.05 * x.Average());
        var noise = Conclude(x, y, 0.3);
        return (relative != TimeOutcome.Same && relative == noise ? relative : TimeOutcome.Same, ratio);
    }

    private static TimeOutcome Conclude(List<double> x, List<double> y, double shift)
    {
        var slower = MannWhitney.Test(y.Select(v => v - shift).ToList(), x).PGreater < 0.05;
        var faster = MannWhitney.Test(y.Select(v => v + shift).ToList(), x).PLess < 0.05;
        return slower ? TimeOutcome.Slower : faster ? TimeOutcome.Faster : TimeOutcome.Same;
    }
}
