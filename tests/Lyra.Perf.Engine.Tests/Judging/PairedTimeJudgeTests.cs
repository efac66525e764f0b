using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Tests.Judging;

public class PairedTimeJudgeTests
{
    /// <summary>One side's launches, one per slot ("run-1", …), each launch the given iteration samples.</summary>
    private static BenchmarkMeasurement Side(string id, IEnumerable<double[]> launches) => new()
    {
        Id = id,
        Type = "T",
        Method = id,
        Launches = launches.Select((samples, i) => new LaunchMeasurement { Samples = samples, Slot = "run-" + (i + 1) }).ToList(),
    };

    [Fact]
    public void Three_pairs_give_the_hand_computed_paired_t_test()
    {
        // One iteration per launch: no iteration spread, so no prior — the plain paired t-test on d = ln A − ln B,
        // d = 0.10, 0.14, 0.12 (mean 0.12, SD 0.02, SE 0.02/√3, df 2). Reference values by hand with the closed forms of
        // Student's t for 2 degrees of freedom, independent of the engine's incomplete beta:
        // CDF(t) = 1/2 + t / (2·√(2 + t²)), quantile(p) = (2p − 1) / √(2p(1 − p)).
        var b = new[] { 1000.0, 1100, 900 };
        var d = new[] { 0.10, 0.14, 0.12 };
        var baseSide = Side("x", b.Select(v => new[] { v }));
        var current = Side("x", b.Select((v, i) => new[] { v * Math.Exp(d[i]) }));

        var time = new PairedTimeJudge().Judge(baseSide, current, 0.05);

        var se = 0.02 / Math.Sqrt(3);
        var t = (0.12 - Math.Log(1.05)) / se; // 6.16695…
        Assert.Equal(0.5 - (t / (2 * Math.Sqrt(2 + (t * t)))), time.PValue!.Value, 10); // 0.0126503
        Assert.Equal(0.01265025363224348, time.PValue!.Value, 9);
        Assert.Equal(Math.Exp(0.12), time.Ratio, 12); // 1.127497: the geometric mean of the paired ratios
        Assert.Equal(se, time.StandardError!.Value, 12);
        Assert.Equal(1.0728484839095742, time.RatioLower!.Value, 7); // exp(0.12 − 4.302653·SE)
        Assert.Equal(1.1849288780171805, time.RatioUpper!.Value, 7); // exp(0.12 + 4.302653·SE)
        Assert.Equal(0.1413251591446778, time.MinimumDetectableEffect!.Value, 6); // 1.05·exp((4.302653 + 2.919986)·SE) − 1
        Assert.Equal(TimeOutcome.Slower, time.Outcome);
        Assert.True(time.SignificantInFamily);
    }

    [Fact]
    public void Interleaved_units_carry_the_run_placement_term_and_process_launches_do_not()
    {
        // The same three differences as above, once as process launches ("run-k") and once as one process's units
        // ("unit-k"): the units' standard error is √(SE² + σ_p²) with σ_p = 0.02, the launches' SE alone; df stays 2.
        var b = new[] { 1000.0, 1100, 900 };
        var d = new[] { 0.10, 0.14, 0.12 };
        BenchmarkMeasurement AsUnits(BenchmarkMeasurement side) => side with { Launches = side.Launches.Select((l, i) => l with { Slot = "unit-" + (i + 1) }).ToList() };
        var baseSide = Side("x", b.Select(v => new[] { v }));
        var current = Side("x", b.Select((v, i) => new[] { v * Math.Exp(d[i]) }));

        var launches = new PairedTimeJudge().Judge(baseSide, current, 0.05);
        var units = new PairedTimeJudge().Judge(AsUnits(baseSide), AsUnits(current), 0.05);

        var se = 0.02 / Math.Sqrt(3);
        Assert.Equal(se, launches.StandardError!.Value, 12);
        Assert.Equal(Math.Sqrt((se * se) + (0.02 * 0.02)), units.StandardError!.Value, 12);
        Assert.Equal(Math.Exp(0.12 - (4.302652729749464 * units.StandardError.Value)), units.RatioLower!.Value, 6);
        Assert.Equal(launches.Ratio, units.Ratio, 12);
        Assert.Contains("placement term", units.Method);
        Assert.DoesNotContain("placement", launches.Method);
    }

