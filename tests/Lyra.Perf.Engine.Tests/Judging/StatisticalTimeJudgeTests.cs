using System;
using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Judging;

public class StatisticalTimeJudgeTests
{
    private readonly StatisticalTimeJudge _judge = new();

    [Fact]
    public void Quiet_unchanged_benchmark_is_Same_with_a_small_MDE()
    {
        var before = Measure("a", 1000, launches: 10, seed: 1, launchSpread: 0.005, iterationSpread: 0.005);
        var after = Measure("a", 1000, launches: 10, seed: 2, launchSpread: 0.005, iterationSpread: 0.005);
        var time = _judge.Judge(before, after, 0.05);
        Assert.Equal(TimeOutcome.Same, time.Outcome);

        // The MDE is the slowdown the threshold test catches with 95 % power, so it always exceeds the threshold.
        Assert.InRange(time.MinimumDetectableEffect!.Value, 0.05, 0.10);
        Assert.True(time.RatioLower < 1 && time.RatioUpper > 1);
        Assert.True(time.RatioLower > 0.95 && time.RatioUpper < 1.05); // Same: the whole interval inside ±threshold.
    }

    [Fact]
    public void Same_needs_the_interval_inside_the_threshold_otherwise_Unknown()
    {
        // Measured +4 % with a ±6 % interval: neither beyond nor inside ±5 %.
        var before = Measure("a", 1000, 4, seed: 30, launchSpread: 0.03, iterationSpread: 0.03);
        var after = Scaled(Measure("a", 1000, 4, seed: 31, launchSpread: 0.03, iterationSpread: 0.03), 1.04);
        var time = _judge.Judge(before, after, 0.05);
        Assert.True(time.RatioUpper > 1.05 && time.RatioLower < 1.05, $"interval {time.RatioLower}–{time.RatioUpper}");
        Assert.Equal(TimeOutcome.Unknown, time.Outcome);
        Assert.Contains("launches per side", time.Reason);
    }

    [Fact]
    public void A_slowdown_of_the_reported_MDE_is_caught_at_least_95_percent_of_the_time()
    {
        // Seeded: 400 comparisons of 5 vs 5 launches. The MDE does not depend on the shift, so each current side is
        // scaled by exactly (1 + its own MDE) and judged again.
        var caught = 0;
        var total = 400;
        for (var i = 0; i < total; i++)
        {
            var before = Measure("a", 1000, 5, seed: 10_000 + i, launchSpread: 0.08, iterationSpread: 0.05);
            var after = Measure("a", 1000, 5, seed: 20_000 + i, launchSpread: 0.08, iterationSpread: 0.05);
            var mde = _judge.Judge(before, after, 0.05).MinimumDetectableEffect!.Value;
            var slowed = _judge.Judge(before, Scaled(after, 1 + mde), 0.05);
            Assert.Equal(mde, slowed.MinimumDetectableEffect!.Value, 9);
            caught += slowed.Outcome == TimeOutcome.Slower ? 1 : 0;
        }

        Assert.InRange(caught, (int)(0.95 * total), total);
    }

    [Fact]
    public void The_reported_MDE_holds_between_runs_whose_launches_move_together()
    {
        // Quiet launches (1 %), but each side's run is shifted as a whole by a run effect of RunSpread: the launches
        // alone would promise a small MDE that a slowdown of that size misses far more often than 5 % of the time.
        const double runEffect = 0.01;
        double CaughtAtMde(StatisticalTimeJudge judge)
        {
            var caught = 0;
            const int total = 400;
            for (var i = 0; i < total; i++)
            {
                var before = WithRunEffect(Measure("a", 1000, 5, seed: 30_000 + i, launchSpread: 0.01, iterationSpread: 0.01), 50_000 + i, runEffect);
                var after = WithRunEffect(Measure("a", 1000, 5, seed: 40_000 + i, launchSpread: 0.01, iterationSpread: 0.01), 60_000 + i, runEffect);
                var mde = judge.Judge(before, after, 0.05).MinimumDetectableEffect!.Value;
                caught += judge.Judge(before, Scaled(after, 1 + mde), 0.05).Outcome == TimeOutcome.Slower ? 1 : 0;
            }

            return (double)caught / total;
        }

        Assert.Equal(runEffect, _judge.Settings.RunSpread);
        Assert.InRange(CaughtAtMde(_judge), 0.95, 1.0);
        Assert.InRange(CaughtAtMde(new StatisticalTimeJudge(new StatisticalJudgeSettings { RunSpread = 0 })), 0.0, 0.90);
    }

