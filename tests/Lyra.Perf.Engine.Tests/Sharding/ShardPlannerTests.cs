using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Sharding;

namespace Lyra.Perf.Engine.Tests.Sharding;

public sealed class ShardSpecTests
{
    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/4", 2, 4)]
    [InlineData(" 4 / 4 ", 4, 4)]
    public void Parses_K_of_N(string text, int index, int count) => Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("2")]
    [InlineData("2/0")]
    [InlineData("a/b")]
    [InlineData("-1/4")]
    [InlineData("1/4/2")]
    [InlineData("1/100000")]
    public void Rejects_anything_else_with_LPG0401(string text)
    {
        var ex = Assert.Throws<GateException>(() => ShardSpec.Parse(text));
        Assert.Equal(DiagnosticCodes.InvalidSetting, ex.Diagnostic.Code);
        Assert.Contains($"Invalid value '{text}' for PerfGateShard", ex.Diagnostic.Message);
    }
}

public sealed class ShardPlannerTests
{
    private static List<string> Suite(int count, int seed = 0) =>
        Enumerable.Range(0, count).Select(i => $"Ns.Type{(i * 7 + seed) % 23}.Method{i}").ToList();

    [Fact]
    public void Every_benchmark_lands_in_exactly_one_shard_and_the_split_is_the_same_every_time()
    {
        var names = Suite(100);
        var plan = ShardPlanner.Plan(names, 4);
        var shuffled = ShardPlanner.Plan(names.OrderBy(n => ShardPlanner.Score(n, 99)).ToList(), 4);

        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), Enumerable.Range(1, 4).SelectMany(plan.Owned).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(plan.Assignment.OrderBy(p => p.Key, StringComparer.Ordinal), shuffled.Assignment.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.All(plan.Assignment.Values, s => Assert.InRange(s, 1, 4));
    }

    [Fact]
    public void The_score_is_a_fixed_function_of_the_name_so_every_machine_agrees()
    {
        // Pinned values: a change here re-plans every user's shards, so it must be deliberate.
        Assert.Equal(ShardPlanner.Score("Ns.A.X", 0), ShardPlanner.Score("Ns.A.X", 0));
        Assert.NotEqual(ShardPlanner.Score("Ns.A.X", 0), ShardPlanner.Score("Ns.A.X", 1));
        Assert.Equal(PinnedScore, ShardPlanner.Score("Ns.A.X", 0));
        Assert.Equal("2,1,1,1", string.Join(",", new[] { "Ns.A.X", "Ns.A.Y", "NoNs.Q", "Ns.H<Int32>.W" }.Select(n => ShardPlanner.Plan(new[] { n }, 2).Assignment[n])));
    }

    private const ulong PinnedScore = 878172202659306234;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Equal_benchmarks_are_split_evenly(int shards)
    {
        var plan = ShardPlanner.Plan(Suite(400), shards);
        var average = 400.0 / shards;
        Assert.All(plan.Loads, load => Assert.InRange(load, 0, (average * (1 + ShardPlanner.Slack)) + 1));
        Assert.Equal(400, plan.Loads.Sum());
    }

    [Fact]
    public void Measured_durations_balance_the_shards_where_counts_would_not()
    {
        var names = Suite(60);
        // A fifth of the benchmarks take ten times as long (e.g. one operation > the iteration time).
        var costs = names.Select((n, i) => (n, c: i % 5 == 0 ? 10.0 : 1.0)).ToDictionary(p => p.n, p => p.c);
        var plan = ShardPlanner.Plan(names, 3, costs);
        var total = costs.Values.Sum();
        Assert.All(plan.Loads, load => Assert.InRange(load, 0, (total / 3 * (1 + ShardPlanner.Slack)) + 1));

        var byCount = ShardPlanner.Plan(names, 3);
        var unbalanced = Enumerable.Range(1, 3).Max(s => byCount.Owned(s).Sum(n => costs[n]));
        Assert.True(plan.Loads.Max() <= unbalanced, $"duration-balanced max {plan.Loads.Max()} vs count-balanced {unbalanced}");
    }

