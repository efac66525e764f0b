using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Json;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Sharding;

/// <summary>
/// lyra-perf-shard.json, written beside a shard's results: which shard this is and the whole plan (every listed
/// benchmark name → its shard). A merge reads every shard's copy to prove it has all N shards of one plan, and to name
/// the benchmarks of a missing shard.
/// </summary>
public sealed record ShardManifest
{
    public const string FileName = "lyra-perf-shard.json";
    public const int SchemaVersion = 1;

    public ShardSpec Shard { get; init; } = new(1, 1);

    /// <summary>The PerfGateFilter the benchmarks were listed with.</summary>
    public string Filter { get; init; } = "*";

    /// <summary>The PerfGateExclude globs the listing left out (no shard plans those benchmarks); empty when none.</summary>
    public string Exclude { get; init; } = "";

    /// <summary>Every listed benchmark name (BenchmarkDotNet's "Namespace.Type.Method") and the shard that runs it.</summary>
    public IReadOnlyDictionary<string, int> Assignment { get; init; } = new Dictionary<string, int>();

    /// <summary>Where this manifest was read from, for messages.</summary>
    public string? Path { get; init; }

    public IReadOnlyList<string> Owned => OwnedBy(Shard.Index);

    public IReadOnlyList<string> OwnedBy(int shard) =>
        Assignment.Where(p => p.Value == shard).Select(p => p.Key).OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>Whether this shard runs and judges the benchmark (a result or baseline id, with parameters).</summary>
    public bool Owns(string benchmarkId) => Assignment.TryGetValue(BenchmarkList.NameOf(benchmarkId), out var shard) && shard == Shard.Index;

    public static ShardManifest FromPlan(ShardPlan plan, ShardSpec shard, string filter, string exclude) =>
        new() { Shard = shard, Filter = filter, Exclude = exclude, Assignment = plan.Assignment };

    /// <summary>BenchmarkDotNet filters for this shard's benchmarks: "Namespace.Type.*" where the shard owns every
    /// listed name that glob selects, the exact name otherwise (keeps the command line short on large suites).</summary>
    public IReadOnlyList<string> RunFilters()
    {
        var filters = new List<string>();
        foreach (var type in Owned.GroupBy(TypeOf, StringComparer.Ordinal))
        {
            var glob = type.Key + ".*";
            if (type.Count() > 1 && Assignment.Where(p => Glob.IsMatch(glob, p.Key)).All(p => p.Value == Shard.Index))
            {
                filters.Add(glob);
            }
            else
            {
                filters.AddRange(type);
            }
        }

        return filters;
    }

    public string Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", SchemaVersion);
            writer.WriteNumber("shard", Shard.Index);
            writer.WriteNumber("shardCount", Shard.Count);
            writer.WriteString("filter", Filter);
            writer.WriteString("exclude", Exclude);
            writer.WriteStartObject("benchmarks");
            foreach (var pair in Assignment.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <exception cref="GateException">LPG0302 at the line and column of the problem.</exception>
    public static ShardManifest Read(string path)
    {
        JsonTree root;
        try
        {
            root = JsonTree.Parse(File.ReadAllBytes(path));
        }
        catch (JsonSyntaxException ex)
        {
            throw Problem(path, ex.Line, ex.Column, "not valid JSON: " + ex.Message);
        }
        catch (IOException ex)
        {
            throw Problem(path, 0, 0, ex.Message);
        }

        if (root.Kind != JsonValueKind.Object)
        {
            throw Problem(path, root.Line, root.Column, "expected an object with 'shard', 'shardCount' and 'benchmarks'");
        }

        if (root["schemaVersion"]?.AsNumber() != SchemaVersion)
        {
            throw Problem(path, root["schemaVersion"]?.Line ?? root.Line, root["schemaVersion"]?.Column ?? root.Column, $"'schemaVersion' must be {SchemaVersion}");
        }

        int Whole(string name, int min, int max)
        {
            var node = root[name];
            var value = node?.AsNumber();
            if (value is null || value != Math.Floor(value.Value) || value < min || value > max)
            {
                throw Problem(path, node?.Line ?? root.Line, node?.Column ?? root.Column, $"'{name}' must be a whole number from {min} to {max}");
            }

            return (int)value.Value;
        }

        var count = Whole("shardCount", 1, ShardSpec.MaxCount);
        var index = Whole("shard", 1, count);
        if (root["benchmarks"] is not { Kind: JsonValueKind.Object } benchmarks)
        {
            throw Problem(path, root.Line, root.Column, "'benchmarks' must be an object of benchmark name → shard");
        }

        var assignment = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in benchmarks.Properties)
        {
            if (pair.Value.AsNumber() is not { } shard || shard != Math.Floor(shard) || shard < 1 || shard > count)
            {
                throw Problem(path, pair.Value.Line, pair.Value.Column, $"the shard of '{pair.Key}' must be a whole number from 1 to {count}");
            }

            assignment[pair.Key] = (int)shard;
        }

        // Older manifests do not record PerfGateExclude: read as none.
        return new ShardManifest { Shard = new ShardSpec(index, count), Filter = root["filter"]?.AsString() ?? "*", Exclude = root["exclude"]?.AsString() ?? "", Assignment = assignment, Path = path };
    }