    [Fact]
    public void The_run_spread_raises_the_MDE_but_never_changes_a_verdict()
    {
        var before = Measure("a", 1000, 5, seed: 70, launchSpread: 0.02, iterationSpread: 0.02);
        var after = Scaled(Measure("a", 1000, 5, seed: 71, launchSpread: 0.02, iterationSpread: 0.02), 1.2);
        var launchesOnly = new StatisticalTimeJudge(new StatisticalJudgeSettings { RunSpread = 0 }).Judge(before, after, 0.05);
        var withRuns = _judge.Judge(before, after, 0.05);
        Assert.Equal(launchesOnly.Outcome, withRuns.Outcome);
        Assert.Equal(launchesOnly.RatioLower, withRuns.RatioLower);
        Assert.Equal(launchesOnly.PValue, withRuns.PValue);
        Assert.True(withRuns.MinimumDetectableEffect > launchesOnly.MinimumDetectableEffect + 0.005, $"{withRuns.MinimumDetectableEffect} vs {launchesOnly.MinimumDetectableEffect}");
    }

    [Fact]
    public void Launches_from_separate_sessions_already_show_the_run_spread()
    {
        // A baseline merged from five runs of one launch each, judged against three such runs: the launches' own spread
        // already includes the run-to-run part, so the MDE is that of the launches alone. One session per side adds it.
        BenchmarkMeasurement Sessions(BenchmarkMeasurement m) => m with { Launches = m.Launches.Select((l, i) => l with { Session = "run " + i }).ToList() };
        var before = Measure("a", 1000, 5, seed: 80, launchSpread: 0.02, iterationSpread: 0.02);
        var after = Measure("a", 1000, 3, seed: 81, launchSpread: 0.02, iterationSpread: 0.02);
        var launchesOnly = new StatisticalTimeJudge(new StatisticalJudgeSettings { RunSpread = 0 }).Judge(before, after, 0.05).MinimumDetectableEffect!.Value;
        Assert.Equal(launchesOnly, _judge.Judge(Sessions(before), Sessions(after), 0.05).MinimumDetectableEffect!.Value, 12);
        Assert.True(_judge.Judge(before, after, 0.05).MinimumDetectableEffect > launchesOnly + 0.005);
        var oneSessionEach = _judge.Judge(Sessions(before), after, 0.05).MinimumDetectableEffect!.Value;
        Assert.InRange(oneSessionEach, launchesOnly + 1e-6, _judge.Judge(before, after, 0.05).MinimumDetectableEffect!.Value);
    }

    [Fact]
    public void The_fastest_iteration_ignores_a_slow_period_inside_a_launch()
    {
        // Same code, but in the current launches a slow period hits a third of the iterations (+60 %): the median moves,
        // the fastest iteration does not.
        var before = Measure("a", 1000, 5, seed: 40, launchSpread: 0.01, iterationSpread: 0.01);
        var after = Measure("a", 1000, 5, seed: 41, launchSpread: 0.01, iterationSpread: 0.01);
        after = after with { Launches = after.Launches.Select(l => l with { Samples = l.Samples.Select((v, k) => k % 3 != 0 ? v * 1.6 : v).ToList() }).ToList() };
        Assert.NotEqual(TimeOutcome.Slower, _judge.Judge(before, after, 0.05).Outcome);
        var median = new StatisticalTimeJudge(new StatisticalJudgeSettings { LaunchQuantile = 0.5 });
        Assert.Equal(TimeOutcome.Slower, median.Judge(before, after, 0.05).Outcome);
    }

    [Fact]
    public void Noisy_iterations_with_steady_launches_borrow_the_suites_launch_spread()
    {
        // Ten benchmarks whose launches agree within 3 % but whose iterations swing by 30 % (slow periods); the
        // iteration-based prior alone would hide a +50 % slowdown in that swing.
        BenchmarkMeasurement M(int i, int seed, double factor = 1) => Scaled(Measure("b" + i, 1000, 5, seed, launchSpread: 0.03, iterationSpread: 0.3), factor);
        var comparisons = Enumerable.Range(0, 10).Select(i => new TimeComparison(M(i, 700 + i), M(i, 800 + i, i == 0 ? 1.5 : 1), 0.05)).ToList();
        Assert.Equal(TimeOutcome.Slower, _judge.JudgeAll(comparisons)[0].Outcome);
        Assert.Contains("suite", _judge.JudgeAll(comparisons)[0].Method);
        var iterationOnly = new StatisticalTimeJudge(new StatisticalJudgeSettings { Prior = null });
        Assert.NotEqual(TimeOutcome.Slower, iterationOnly.JudgeAll(comparisons)[0].Outcome);
    }

