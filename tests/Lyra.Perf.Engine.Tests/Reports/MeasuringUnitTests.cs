using System;
using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>What a benchmark's launch counts count, named once from its results: process launches, or the interleaved
/// A/B runner's units; every text that counts them (policy, undecided summary, reports) says the same.</summary>
public sealed class MeasuringUnitTests
{
    private static LaunchMeasurement Slot(string slot) => new() { Samples = new[] { 1.0 }, Slot = slot };

    private static BenchmarkMeasurement Units(string id = "a") => new() { Id = id, Launches = Enumerable.Range(1, 120).Select(k => Slot("unit-" + k)).ToList() };

    private static BenchmarkMeasurement Launches(string id = "b") => new() { Id = id, Launches = new[] { Slot("run-1"), Slot("run-2"), Slot("run-3") } };

    [Fact]
    public void The_unit_is_derived_from_the_slots_units_launches_or_both()
    {
        Assert.Same(MeasuringUnit.Unit, MeasuringUnit.Of(Units()));
        Assert.Same(MeasuringUnit.Unit, MeasuringUnit.Of(new BenchmarkMeasurement { Id = "c", Launches = new[] { Slot("confirm-unit-1") } }));
        Assert.Same(MeasuringUnit.Launch, MeasuringUnit.Of(Launches()));
        Assert.Same(MeasuringUnit.Launch, MeasuringUnit.Of((BenchmarkMeasurement?)null));
        Assert.Same(MeasuringUnit.Unit, MeasuringUnit.Of(new RunResult { Benchmarks = new[] { Units("a"), Units("c") } }));
        Assert.Same(MeasuringUnit.Launch, MeasuringUnit.Of(new RunResult { Benchmarks = new[] { Launches() } }));
        Assert.Same(MeasuringUnit.Mixed, MeasuringUnit.Of(new RunResult { Benchmarks = new[] { Units(), Launches() } }));
        Assert.Same(MeasuringUnit.Launch, MeasuringUnit.Of(new RunResult()));
        Assert.Equal("120 units", MeasuringUnit.Unit.Count(120));
        Assert.Equal("1 launch", MeasuringUnit.Launch.Count(1));
        Assert.Equal("120 base and 120 current units", MeasuringUnit.Unit.Sides(120, 120, "base"));
    }

    [Fact]
    public void A_held_back_regression_of_an_interleaved_benchmark_counts_units_and_asks_for_no_baseline()
    {
        var time = new TimeJudgement(TimeOutcome.Slower, 1.8) { SignificantInFamily = false, FamilySize = 22, AdjustedPValue = 0.3, StandardError = 0.5 };
        var context = new PolicyContext { SidesShareMachine = true };
        var rule = new GateOptions().For("a");
        var interleaved = GatePolicy.TimeFinding(time with { Unit = MeasuringUnit.Unit }, rule, context, 120, 120, "a");
        Assert.Contains("120 base and 120 current units", interleaved.Why, StringComparison.Ordinal);
        Assert.DoesNotContain("launch", interleaved.Why, StringComparison.Ordinal);
        Assert.DoesNotContain("baseline recorded", interleaved.Why, StringComparison.Ordinal);
        Assert.Contains("no practical number of units would decide it at this spread: re-run", interleaved.Undecided, StringComparison.Ordinal);
        Assert.DoesNotContain("A/B mode", interleaved.Undecided, StringComparison.Ordinal);

        var stored = GatePolicy.TimeFinding(time, rule, new PolicyContext(), 3, 5, "a");
        Assert.Contains("3 baseline and 5 current launches", stored.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void What_would_decide_undecided_interleaved_benchmarks_counts_units()
    {
        var verdicts = new[] { "a", "b" }.Select(id => new BenchmarkVerdict(id, Outcome.Unknown)
        {
            Time = new TimeJudgement(TimeOutcome.Unknown, 1.1) { MinimumDetectableEffect = 0.3, LaunchesNeeded = 12 },
            CurrentLaunches = 120,
            BaselineLaunches = 120,
            Unit = MeasuringUnit.Unit,
        }).ToList();
        var undecided = UndecidedTimes.Of(verdicts)!;
        Assert.Same(MeasuringUnit.Unit, undecided.Unit);
        var text = undecided.WhatWouldDecide(abMode: true);
        Assert.Contains("about 12 units per side would decide the median one", text, StringComparison.Ordinal);
        Assert.Contains("this run had 120", text, StringComparison.Ordinal);
        Assert.DoesNotContain("launch", text.Replace("PerfGateLaunches", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("-p:PerfGateLaunches=12", text, StringComparison.Ordinal);

        var stored = UndecidedTimes.Of(verdicts.Select(v => v with { Unit = MeasuringUnit.Launch, CurrentLaunches = 5 }))!;
        Assert.Contains("about 12 launches per side would decide the median one (-p:PerfGateLaunches=12, and a baseline recorded with as many", stored.WhatWouldDecide(abMode: false), StringComparison.Ordinal);
        Assert.DoesNotContain("placement", stored.WhatWouldDecide(abMode: false), StringComparison.Ordinal);

        // Out of reach because of the interleaved run's placement term: the text says why more units do not help.
        var placed = UndecidedTimes.Of(verdicts.Select(v => v with { Time = v.Time! with { LaunchesNeeded = null, StandardErrorFloor = 0.02, Unit = MeasuringUnit.Unit } }))!;
        Assert.Equal(0.02, placed.StandardErrorFloor);
        var why = placed.WhatWouldDecide(abMode: true);
        Assert.Contains("no practical number of units would decide them", why, StringComparison.Ordinal);
        Assert.Contains("code placement moves every ratio by about 2%", why, StringComparison.Ordinal);
    }

    private sealed class Evidence : TimeEvidence
    {
        public override string Sample => "the pairs";
    }

    [Fact]
    public void An_undecided_time_says_what_would_resolve_it_in_the_evidences_unit()
    {
        TimeJudgement Undecided(MeasuringUnit? unit)
        {
            var e = new Evidence { Ratio = 1.05, Lower = 0.9, Upper = 1.2, PSlower = 0.3, PFaster = 0.6, Relative = 0.05, MinimumDetectableEffect = 0.2, LaunchesNeeded = 40 };
            if (unit is not null)
            {
                e.Unit = unit;
            }

            return TimeDecision.From(e, new StatisticalJudgeSettings(), 1, 1, new TimeMethod("m", "b", ""));
        }

        Assert.Contains("about 40 launches per side (PerfGateLaunches) would resolve", Undecided(null).Reason, StringComparison.Ordinal);
        var units = Undecided(MeasuringUnit.Unit).Reason!;
        Assert.Contains("about 40 units per side (the in-process runner's units, which grow in proportion to PerfGateLaunches) would resolve", units, StringComparison.Ordinal);
        Assert.DoesNotContain("launch", units.Replace("PerfGateLaunches", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
