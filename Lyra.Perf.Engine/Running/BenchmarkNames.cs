using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Running;

/// <summary>
/// Benchmark names as BenchmarkDotNet's <c>--filter</c> sees them: the full name with parameters
/// ("NS.Type.Method(N: 1024)") or the name without them ("NS.Type.Method"). Our ids add " [job settings]" where a
/// class runs several jobs; BenchmarkDotNet cannot filter by job, so a filter names the benchmark without it.
/// </summary>
public static class BenchmarkNames
{
    /// <summary>Separates globs in PerfGateFilter. Never whitespace: parameters are written "(N: 1024)".</summary>
    public const char FilterSeparator = ';';

    /// <summary>Globs from a property value; empty means every benchmark.</summary>
    public static IReadOnlyList<string> Filters(string? filter)
    {
        var parts = (filter ?? "").Split(FilterSeparator).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        return parts.Length == 0 ? new[] { "*" } : parts;
    }

    /// <summary>"NS.T.M(N: 1) [IterationCount=5]" → "NS.T.M(N: 1)".</summary>
    public static string WithoutJob(string id)
    {
        if (!id.EndsWith("]", StringComparison.Ordinal))
        {
            return id;
        }

        var open = id.LastIndexOf(" [", StringComparison.Ordinal);
        return open > 0 ? id.Substring(0, open) : id;
    }

    /// <summary>"NS.T.M(N: 1)" → "NS.T.M".</summary>
    public static string WithoutParameters(string fullName)
    {
        var open = fullName.IndexOf('(');
        return open > 0 && fullName.EndsWith(")", StringComparison.Ordinal) ? fullName.Substring(0, open) : fullName;
    }

    /// <summary>Whether BenchmarkDotNet's filter would run this benchmark: a glob matches the full name or the name without parameters.</summary>
    public static bool Selects(string? filter, string id)
    {
        var fullName = WithoutJob(id);
        var plain = WithoutParameters(fullName);
        return Filters(filter).Any(f => Glob.IsMatch(f, fullName) || Glob.IsMatch(f, plain) || Glob.IsMatch(f, id));
    }

    /// <summary>Whether PerfGateExclude's globs (the syntax of PerfGateFilter; empty excludes nothing) leave this benchmark out.</summary>
    public static bool Excludes(string? exclude, string id) =>
        !string.IsNullOrWhiteSpace(exclude) && Selects(exclude, id);

    /// <summary>The filter that runs exactly this benchmark with these parameters (all its jobs).</summary>
    public static string FilterFor(string id) => WithoutJob(id);
}
