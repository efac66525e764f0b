using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Sharding;

/// <summary>
/// Splits the listed benchmarks into N shards, the same way on every machine, by rendezvous hashing with bounded loads:
/// each benchmark ranks the shards by a stable hash of (its name, the shard) and goes to the first of its ranking whose
/// load stays under (1 + <see cref="Slack"/>) × the average. The hash keeps the split stable (adding a benchmark moves
/// only what the cap pushes aside, not a reshuffle); the cap keeps it balanced by the baseline's estimated durations.
/// </summary>
public static class ShardPlanner
{
    /// <summary>How far above the average load a shard may go before benchmarks spill to their next-ranked shard:
    /// larger is more stable, smaller is more even.</summary>
    public const double Slack = 0.10;

    /// <param name="benchmarks">The listed names (<see cref="BenchmarkList"/>).</param>
    /// <param name="costs">Estimated run time per name (any unit); names without one cost the median of the known costs.</param>
    /// <param name="together">Groups that must share a shard (a claim compares its two sides within one run, on one machine).</param>
    public static ShardPlan Plan(IReadOnlyList<string> benchmarks, int count, IReadOnlyDictionary<string, double>? costs = null, IEnumerable<IReadOnlyCollection<string>>? together = null)
    {
        var names = benchmarks.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var units = Units(names, together);
        var known = names.Where(n => costs is not null && costs.ContainsKey(n)).Select(n => costs![n]).OrderBy(c => c).ToList();
        var fallback = known.Count == 0 ? 1.0 : known[known.Count / 2];
        double Cost(string name) => costs is not null && costs.TryGetValue(name, out var c) && c > 0 ? c : fallback;

        var weighted = units.Select(u => (Key: u[0], Members: u, Cost: u.Sum(Cost)))
            .OrderByDescending(u => u.Cost).ThenBy(u => u.Key, StringComparer.Ordinal).ToList();
        var cap = weighted.Sum(u => u.Cost) / count * (1 + Slack);
        var loads = new double[count];
        var assignment = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in weighted)
        {
            var ranking = Enumerable.Range(0, count).OrderByDescending(s => Score(unit.Key, s)).ToList();
            var shard = ranking.Where(s => loads[s] + unit.Cost <= cap).Cast<int?>().FirstOrDefault()
                ?? ranking.OrderBy(s => loads[s]).First(); // Too big for any cap: the least loaded (ties: better ranked).
            loads[shard] += unit.Cost;
            foreach (var member in unit.Members)
            {
                assignment[member] = shard + 1;
            }
        }

        return new ShardPlan(count, assignment, loads);
    }

    /// <summary>Estimated cost per listed name from a baseline: each parameter case runs its iterations for at least the
    /// iteration time (BenchmarkDotNet sizes iterations to it), longer when one operation takes longer. Rounded to whole
    /// iteration times, so re-recording a baseline's noise does not re-plan the shards.</summary>
    public static IReadOnlyDictionary<string, double> Costs(Baseline? baseline, double iterationTimeNanoseconds)
    {
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        if (baseline is null)
        {
            return costs;
        }

        foreach (var entry in baseline.Benchmarks)
        {
            var typical = entry.Value.Measurement.TypicalNanoseconds ?? 0;
            var iterations = Math.Max(1, Math.Round(typical / iterationTimeNanoseconds));
            var name = BenchmarkList.NameOf(entry.Key);
            costs[name] = (costs.TryGetValue(name, out var sum) ? sum : 0) + iterations;
        }

        return costs;
    }

    /// <summary>Names a pair of claim patterns selects, as groups for <see cref="Plan"/>.</summary>
    public static IEnumerable<IReadOnlyCollection<string>> ClaimGroups(IReadOnlyList<string> names, IEnumerable<PerfClaim> claims) =>
        claims.Select(c => (IReadOnlyCollection<string>)names.Where(n => Glob.IsMatchItemPattern(c.Pattern, n) || Glob.IsMatchItemPattern(c.Baseline, n)).ToList())
            .Where(g => g.Count > 1);

    /// <summary>Rendezvous score: a 64-bit FNV-1a hash of "name/shard", mixed (splitmix64 finaliser) so nearby inputs spread.</summary>
    public static ulong Score(string name, int shard)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name + "/" + shard.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }

    /// <summary>Names joined by the groups (union–find); each unit is sorted, keyed by its first name.</summary>
    private static List<List<string>> Units(List<string> names, IEnumerable<IReadOnlyCollection<string>>? together)
    {
        var parent = names.ToDictionary(n => n, n => n, StringComparer.Ordinal);
        string Find(string n)
        {
            while (parent[n] != n)
            {
                n = parent[n] = parent[parent[n]];
            }

            return n;
        }

        foreach (var group in together ?? Enumerable.Empty<IReadOnlyCollection<string>>())
        {
            var members = group.Where(parent.ContainsKey).ToList();
            foreach (var member in members.Skip(1))
            {
                var (a, b) = (Find(members[0]), Find(member));
                if (a != b)
                {
                    parent[string.CompareOrdinal(a, b) < 0 ? b : a] = string.CompareOrdinal(a, b) < 0 ? a : b;
                }
            }
        }

        return names.GroupBy(Find, StringComparer.Ordinal).Select(g => g.OrderBy(n => n, StringComparer.Ordinal).ToList()).ToList();
    }
}

/// <summary>Which shard (1-based) runs each listed benchmark name.</summary>
public sealed record ShardPlan(int Count, IReadOnlyDictionary<string, int> Assignment, IReadOnlyList<double> Loads)
{
    public IReadOnlyList<string> Owned(int shard) =>
        Assignment.Where(p => p.Value == shard).Select(p => p.Key).OrderBy(n => n, StringComparer.Ordinal).ToList();
}
