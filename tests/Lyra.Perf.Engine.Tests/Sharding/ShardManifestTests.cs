using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Sharding;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Sharding;

public sealed class ShardManifestTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-shard-" + Guid.NewGuid().ToString("N"));

    public ShardManifestTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Names = { "Ns.A.X", "Ns.A.Y", "Ns.B.Z", "Ns.Nested.Deep.M", "NoNs.Q" };

    private static ShardManifest Manifest(int shard, int count = 2, IReadOnlyDictionary<string, int>? assignment = null) =>
        new() { Shard = new ShardSpec(shard, count), Assignment = assignment ?? ShardPlanner.Plan(Names, count).Assignment };

    private string WriteShard(string folder, ShardManifest manifest)
    {
        var path = Path.Combine(_dir, folder, ShardManifest.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, manifest.Serialize());
        return path;
    }

    [Fact]
    public void Round_trips_and_owns_its_benchmarks_with_their_parameters()
    {
        var manifest = Manifest(2, 3);
        var read = ShardManifest.Read(WriteShard("s2", manifest));

        Assert.Equal(manifest.Shard, read.Shard);
        Assert.Equal(manifest.Assignment.OrderBy(p => p.Key, StringComparer.Ordinal), read.Assignment.OrderBy(p => p.Key, StringComparer.Ordinal));
        foreach (var name in Names)
        {
            Assert.Equal(manifest.Assignment[name] == 2, read.Owns(name + "(N: 5)"));
        }

        Assert.False(read.Owns("Ns.Unlisted.M"));
    }

    [Fact]
    public void Records_the_filter_and_the_exclusion_patterns_it_was_listed_with()
    {
        var manifest = ShardManifest.FromPlan(ShardPlanner.Plan(Names, 2), new ShardSpec(1, 2), "Ns.*", "*Native*;Ns.Gpu.*");
        var path = WriteShard("s1", manifest);

        var read = ShardManifest.Read(path);
        Assert.Equal("Ns.*", read.Filter);
        Assert.Equal("*Native*;Ns.Gpu.*", read.Exclude);
        Assert.Contains("\"exclude\": \"*Native*;Ns.Gpu.*\"", File.ReadAllText(path));

        // A manifest written before the patterns were recorded reads as excluding nothing.
        File.WriteAllText(path, "{\"schemaVersion\": 1, \"shard\": 1, \"shardCount\": 1, \"filter\": \"*\", \"benchmarks\": {\"Ns.A.X\": 1}}");
        Assert.Equal("", ShardManifest.Read(path).Exclude);
    }

    [Fact]
    public void Run_filters_use_a_type_glob_only_where_it_selects_nothing_of_another_shard()
    {
        var assignment = new Dictionary<string, int> { ["Ns.A.X"] = 1, ["Ns.A.Y"] = 1, ["Ns.A.Inner.M"] = 2, ["Ns.B.X"] = 1, ["Ns.B.Y"] = 1, ["Ns.C.X"] = 1, ["Ns.C.Y"] = 2 };
        var filters = Manifest(1, 2, assignment).RunFilters();
        Assert.Equal(new[] { "Ns.A.X", "Ns.A.Y", "Ns.B.*", "Ns.C.X" }, filters);
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 1, \"shard\": 3, \"shardCount\": 2, \"benchmarks\": {}}", "'shard' must be a whole number from 1 to 2")]
    [InlineData("{\"schemaVersion\": 1, \"shard\": 1, \"shardCount\": 2, \"benchmarks\": {\"A.X\": 7}}", "the shard of 'A.X'")]
    [InlineData("{\"schemaVersion\": 2}", "'schemaVersion' must be 1")]
    [InlineData("{\"schemaVersion\": 1, ", "not valid JSON")]
    public void An_unreadable_manifest_is_LPG0302_at_its_line(string content, string message)
    {
        var path = Path.Combine(_dir, ShardManifest.FileName);
        File.WriteAllText(path, content);
        var ex = Assert.Throws<GateException>(() => ShardManifest.Read(path));
        Assert.Equal(DiagnosticCodes.ResultsUnreadable, ex.Diagnostic.Code);
        Assert.Contains(message, ex.Diagnostic.Message);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.True(ex.Diagnostic.Line > 0);
    }

    [Fact]
    public void A_complete_merge_has_no_errors()
    {
        WriteShard("shard-1", Manifest(1));
        WriteShard("shard-2", Manifest(2));
        var diagnostics = new List<GateDiagnostic>();
        Assert.Equal(2, ShardMerge.Check(new[] { _dir }, diagnostics).Count);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Unsharded_results_have_no_manifests_and_nothing_to_check()
    {
        var diagnostics = new List<GateDiagnostic>();
        Assert.Empty(ShardMerge.Check(new[] { _dir, Path.Combine(_dir, "absent") }, diagnostics));
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void A_missing_shard_is_LPG0350_naming_the_shard_and_its_benchmarks()
    {
        var plan = ShardPlanner.Plan(Names, 3);
        WriteShard("shard-1", Manifest(1, 3, plan.Assignment));
        WriteShard("shard-3", Manifest(3, 3, plan.Assignment));
        var diagnostics = new List<GateDiagnostic>();
        ShardMerge.Check(new[] { _dir }, diagnostics);

        var missing = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.ShardMissing, missing.Code);
        Assert.Equal(DiagnosticLevel.Error, missing.Level);
        Assert.Contains("Shard 2 of 3 is missing", missing.Message);
        Assert.Contains("(found 1, 3)", missing.Message);
        Assert.All(plan.Owned(2), name => Assert.Contains(name, missing.Message));
    }

    [Fact]
    public void Shards_of_different_plans_or_a_shard_twice_are_LPG0351()
    {
        WriteShard("a/shard-1", Manifest(1));
        WriteShard("a/shard-2", Manifest(2, 2, Names.ToDictionary(n => n, _ => 2)));
        var diagnostics = new List<GateDiagnostic>();
        ShardMerge.Check(new[] { Path.Combine(_dir, "a") }, diagnostics);
        Assert.Equal(DiagnosticCodes.ShardsInconsistent, Assert.Single(diagnostics).Code);
        Assert.Contains("assign the benchmarks differently", diagnostics[0].Message);

        WriteShard("b/shard-1", Manifest(1));
        WriteShard("b/shard-1-again", Manifest(1));
        WriteShard("b/shard-2", Manifest(2));
        diagnostics.Clear();
        ShardMerge.Check(new[] { Path.Combine(_dir, "b") }, diagnostics);
        Assert.Equal(DiagnosticCodes.ShardsInconsistent, Assert.Single(diagnostics).Code);
        Assert.Contains("shard 1 of 2 appears 2 times", diagnostics[0].Message);
    }

    [Fact]
    public void A_shard_judges_only_its_own_benchmarks_the_others_are_neither_removed_nor_new()
    {
        var assignment = new Dictionary<string, int> { ["Ns.A.X"] = 1, ["Ns.A.Y"] = 2, ["Ns.B.Z"] = 2 };
        var baseline = BaselineOf(Measure("Ns.A.X", 100, 5, 1), Measure("Ns.A.Y", 100, 5, 2), Measure("Ns.B.Z", 100, 5, 3));
        var run = RunOf(Measure("Ns.A.X", 100, 5, 4));
        var options = new GateOptions { Shard = Manifest(1, 2, assignment) };

        var result = new Gate().Evaluate(baseline, "perf-baseline.json", run, options, DateTimeOffset.UtcNow);

        Assert.Equal("Ns.A.X", Assert.Single(result.Verdicts).Id);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is DiagnosticCodes.BenchmarkRemoved or DiagnosticCodes.BenchmarkNew);

        // Unsharded, the same run misses two benchmarks of the baseline.
        var whole = new Gate().Evaluate(baseline, "perf-baseline.json", run, new GateOptions(), DateTimeOffset.UtcNow);
        Assert.Equal(2, whole.Diagnostics.Count(d => d.Code == DiagnosticCodes.BenchmarkRemoved));
    }

    [Fact]
    public void A_shard_checks_its_own_claims_and_leaves_other_shards_claims_to_the_merge()
    {
        var assignment = new Dictionary<string, int> { ["Ns.A.Fast"] = 1, ["Ns.A.Slow"] = 1, ["Ns.B.Fast"] = 2, ["Ns.B.Slow"] = 2 };
        var run = RunOf(Measure("Ns.A.Fast", 100, 5, 1), Measure("Ns.A.Slow", 300, 5, 2));
        var claims = new[] { new PerfClaim("A.Fast", "A.Slow") { Faster = 2 }, new PerfClaim("B.Fast", "B.Slow") { Faster = 2 } };
        var options = new GateOptions { Shard = Manifest(1, 2, assignment), Claims = claims };

        var result = new Gate().Evaluate(BaselineOf(), "perf-baseline.json", run, options, DateTimeOffset.UtcNow);

        var claim = Assert.Single(result.Claims);
        Assert.True(claim.Met, claim.Detail);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.ClaimNotMet);
    }
}