    [Fact]
    public void Units_cannot_decide_a_change_smaller_than_the_placement_term_allows()
    {
        // Unchanged with a tiny unit spread: 40 process launches decide Same; 40 units of one process stay Unknown
        // (the interval's floor t·σ_p ≈ 4 % leaves no room inside ±5 % at 90 % probability) and no unit count is offered.
        var random = new Random(3);
        var baseLaunches = Enumerable.Range(0, 40).Select(_ => new[] { 1000 * Math.Exp(0.01 * (random.NextDouble() - 0.5)) }).ToList();
        var currentLaunches = baseLaunches.Select(l => new[] { l[0] * Math.Exp(0.03 + (0.01 * (random.NextDouble() - 0.5))) }).ToList();
        var baseSide = Side("x", baseLaunches);
        var current = Side("x", currentLaunches);
        BenchmarkMeasurement AsUnits(BenchmarkMeasurement side) => side with { Launches = side.Launches.Select((l, i) => l with { Slot = "unit-" + (i + 1) }).ToList() };

        var launches = new PairedTimeJudge().Judge(baseSide, current, 0.05);
        var units = new PairedTimeJudge().Judge(AsUnits(baseSide), AsUnits(current), 0.05);

        Assert.Equal(TimeOutcome.Same, launches.Outcome);
        Assert.Equal(TimeOutcome.Unknown, units.Outcome);
        Assert.Null(units.LaunchesNeeded);
        Assert.Contains("out of reach of one interleaved run", units.Reason);
        Assert.Same(MeasuringUnit.Unit, units.Unit);
        Assert.Equal(0.02, units.StandardErrorFloor);
        Assert.Same(MeasuringUnit.Launch, launches.Unit);
        Assert.Null(launches.StandardErrorFloor);
        Assert.True(units.RatioUpper > 1.05, $"CI {units.RatioLower}–{units.RatioUpper}");
    }

    /// <summary>One interleaved run's 40 units of one benchmark (one iteration per unit), base 1,000 ns, each current unit
    /// exp(d ± 0.001) of its base: a unit spread far under the placement term, so SE ≈ σ_p = 0.02.</summary>
    private static TimeJudgement Units(double d, StatisticalJudgeSettings? settings = null)
    {
        LaunchMeasurement Unit(double ns, int k) => new() { Samples = new[] { ns }, Slot = "unit-" + k };
        var baseSide = new BenchmarkMeasurement { Id = "x", Type = "T", Method = "x", Launches = Enumerable.Range(1, 40).Select(k => Unit(1000, k)).ToList() };
        var current = baseSide with { Launches = Enumerable.Range(1, 40).Select(k => Unit(1000 * Math.Exp(d + (k % 2 == 0 ? 0.001 : -0.001)), k)).ToList() };
        return new PairedTimeJudge(settings).Judge(baseSide, current, 0.05);
    }

    [Fact]
    public void An_interleaved_run_flags_an_estimate_past_the_threshold_whose_interval_clears_half_of_it_and_fails_only_past_the_whole()
    {
        // SE = √(0.002²/40 + 0.02²) (the unit spread floored at MinimumLogSpread), t₀.₉₇₅(39) = 2.0227: the 95 % interval
        // is the estimate × exp(±0.0405).
        var flagged = Units(0.085);  // 1.089, CI 1.046–1.134: past 5 %, clears 2.5 %, not all of 5 %
        Assert.Equal(TimeOutcome.Slower, flagged.Outcome);
        Assert.InRange(flagged.RatioLower!.Value, 1.025, 1.05);
        Assert.False(flagged.SignificantInFamily); // a warning at most: failing needs the interval past the whole threshold

        var past = Units(0.11);      // 1.116, CI 1.072–1.162
        Assert.Equal(TimeOutcome.Slower, past.Outcome);
        Assert.True(past.SignificantInFamily);

        var unclear = Units(0.06);   // 1.062, CI 1.020–1.106: the interval does not clear 2.5 %
        Assert.Equal(TimeOutcome.Unknown, unclear.Outcome);
        Assert.InRange(unclear.RatioLower!.Value, 1.0, 1.025);

        var small = Units(0.04);     // 1.041, CI 1.000–1.083: the estimate is under the threshold
        Assert.Equal(TimeOutcome.Unknown, small.Outcome);

        var faster = Units(-0.085);  // the mirror
        Assert.Equal(TimeOutcome.Faster, faster.Outcome);

        // The share is the setting's: 1 asks the interval to clear the whole threshold, as for process launches.
        Assert.Equal(TimeOutcome.Unknown, Units(0.085, new StatisticalJudgeSettings { InterleavedFlagShare = 1 }).Outcome);
    }

    [Fact]
    public void The_interleaved_minimum_detectable_effect_is_the_larger_of_the_estimates_bar_and_the_intervals()
    {
        // ln(1 + MDE) = max(ln 1.05, ln 1.025 + t₀.₉₇₅·SE) + t₀.₉₅·SE at df 39 (t from the engine's quantile, checked in
        // StatisticsReferenceTests against reference values): 1.025·exp((2.0227 + 1.6849)·0.02) − 1 ≈ 10.4 %, against 13.1 % with share 1.
        var se = Math.Sqrt((0.002 * 0.002 / 40) + (0.02 * 0.02));
        var tCrit = Lyra.Perf.Engine.Statistics.Distributions.StudentTQuantile(0.975, 39);
        var tPower = Lyra.Perf.Engine.Statistics.Distributions.StudentTQuantile(0.95, 39);
        var half = Units(0.0);
        var whole = Units(0.0, new StatisticalJudgeSettings { InterleavedFlagShare = 1 });

        Assert.Equal(se, half.StandardError!.Value, 12);
        Assert.Equal((1.025 * Math.Exp((tCrit + tPower) * se)) - 1, half.MinimumDetectableEffect!.Value, 12);
        Assert.Equal((1.05 * Math.Exp((tCrit + tPower) * se)) - 1, whole.MinimumDetectableEffect!.Value, 12);
        Assert.InRange(half.MinimumDetectableEffect!.Value, 0.10, 0.11);
    }