    [Fact]
    public void A_quiet_benchmark_keeps_its_own_small_prior_among_noisy_ones()
    {
        // One quiet benchmark (1 %) among nine noisy ones (20 %): +10 % on the quiet one is still caught.
        BenchmarkMeasurement M(int i, int seed, double factor = 1) => Scaled(Measure("b" + i, 1000, 5, seed, launchSpread: i == 0 ? 0.01 : 0.2, iterationSpread: i == 0 ? 0.01 : 0.2), factor);
        var comparisons = Enumerable.Range(0, 10).Select(i => new TimeComparison(M(i, 900 + i), M(i, 950 + i, i == 0 ? 1.10 : 1), 0.05)).ToList();
        var quiet = _judge.JudgeAll(comparisons)[0];
        Assert.Equal(TimeOutcome.Slower, quiet.Outcome);
        Assert.True(quiet.MinimumDetectableEffect < 0.10);
    }

    [Fact]
    public void Clear_slowdown_is_Slower_with_an_interval_around_the_ratio()
    {
        var before = Measure("a", 1000, 5, seed: 3, launchSpread: 0.02);
        var after = Scaled(Measure("a", 1000, 5, seed: 4, launchSpread: 0.02), 1.5);
        var time = _judge.Judge(before, after, 0.05);
        Assert.Equal(TimeOutcome.Slower, time.Outcome);
        Assert.InRange(time.Ratio, 1.4, 1.6);
        Assert.True(time.RatioLower > 1.05 && time.RatioUpper > time.Ratio);
        Assert.True(time.Confidence > 0.99);
        Assert.True(time.SignificantInFamily);
    }

    [Fact]
    public void Clear_speedup_is_Faster()
    {
        var before = Measure("a", 1000, 5, seed: 5, launchSpread: 0.02);
        var after = Scaled(Measure("a", 1000, 5, seed: 6, launchSpread: 0.02), 0.7);
        Assert.Equal(TimeOutcome.Faster, _judge.Judge(before, after, 0.05).Outcome);
    }

    [Fact]
    public void Change_inside_the_threshold_is_not_a_regression_even_when_certain()
    {
        // +3 % measured very precisely: real, but below the 5 % threshold.
        var before = Measure("a", 1000, 20, seed: 7, launchSpread: 0.002, iterationSpread: 0.002);
        var after = Scaled(Measure("a", 1000, 20, seed: 8, launchSpread: 0.002, iterationSpread: 0.002), 1.03);
        var time = _judge.Judge(before, after, 0.05);
        Assert.Equal(TimeOutcome.Same, time.Outcome);
        Assert.InRange(time.Ratio, 1.02, 1.04);
    }

    [Fact]
    public void Noisy_single_launches_are_Unknown_with_the_MDE_and_what_would_decide()
    {
        var before = Measure("a", 1000, 1, seed: 9, iterationSpread: 0.15);
        var after = Measure("a", 1000, 1, seed: 10, iterationSpread: 0.15);
        var time = _judge.Judge(before, after, 0.05);
        Assert.Equal(TimeOutcome.Unknown, time.Outcome);
        Assert.True(time.MinimumDetectableEffect > 0.05);
        Assert.NotNull(time.LaunchesNeeded);
        Assert.Contains("launches", time.Reason);
        Assert.Contains(Units.Percent(time.MinimumDetectableEffect!.Value), time.Reason);
        Assert.Contains("one launch per side", time.Method);
        Assert.Contains("95%", time.Reason);
    }

    [Fact]
    public void More_launches_shrink_the_MDE()
    {
        double Mde(int launches) => _judge.Judge(Measure("a", 1000, launches, 11, launchSpread: 0.1), Measure("a", 1000, launches, 12, launchSpread: 0.1), 0.05).MinimumDetectableEffect!.Value;
        Assert.True(Mde(3) > Mde(6));
        Assert.True(Mde(6) > Mde(20));
    }

    [Fact]
    public void Launch_spread_is_not_hidden_by_quiet_iterations()
    {
        // Iterations agree within 0.5 %, processes differ by 20 %: a 15 % difference must not be called a regression.
        var before = Measure("a", 1000, 3, seed: 13, launchSpread: 0.2, iterationSpread: 0.005);
        var after = Scaled(Measure("a", 1000, 3, seed: 14, launchSpread: 0.2, iterationSpread: 0.005), 1.15);
        Assert.NotEqual(TimeOutcome.Slower, _judge.Judge(before, after, 0.05).Outcome);
    }

