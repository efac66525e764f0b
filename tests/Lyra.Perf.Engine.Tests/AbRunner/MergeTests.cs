using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Ingest;

namespace Lyra.Perf.Engine.Tests.AbRunner;

/// <summary>The runner's two passes (current build first, then base first) joined into one result: units appended
/// in order with each pass's count, and a pair measured in one order only left to alternated launches.</summary>
public class MergeTests
{
    private static InterleavedSide Side(params double[] ns) => new(ns, ns.Select(_ => 8.0).ToList());

    private static InterleavedBenchmark Paired(string id, double[] current, double[] @base, int warmups = 3, double seconds = 2) => new()
    {
        Id = id, Type = "T", Method = id, Operations = 100, WarmupPairs = warmups, Seconds = seconds,
        PassUnits = new[] { current.Length }, Current = Side(current), Base = Side(@base),
    };

    private static InterleavedRun Second(IReadOnlyList<InterleavedBenchmark> benchmarks, params InterleavedFallback[] fallback) =>
        new() { Phase = "run", Complete = true, Benchmarks = benchmarks, Fallback = fallback };

    [Fact]
    public void Both_passes_units_are_appended_in_order_with_each_pass_count_and_summed_time()
    {
        var results = new List<InterleavedBenchmark> { Paired("A", new[] { 1.0, 2, 3 }, new[] { 4.0, 5, 6 }) };
        var second = Second(new[] { Paired("A", new[] { 7.0, 8 }, new[] { 9.0, 10 }, warmups: 2, seconds: 1.5) });

        Lyra.Perf.AbRunner.Program.Merge(results, new List<InterleavedFallback>(), second);

        var merged = Assert.Single(results);
        Assert.Equal(new[] { 1.0, 2, 3, 7, 8 }, merged.Current!.Nanoseconds);
        Assert.Equal(new[] { 4.0, 5, 6, 9, 10 }, merged.Base!.Nanoseconds);
        Assert.Equal(5, merged.Current.Bytes.Count);
        Assert.Equal(new[] { 3, 2 }, merged.PassUnits);
        Assert.Equal(5, merged.WarmupPairs);
        Assert.Equal(3.5, merged.Seconds);
    }

    [Fact]
    public void A_pair_the_second_pass_could_not_measure_is_dropped_and_its_fallback_joins_ours_once()
    {
        var results = new List<InterleavedBenchmark>
        {
            Paired("A", new[] { 1.0 }, new[] { 2.0 }),
            Paired("B", new[] { 1.0 }, new[] { 2.0 }),
        };
        var fallback = new List<InterleavedFallback> { new("Ns.T.C", "threw") };
        var second = Second(new[] { Paired("A", new[] { 3.0 }, new[] { 4.0 }) }, new InterleavedFallback("Ns.T.B", "threw in the other order"), new InterleavedFallback("Ns.T.C", "threw"));

        Lyra.Perf.AbRunner.Program.Merge(results, fallback, second);

        Assert.Equal(new[] { "A" }, results.Select(r => r.Id));
        Assert.Equal(new[] { "Ns.T.C", "Ns.T.B" }, fallback.Select(f => f.Filter));
    }

    [Fact]
    public void What_only_the_second_pass_measured_is_not_added()
    {
        var results = new List<InterleavedBenchmark> { Paired("A", new[] { 1.0 }, new[] { 2.0 }) };
        var second = Second(new[] { Paired("A", new[] { 3.0 }, new[] { 4.0 }), Paired("Z", new[] { 5.0 }, new[] { 6.0 }) });

        Lyra.Perf.AbRunner.Program.Merge(results, new List<InterleavedFallback>(), second);

        Assert.Equal(new[] { "A" }, results.Select(r => r.Id));
        Assert.Equal(new[] { 1, 1 }, results[0].PassUnits);
    }

    [Fact]
    public void A_one_sided_benchmark_keeps_its_one_side_over_both_passes()
    {
        var results = new List<InterleavedBenchmark> { new() { Id = "New", Type = "T", Method = "New", PassUnits = new[] { 2 }, Current = Side(1, 2) } };
        var second = Second(new[] { new InterleavedBenchmark { Id = "New", Type = "T", Method = "New", PassUnits = new[] { 1 }, Current = Side(3) } });

        Lyra.Perf.AbRunner.Program.Merge(results, new List<InterleavedFallback>(), second);

        Assert.Equal(new[] { 1.0, 2, 3 }, results[0].Current!.Nanoseconds);
        Assert.Null(results[0].Base);
        Assert.Equal(new[] { 2, 1 }, results[0].PassUnits);
    }
}