    private static GateException Problem(string path, int line, int column, string message) =>
        new(new GateDiagnostic(DiagnosticCodes.ResultsUnreadable, DiagnosticLevel.Error, $"Shard manifest unreadable: {message}.") { File = path, Line = line, Column = column });

    private static string TypeOf(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }
}

/// <summary>The merge of shards' results: all N shards of one plan, each once, or a coded error naming what is wrong.</summary>
public static class ShardMerge
{
    /// <summary>Checks the shard manifests under the results folders. Returns the shards found (empty: not sharded
    /// results); problems go to <paramref name="diagnostics"/> as errors.</summary>
    public static IReadOnlyList<ShardManifest> Check(IEnumerable<string> resultsDirectories, List<GateDiagnostic> diagnostics)
    {
        var manifests = new List<ShardManifest>();
        foreach (var file in resultsDirectories.Where(Directory.Exists)
                     .SelectMany(d => Directory.EnumerateFiles(d, ShardManifest.FileName, SearchOption.AllDirectories))
                     .Select(System.IO.Path.GetFullPath).Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal))
        {
            try
            {
                manifests.Add(ShardManifest.Read(file));
            }
            catch (GateException ex)
            {
                diagnostics.Add(ex.Diagnostic);
            }
        }

        if (manifests.Count == 0)
        {
            return manifests;
        }

        var first = manifests[0];
        foreach (var other in manifests.Skip(1))
        {
            if (other.Shard.Count != first.Shard.Count || !SamePlan(first, other))
            {
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.ShardsInconsistent, DiagnosticLevel.Error,
                    $"The shards' results were split by different plans: {first.Shard.Label} ({first.Path}) and {other.Shard.Label} ({other.Path}) "
                    + (other.Shard.Count != first.Shard.Count ? "disagree on the number of shards" : $"assign the benchmarks differently ({Difference(first, other)})")
                    + ". Run every shard of the matrix from the same commit, baseline and PerfGateFilter, and merge one run's shards only.")
                { File = other.Path });
                return manifests;
            }
        }

        foreach (var duplicate in manifests.GroupBy(m => m.Shard.Index).Where(g => g.Count() > 1))
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.ShardsInconsistent, DiagnosticLevel.Error,
                $"{duplicate.First().Shard.Label} appears {duplicate.Count()} times ({string.Join(", ", duplicate.Select(m => m.Path))}); its launches would count twice. Merge one result folder per shard.")
            { File = duplicate.Last().Path });
        }

        var found = new HashSet<int>(manifests.Select(m => m.Shard.Index));
        foreach (var missing in Enumerable.Range(1, first.Shard.Count).Where(k => !found.Contains(k)))
        {
            var owned = first.OwnedBy(missing);
            var names = string.Join(", ", owned.Take(5)) + (owned.Count > 5 ? $" and {owned.Count - 5} more" : "");
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.ShardMissing, DiagnosticLevel.Error,
                $"Shard {missing} of {first.Shard.Count} is missing from the merged results (found {string.Join(", ", found.OrderBy(k => k))}), so "
                + (owned.Count == 0 ? "the merge is incomplete" : $"its {owned.Count} benchmark(s) would go unjudged: {names}")
                + $". Download every shard's results into PerfGateResults, or re-run shard {missing}.")
            { File = first.Path });
        }

        return manifests;
    }

    private static bool SamePlan(ShardManifest a, ShardManifest b) =>
        a.Assignment.Count == b.Assignment.Count && a.Assignment.All(p => b.Assignment.TryGetValue(p.Key, out var s) && s == p.Value);

    private static string Difference(ShardManifest a, ShardManifest b)
    {
        var name = a.Assignment.Keys.Concat(b.Assignment.Keys).OrderBy(n => n, StringComparer.Ordinal)
            .First(n => !a.Assignment.TryGetValue(n, out var x) || !b.Assignment.TryGetValue(n, out var y) || x != y);
        string Where(ShardManifest m) => m.Assignment.TryGetValue(name, out var s) ? "shard " + s : "not listed";
        return $"{name}: {Where(a)} in one, {Where(b)} in the other";
    }
}
