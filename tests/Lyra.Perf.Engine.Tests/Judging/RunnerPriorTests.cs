using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

public class RunnerPriorTests
{
    private static readonly string[] Suite = { "a", "b", "c", "d" };

    /// <summary>One launch whose fastest iteration is <paramref name="level"/>, its iterations spread ±3 % (so the
    /// iteration-based prior alone is wide).</summary>
    private static LaunchMeasurement Launch(double level, double? bytes = null, string? session = null) => new()
    {
        Samples = Enumerable.Range(0, 10).Select(i => level * (1 + (0.0067 * (i % 10)))).ToList(),
        AllocatedBytesPerOperation = bytes,
        Session = session,
    };

    private static BenchmarkMeasurement One(string id, double level, double? bytes = null) => new() { Id = id, Type = "T", Method = id, Launches = new[] { Launch(level, bytes) } };

    /// <summary><paramref name="runs"/> earlier one-launch runs of the suite whose levels spread by <paramref name="spread"/> (log SD).</summary>
    private static List<HistoryRecord> History(int runs, double spread, int seed = 7, int launches = 1)
    {
        var random = new Random(seed);
        var records = new List<HistoryRecord>();
        for (var r = 0; r < runs; r++)
        {
            var run = RunOf(Suite.Select(id => new BenchmarkMeasurement
            {
                Id = id,
                Type = "T",
                Method = id,
                Launches = Enumerable.Range(0, launches).Select(_ => Launch(1000 * Math.Exp(spread * Gaussian(random)), bytes: 1024)).ToList(),
            }).ToArray());
            records.Add(HistoryRecord.From(run, new GateResult(), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddHours(r), null));
        }

        return records;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The whole suite one launch a side, "a" slowed by <paramref name="factor"/>, judged with what <paramref name="history"/> teaches.</summary>
    private static TimeJudgement JudgeA(IReadOnlyList<HistoryRecord>? history, double factor = 1.10)
    {
        var current = RunOf(Suite.Select(id => One(id, id == "a" ? 1000 * factor : 1000)).ToArray());
        var runner = history is null ? null : RunnerPrior.Learn(history, current);
        var result = new Gate().Evaluate(BaselineOf(Suite.Select(id => One(id, 1000)).ToArray()), "perf-baseline.json", current, new GateOptions(), DateTimeOffset.UtcNow, runner: runner);
        return result.Verdicts.Single(v => v.Id == "a").Time!;
    }

    [Fact]
    public void The_spread_of_a_fresh_runs_launch_is_the_run_means_variance_plus_the_within_run_share()
    {
        // One launch per run: the sample variance of the run levels, at runs − 1 df.
        var single = RunnerPrior.Spread(new[] { new[] { 0.0 }, new[] { 0.02 }, new[] { -0.02 }, new[] { 0.04 }, new[] { 0.01 } })!;
        Assert.Equal((0.0001 + 0.0001 + 0.0009 + 0.0009 + 0) / 4, single.Variance, 12); // Around the mean 0.01.
        Assert.Equal(4, single.DegreesOfFreedom);
        Assert.Equal(5, single.Runs);

        // Two launches per run: run means 0, 0.1, …, 0.4 (variance 0.025) and within-run variance 0.0002 (each pair
        // ±0.01), of which a run mean carries half: σ² = 0.025 + 0.0002 · (1 − 1/2).
        var paired = RunnerPrior.Spread(Enumerable.Range(0, 5).Select(r => new[] { (0.1 * r) - 0.01, (0.1 * r) + 0.01 }).ToArray())!;
        Assert.Equal(0.025 + (0.0002 * 0.5), paired.Variance, 12);
        Assert.Equal(0.0002, paired.LaunchVariance!.Value, 12);
        Assert.Equal(5, paired.LaunchDegreesOfFreedom);
        Assert.Equal(0.025 - (0.0002 * 0.5), paired.RunVariance!.Value, 12);

        // The judge's launches: several a side stand for σ_L², one a side for a whole run's σ².
        Assert.Equal(0.0002, paired.ForLaunches(oneLaunchOnASide: false).Variance, 12);
        Assert.Equal(paired.Variance, paired.ForLaunches(oneLaunchOnASide: true).Variance, 12);
        Assert.Null(single.LaunchVariance);

        Assert.Null(RunnerPrior.Spread(new[] { new[] { 0.0 }, new[] { 0.1 }, new[] { 0.05 }, new[] { 0.02 } })); // Four runs are too few.
    }

    [Fact]
    public void The_spread_is_bit_for_bit_the_textbook_formula_with_empty_and_single_launch_runs_among_them()
    {
        // The formula as LINQ spells it: run means, their variance, the pooled within-run variance.
        static (double Variance, double? Within) Reference(IReadOnlyList<IReadOnlyList<double>> runs)
        {
            var used = runs.Where(r => r.Count > 0).ToList();
            var means = used.Select(r => r.Average()).ToList();
            var grand = means.Average();
            var between = means.Sum(m => (m - grand) * (m - grand)) / (means.Count - 1);
            var multi = used.Where(r => r.Count >= 2).ToList();
            var withinDf = multi.Sum(r => r.Count - 1);
            var within = withinDf > 0 ? multi.Sum(r => r.Sum(v => (v - r.Average()) * (v - r.Average()))) / withinDf : 0;
            return (between + (within * (1 - used.Average(r => 1.0 / r.Count))), withinDf > 0 ? within : null);
        }

        var random = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var runs = Enumerable.Range(0, random.Next(5, 31))
                .Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, random.Next(0, 6)).Select(_ => 6.9 + (0.05 * Gaussian(random))).ToArray())
                .ToList();
            if (runs.Count(r => r.Count > 0) < RunnerPrior.MinimumRuns)
            {
                Assert.Null(RunnerPrior.Spread(runs));
                continue;
            }