    /// <summary>A machine whose level moves from slot to slot (SD 25 % of ln, as measured between processes here),
    /// the same for both sides of a pair, plus 1 % of independent launch noise.</summary>
    private static (BenchmarkMeasurement Base, BenchmarkMeasurement Current) Drifting(int seed, double factor, int pairs = 10)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var a = new List<double[]>();
        var b = new List<double[]>();
        for (var i = 0; i < pairs; i++)
        {
            var machine = 1000 * Math.Exp(0.25 * Gaussian());
            double[] Launch(double f)
            {
                var level = machine * f * Math.Exp(0.01 * Gaussian());
                return Enumerable.Range(0, 10).Select(_ => level * Math.Exp(0.005 * Math.Abs(Gaussian()))).ToList().ToArray();
            }

            b.Add(Launch(1));
            a.Add(Launch(factor));
        }

        return (Side("x", b), Side("x", a));
    }

    [Fact]
    public void The_machines_moving_level_cancels_within_pairs_where_the_unpaired_judge_cannot_tell()
    {
        var (slowBase, slowCurrent) = Drifting(seed: 7, factor: 1.10);
        var paired = new PairedTimeJudge().Judge(slowBase, slowCurrent, 0.05);
        Assert.Equal(TimeOutcome.Slower, paired.Outcome);
        Assert.InRange(paired.Ratio, 1.08, 1.12);
        Assert.True(paired.RatioLower > 1.05, $"CI {paired.RatioLower}–{paired.RatioUpper}");

        // The same launches judged as two independent samples: the slot-to-slot movement swamps the +10 %.
        var unpaired = new StatisticalTimeJudge().Judge(slowBase, slowCurrent, 0.05);
        Assert.NotEqual(TimeOutcome.Slower, unpaired.Outcome);

        var (sameBase, sameCurrent) = Drifting(seed: 8, factor: 1.0);
        var unchanged = new PairedTimeJudge().Judge(sameBase, sameCurrent, 0.05);
        Assert.Equal(TimeOutcome.Same, unchanged.Outcome);
        Assert.True(unchanged.MinimumDetectableEffect < 0.10, $"MDE {unchanged.MinimumDetectableEffect}");
    }

    [Fact]
    public void Unchanged_pairs_flag_a_regression_rarely_and_a_planted_10_percent_almost_always()
    {
        // Seeded simulation of the drifting machine above: 300 unchanged and 300 +10 % comparisons of 5 pairs.
        var judge = new PairedTimeJudge();
        var falseFlags = Enumerable.Range(0, 300).Count(i => { var (b, a) = Drifting(1000 + i, 1.0, 5); return judge.Judge(b, a, 0.05).Outcome == TimeOutcome.Slower; });
        var caught = Enumerable.Range(0, 300).Count(i => { var (b, a) = Drifting(5000 + i, 1.10, 5); return judge.Judge(b, a, 0.05).Outcome == TimeOutcome.Slower; });
        Assert.InRange(falseFlags, 0, 8); // the flag's one-sided level is 2.5 % at the threshold, far less at no change
        Assert.InRange(caught, 270, 300);
    }

    [Fact]
    public void Only_launches_that_share_a_slot_are_paired()
    {
        var b = Side("x", new[] { new[] { 100.0 }, new[] { 200.0 } });
        var a = Side("x", new[] { new[] { 110.0 }, new[] { 220.0 }, new[] { 999.0 } }); // run-3 has no partner
        var pairs = PairedTimeJudge.Pairs(new TimeComparison(b, a, 0.05), 0);
        Assert.Equal(new[] { "run-1", "run-2" }, pairs.Select(p => p.Slot));
        Assert.All(pairs, p => Assert.Equal(Math.Log(1.1), p.Difference, 12));

        var unslotted = a with { Launches = a.Launches.Select(l => l with { Slot = null }).ToList() };
        var time = new PairedTimeJudge().Judge(b, unslotted, 0.05);
        Assert.Equal(TimeOutcome.Unknown, time.Outcome);
        Assert.Contains("no pair of A/B launches", time.Reason);
    }

    [Fact]
    public void A_suite_of_unchanged_benchmarks_does_not_fail_the_build_by_chance()
    {
        // Benjamini–Hochberg over the run, as in the stored-baseline judge: 40 unchanged benchmarks of 3 pairs.
        var comparisons = Enumerable.Range(0, 40).Select(i => Drifting(9000 + i, 1.0, 3)).Select(p => new TimeComparison(p.Base, p.Current, 0.05)).ToList();
        var times = new PairedTimeJudge().JudgeAll(comparisons);
        Assert.Equal(40, times.Count);
        Assert.DoesNotContain(times, t => t.SignificantInFamily == true);
        Assert.All(times, t => Assert.Equal(40, t.FamilySize));
    }
}
