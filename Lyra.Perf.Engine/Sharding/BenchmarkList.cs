using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Sharding;

/// <summary>The suite's benchmarks before anything runs: BenchmarkDotNet's <c>--list flat</c> prints one filter name
/// ("Namespace.Type.Method", every parameter case of a method under one name) per line, honouring <c>--filter</c>.</summary>
public static class BenchmarkList
{
    public static IReadOnlyList<string> Arguments(string? filter)
    {
        var arguments = new List<string> { "--list", "flat", "--filter" };
        arguments.AddRange(BenchmarkArguments.Filters(filter));
        return arguments;
    }

    /// <summary>The names in the listing, sorted and distinct; BenchmarkDotNet's own comment lines ("// …") are skipped.</summary>
    public static IReadOnlyList<string> Parse(string output) =>
        output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(l => l, StringComparer.Ordinal)
            .ToList();

    /// <summary>The listed name a result id belongs to: the id without its parameters ("(N: 1)") and job suffix (" [...]").</summary>
    public static string NameOf(string benchmarkId)
    {
        var cut = benchmarkId.Length;
        var parameters = benchmarkId.IndexOf('(');
        if (parameters >= 0)
        {
            cut = parameters;
        }

        var job = benchmarkId.IndexOf(" [", StringComparison.Ordinal);
        if (job >= 0 && job < cut)
        {
            cut = job;
        }

        return benchmarkId.Substring(0, cut);
    }
}