            var spread = RunnerPrior.Spread(runs)!;
            var (variance, within) = Reference(runs);
            Assert.Equal(variance, spread.Variance);
            Assert.Equal(within, spread.LaunchVariance);
        }
    }

    [Fact]
    public void Learning_uses_only_runs_of_this_environment_with_launch_levels_and_never_the_run_itself()
    {
        var current = RunOf(Suite.Select(id => One(id, 1000)).ToArray());
        var history = History(5, 0.01);
        Assert.Equal(5, RunnerPrior.Learn(history, current).SpreadOf("a")!.Runs);

        var elsewhere = history.Select(r => r with { Environment = new RunEnvironment { Cpu = "another CPU" } }).ToList();
        Assert.Null(RunnerPrior.Learn(elsewhere, current).SpreadOf("a"));

        var old = history.Select(r => r with { Benchmarks = r.Benchmarks.Select(b => b with { LaunchLevels = null }).ToList() }).ToList();
        Assert.Null(RunnerPrior.Learn(old, current).SpreadOf("a"));

        // Reports re-rendered from this run (-t:PerfReport): its own record is already in the history.
        var withItself = History(4, 0.01).Append(HistoryRecord.From(current, new GateResult(), DateTimeOffset.UtcNow, null)).ToList();
        Assert.Null(RunnerPrior.Learn(withItself, current).SpreadOf("a"));
    }

    [Fact]
    public void A_quiet_history_resolves_a_ten_percent_slowdown_that_the_gate_without_history_leaves_Unknown()
    {
        var without = JudgeA(null);
        Assert.Equal(TimeOutcome.Unknown, without.Outcome);

        var quiet = JudgeA(History(20, 0.003));
        Assert.Equal(TimeOutcome.Slower, quiet.Outcome);
        Assert.True(quiet.MinimumDetectableEffect < 0.10 && without.MinimumDetectableEffect > 0.25, $"MDE {quiet.MinimumDetectableEffect} with history, {without.MinimumDetectableEffect} without");
        Assert.Contains("history runs", quiet.Method);

        // Unchanged code on the same quiet runner is not flagged.
        Assert.NotEqual(TimeOutcome.Slower, JudgeA(History(20, 0.003), factor: 1.0).Outcome);
    }

    [Fact]
    public void A_noisy_history_keeps_the_judge_cautious()
    {
        var noisy = JudgeA(History(20, 0.08));
        Assert.Equal(TimeOutcome.Unknown, noisy.Outcome);
        Assert.True(noisy.MinimumDetectableEffect > JudgeA(null).MinimumDetectableEffect * 0.5, $"MDE {noisy.MinimumDetectableEffect}");
        Assert.True(noisy.StandardError > JudgeA(History(20, 0.003)).StandardError * 5);
    }

    [Fact]
    public void A_short_history_is_shrunk_toward_the_suite_and_a_long_one_speaks_for_itself()
    {
        var judge = new StatisticalTimeJudge();
        var before = One("a", 1000);
        var after = One("a", 1000);
        double Sigma(LearnedSpread own, double suite)
        {
            // "a" with its own history; three others carry the suite's typical learned variance.
            var comparisons = new[] { new TimeComparison(before, after, 0.05) { Learned = own } }
                .Concat(Enumerable.Range(0, 3).Select(i => new TimeComparison(One("o" + i, 1000), One("o" + i, 1000), 0.05) { Learned = new LearnedSpread(suite, 19, 20) }))
                .ToList();
            return judge.JudgeAll(comparisons)[0].StandardError!.Value / Math.Sqrt(2); // one launch a side: SE = σ·√2
        }

        var own = 0.002 * 0.002;
        var shortQuiet = Sigma(new LearnedSpread(own, 2, 3), suite: 0.002 * 0.002);
        var shortNoisy = Sigma(new LearnedSpread(own, 2, 3), suite: 0.02 * 0.02);
        var longQuiet = Sigma(new LearnedSpread(own, 29, 30), suite: 0.002 * 0.002);
        var longNoisy = Sigma(new LearnedSpread(own, 29, 30), suite: 0.02 * 0.02);

        // Three runs: the suite pulls the benchmark up; thirty: it stays near its own 0.2 %.
        Assert.True(shortNoisy > 2 * shortQuiet, $"short history: {shortNoisy} in a noisy suite, {shortQuiet} in a quiet one");
        Assert.True(longNoisy < shortNoisy * 0.6, $"long {longNoisy}, short {shortNoisy}");
        Assert.True(longQuiet < 0.004 && longQuiet >= 0.002, $"long quiet {longQuiet}");

        // The shrinkage itself: a scaled-inverse-χ² combination weighted by degrees of freedom.
        var (variance, df) = RunnerPrior.Moderate(0.01, 2, 0.0001, 8);
        Assert.Equal(((2 * 0.01) + (8 * 0.0001)) / 10, variance, 12);
        Assert.Equal(10, df);
    }

    [Fact]
    public void Without_any_history_the_judgement_is_exactly_as_before()
    {
        var judge = new StatisticalTimeJudge();
        var before = Measure("a", 1000, 3, seed: 1);
        var after = Measure("a", 1000, 3, seed: 2);
        var plain = judge.JudgeAll(new[] { new TimeComparison(before, after, 0.05) })[0];
        var viaGate = new Gate().Evaluate(BaselineOf(before), "b.json", RunOf(after), new GateOptions(), DateTimeOffset.UtcNow, runner: RunnerPrior.Learn(Array.Empty<HistoryRecord>(), RunOf(after))).Verdicts[0].Time!;
        Assert.Equal(plain.Ratio, viaGate.Ratio);
        Assert.Equal(plain.StandardError, viaGate.StandardError);
        Assert.Equal(plain.MinimumDetectableEffect, viaGate.MinimumDetectableEffect);
    }

    [Fact]
    public void A_history_of_identical_allocation_readings_gates_a_one_run_baseline_to_the_byte()
    {
        var rule = new GateOptions().For("a");
        BenchmarkMeasurement Five(double bytes) => new() { Id = "a", Launches = Enumerable.Range(0, 5).Select(_ => Launch(1000, bytes)).ToList() };
        var constant = RunnerPrior.Learn(History(3, 0.01, launches: 5), RunOf(Five(1032))).AllocationOf("a");
        Assert.Equal(new LearnedAllocation(1024, 15, 3), constant);

        // Too few runs, too few launches, or one launch of one run reading otherwise: no constant.
        Assert.Null(RunnerPrior.Learn(History(2, 0.01, launches: 5), RunOf(Five(1032))).AllocationOf("a"));
        Assert.Null(RunnerPrior.Learn(History(3, 0.01, launches: 3), RunOf(Five(1032))).AllocationOf("a"));
        var oneOff = History(3, 0.01, launches: 5).Select((r, i) => i != 1 ? r : r with { Benchmarks = r.Benchmarks.Select(b => b with { LaunchBytes = b.LaunchBytes!.Select((v, k) => k == 4 ? v + 8 : v).ToList() }).ToList() }).ToList();
        Assert.Null(RunnerPrior.Learn(oneOff, RunOf(Five(1032))).AllocationOf("a"));

        // One recording run is no proof of constancy; with the history's 15 identical launches from 3 runs it is.
        Assert.False(Gate.JudgeAllocation(Five(1024), Five(1032), rule)!.Regressed);
        var judged = Gate.JudgeAllocation(Five(1024), Five(1032), rule, history: constant)!;
        Assert.True(judged.Exact);
        Assert.True(judged.Regressed);
        Assert.False(Gate.JudgeAllocation(Five(1024), Five(1024), rule, history: constant)!.Regressed);

        // A baseline that reads something else than the history is not evidence of the same constant.
        Assert.False(Gate.JudgeAllocation(Five(1000), Five(1008), rule, history: constant)!.Exact);

        // A history whose readings jitter teaches nothing.
        var jitter = History(3, 0.01, launches: 5).Select((r, i) => r with { Benchmarks = r.Benchmarks.Select(b => b with { LaunchBytes = b.LaunchBytes!.Select(v => v + i).ToList() }).ToList() }).ToList();
        Assert.Null(RunnerPrior.Learn(jitter, RunOf(Five(1032))).AllocationOf("a"));
    }
}