    [Fact]
    public void Adding_benchmarks_moves_few_of_the_existing_ones()
    {
        var names = Suite(200);
        var before = ShardPlanner.Plan(names, 4);
        var after = ShardPlanner.Plan(names.Concat(Enumerable.Range(0, 10).Select(i => $"Ns.Added.M{i}")).ToList(), 4);

        var moved = names.Count(n => before.Assignment[n] != after.Assignment[n]);
        // A modulo split (hash % N by position) would move most of them; rendezvous moves only what the cap displaces.
        Assert.True(moved <= 20, $"{moved} of 200 benchmarks changed shards after adding 10");
    }

    [Fact]
    public void A_claims_two_sides_share_a_shard()
    {
        var names = Suite(40).Concat(new[] { "Ns.Symbols.Interned", "Ns.Symbols.StringKeyed", "Ns.Cache.CacheHit", "Ns.Cache.Recompute" }).ToList();
        var claims = new[] { new PerfClaim("Symbols.Interned", "*.StringKeyed"), new PerfClaim("%2A.CacheHit".Replace("%2A", "*"), "*.Recompute") };
        for (var shards = 2; shards <= 6; shards++)
        {
            var plan = ShardPlanner.Plan(names, shards, together: ShardPlanner.ClaimGroups(names, claims));
            Assert.Equal(plan.Assignment["Ns.Symbols.Interned"], plan.Assignment["Ns.Symbols.StringKeyed"]);
            Assert.Equal(plan.Assignment["Ns.Cache.CacheHit"], plan.Assignment["Ns.Cache.Recompute"]);
        }
    }

    [Fact]
    public void More_shards_than_benchmarks_leaves_some_empty()
    {
        var plan = ShardPlanner.Plan(new[] { "A.X", "A.Y" }, 5);
        Assert.Equal(2, Enumerable.Range(1, 5).Sum(s => plan.Owned(s).Count));
        Assert.Equal(3, Enumerable.Range(1, 5).Count(s => plan.Owned(s).Count == 0));
    }

    [Fact]
    public void Baseline_costs_count_parameter_cases_and_slow_operations_in_whole_iteration_times()
    {
        var baseline = Judging.TestData.BaselineOf(
            Judging.TestData.Measure("Ns.A.X(N: 1)", 1_000, 3, 1),
            Judging.TestData.Measure("Ns.A.X(N: 2)", 2_000, 3, 2),
            Judging.TestData.Measure("Ns.A.Slow", 310e6, 3, 3, launchSpread: 0.001, iterationSpread: 0.001));
        var costs = ShardPlanner.Costs(baseline, 100e6);
        Assert.Equal(2, costs["Ns.A.X"]);
        Assert.Equal(3, costs["Ns.A.Slow"]);
    }

    [Theory]
    [InlineData("Ns.A.X", "Ns.A.X")]
    [InlineData("Ns.A.X(N: 1024)", "Ns.A.X")]
    [InlineData("Ns.A.X [IterationCount=10]", "Ns.A.X")]
    [InlineData("Ns.A.X(N: 1) [IterationCount=10]", "Ns.A.X")]
    [InlineData("Ns.H<Int32>.W", "Ns.H<Int32>.W")]
    public void A_result_id_belongs_to_its_listed_name(string id, string name) => Assert.Equal(name, BenchmarkList.NameOf(id));

    [Fact]
    public void The_listing_is_parsed_sorted_without_comment_lines()
    {
        Assert.Equal(new[] { "NoNs.Q", "Ns.A.X", "Ns.A.Y" }, BenchmarkList.Parse("Ns.A.Y\r\n// Validating\nNs.A.X\n\nNoNs.Q\nNs.A.X\n"));
        Assert.Equal(new[] { "--list", "flat", "--filter", "*A*", "*B*" }, BenchmarkList.Arguments("*A*;*B*"));
    }
}