    [Fact]
    public void Tiny_samples_are_Unknown_saying_why()
    {
        var time = _judge.Judge(Raw("a", new[] { 100.0 }), Raw("a", new[] { 150.0 }), 0.05);
        Assert.Equal(TimeOutcome.Unknown, time.Outcome);
        Assert.Contains("too few samples", time.Reason);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.PositiveInfinity)]
    public void Invalid_samples_are_Unknown_not_a_crash(double bad)
    {
        var time = _judge.Judge(Raw("a", new[] { 100.0, 101, 99 }), Raw("a", new[] { bad, bad }), 0.05);
        Assert.Equal(TimeOutcome.Unknown, time.Outcome);
        Assert.Contains("no usable time samples", time.Reason);
    }

    [Fact]
    public void Invalid_values_among_good_ones_are_dropped()
    {
        var good = Raw("a", new[] { 100.0, 101, 99, 100, 100.5 }, new[] { 100.2, 99.8, 100.1, 99.9, 100 });
        var mixed = Raw("a", new[] { 100.0, double.NaN, 101, 0, 99, -1, 100 }, new[] { 100.1, 99.9, 100, 100.2, 99.8 });
        Assert.NotEqual(TimeOutcome.Unknown, _judge.Judge(good, mixed, 0.05).Outcome);
    }

    [Fact]
    public void Empty_measurements_and_invalid_thresholds_are_Unknown()
    {
        var empty = new BenchmarkMeasurement { Id = "a" };
        Assert.Equal(TimeOutcome.Unknown, _judge.Judge(empty, empty, 0.05).Outcome);
        var m = Measure("a", 1000, 3, 15);
        Assert.Equal(TimeOutcome.Unknown, _judge.Judge(m, m, double.NaN).Outcome);
        Assert.Equal(TimeOutcome.Unknown, _judge.Judge(m, m, -0.1).Outcome);
    }

    [Fact]
    public void Noise_floor_protects_nanosecond_benchmarks()
    {
        // 1.00 ns → 1.20 ns, measured precisely: +20 %, but only 0.2 ns, below the 0.3 ns floor.
        var before = Measure("a", 1.0, 10, seed: 16, launchSpread: 0.003, iterationSpread: 0.003);
        var after = Scaled(Measure("a", 1.0, 10, seed: 17, launchSpread: 0.003, iterationSpread: 0.003), 1.2);
        Assert.NotEqual(TimeOutcome.Slower, _judge.Judge(before, after, 0.05).Outcome);
        var noFloor = new StatisticalTimeJudge(new StatisticalJudgeSettings { NoiseFloorNanoseconds = 0 });
        Assert.Equal(TimeOutcome.Slower, noFloor.Judge(before, after, 0.05).Outcome);
    }

    [Fact]
    public void Verdicts_are_deterministic()
    {
        var before = Measure("a", 1000, 4, 18, launchSpread: 0.1);
        var after = Measure("a", 1100, 4, 19, launchSpread: 0.1);
        Assert.Equal(_judge.Judge(before, after, 0.05), _judge.Judge(before, after, 0.05));
    }

    [Fact]
    public void Hundred_unchanged_noisy_benchmarks_rarely_fail_and_rarely_flag()
    {
        // Suites of 100 benchmarks, 5 launches a side, 15 % process-to-process spread hidden behind 3 % iteration
        // spread (the case the iteration prior cannot see): the family control keeps runs that fail by chance rare
        // (Benjamini–Hochberg at 5 % bounds it at 5 % when the test is calibrated), and flags stay rare.
        var failedRuns = 0;
        var flags = 0;
        const int suites = 20;
        for (var run = 0; run < suites; run++)
        {
            var comparisons = Enumerable.Range(0, 100)
                .Select(i => new TimeComparison(Measure("b" + i, 1000, 5, (run * 1000) + i, launchSpread: 0.15), Measure("b" + i, 1000, 5, 500_000 + (run * 1000) + i, launchSpread: 0.15), 0.05))
                .ToList();
            var times = _judge.JudgeAll(comparisons);
            Assert.All(times, t => Assert.Equal(100, t.FamilySize));
            failedRuns += times.Any(t => t.SignificantInFamily == true) ? 1 : 0;
            flags += times.Count(t => t.Outcome is TimeOutcome.Slower or TimeOutcome.Faster);
        }

        Assert.InRange(failedRuns, 0, 1);
        Assert.InRange(flags, 0, suites * 100 * 5 / 100);
    }

    [Fact]
    public void Family_control_keeps_a_real_regression_among_many_unchanged()
    {
        var comparisons = Enumerable.Range(0, 50)
            .Select(i => new TimeComparison(Measure("b" + i, 1000, 5, 200 + i, launchSpread: 0.05), Measure("b" + i, 1000, 5, 400 + i, launchSpread: 0.05), 0.05))
            .Append(new TimeComparison(Measure("x", 1000, 5, 7, launchSpread: 0.05), Scaled(Measure("x", 1000, 5, 8, launchSpread: 0.05), 1.6), 0.05))
            .ToList();
        var times = _judge.JudgeAll(comparisons);
        Assert.Equal(TimeOutcome.Slower, times[^1].Outcome);
        Assert.True(times[^1].SignificantInFamily);
        Assert.True(times[^1].AdjustedPValue >= times[^1].PValue);
    }
}
