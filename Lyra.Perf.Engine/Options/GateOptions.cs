using System;
using System.Collections.Generic;
using System.Linq;

namespace Lyra.Perf.Engine.Options;

/// <summary>Everything the user configured, parsed and validated. Defaults come from <see cref="Settings"/>.</summary>
public sealed record GateOptions
{
    public double Threshold { get; init; } = Settings.Threshold.DefaultValue;
    public double CriticalThreshold { get; init; } = Settings.CriticalThreshold.DefaultValue;
    public Severity FailOn { get; init; } = Settings.FailOn.DefaultValue;
    public double AllocationThreshold { get; init; } = Settings.AllocationThreshold.DefaultValue;
    public int BaselineMaxAgeDays { get; init; } = Settings.BaselineMaxAgeDays.DefaultValue;
    public bool Enabled { get; init; } = Settings.Enabled.DefaultValue;
    public bool StrictEnvironment { get; init; } = Settings.StrictEnvironment.DefaultValue;

    /// <summary>False-discovery rate over the run's time verdicts (Benjamini–Hochberg). With every benchmark
    /// unchanged it bounds the chance of any false time flag in the run.</summary>
    public double FalseDiscoveryRate { get; init; } = 0.05;

    /// <summary>Absolute time change (ns/op) below which nothing counts, for nanosecond-scale benchmarks.</summary>
    public double NoiseFloorNanoseconds { get; init; } = 0.3;

    /// <summary>Divide the suite-wide drift out of every benchmark before judging. Off: on the noise dataset it
    /// did not help (docs/verdict-quality.md); the drift is always reported (LPG0106) instead.</summary>
    public bool CancelSuiteDrift { get; init; }

    /// <summary>The run's filter glob; baseline entries it does not select are not reported as removed.</summary>
    public string Filter { get; init; } = Settings.Filter.DefaultValue;

    /// <summary>PerfGateExclude's globs: benchmarks not run here on purpose (not removed, not re-recorded).</summary>
    public string Exclude { get; init; } = Settings.Exclude.DefaultValue;

    /// <summary>PerfGateShard: this run judges only the shard's benchmarks; the rest of the baseline belongs to other
    /// shards (neither removed nor re-recorded here). Null: the whole suite.</summary>
    public Sharding.ShardManifest? Shard { get; init; }

    /// <summary>Everything the run was meant to measure ran: no filter, no shard (claims that find nothing are errors then).</summary>
    public bool WholeSuite => Filter.Trim() == "*" && Exclude.Trim().Length == 0 && Shard is null;

    public IReadOnlyList<PerfRule> Rules { get; init; } = Array.Empty<PerfRule>();
    public IReadOnlyList<PerfClaim> Claims { get; init; } = Array.Empty<PerfClaim>();

    /// <summary>The settings that apply to one benchmark: the last matching rule wins for each value.</summary>
    public EffectiveRule For(string benchmarkId)
    {
        var threshold = Threshold;
        var failOn = FailOn;
        var allocation = AllocationThreshold;
        foreach (var rule in Rules.Where(r => Glob.IsMatchItemPattern(r.Pattern, benchmarkId)))
        {
            threshold = rule.Threshold ?? threshold;
            failOn = rule.FailOn ?? failOn;
            allocation = rule.AllocationThreshold ?? allocation;
        }

        return new EffectiveRule(threshold, CriticalThreshold, failOn, allocation);
    }

    /// <summary>Whether this run was meant to measure the benchmark: its filter selects it, PerfGateExclude does not
    /// and, when sharded, the shard owns it.</summary>
    public bool Selects(string benchmarkId) =>
        Running.BenchmarkNames.Selects(Filter, benchmarkId)
        && !Running.BenchmarkNames.Excludes(Exclude, benchmarkId)
        && (Shard is null || Shard.Owns(benchmarkId));

    /// <summary>Whether PerfGateExclude is what left the benchmark out: its filter selects it and an exclude glob
    /// matches it (whatever the shard: no shard plans an excluded benchmark).</summary>
    public bool Excludes(string benchmarkId) =>
        Running.BenchmarkNames.Selects(Filter, benchmarkId) && Running.BenchmarkNames.Excludes(Exclude, benchmarkId);
}

public sealed record EffectiveRule(double Threshold, double CriticalThreshold, Severity FailOn, double AllocationThreshold)
{
    /// <summary>The spec's classes for a relative slowdown (0.12 = 12 % slower).</summary>
    public Severity Classify(double change)
    {
        if (change >= CriticalThreshold)
        {
            return Severity.Critical;
        }

        if (change >= 0.20)
        {
            return Severity.Major;
        }

        if (change >= 0.10)
        {
            return Severity.Minor;
        }

        return Severity.Warning;
    }

    public bool Fails(Severity severity) => FailOn != Severity.None && severity >= FailOn;
}

/// <summary>A <c>PerfGateRule</c> item: per-benchmark overrides.</summary>
public sealed record PerfRule(string Pattern)
{
    public double? Threshold { get; init; }
    public Severity? FailOn { get; init; }
    public double? AllocationThreshold { get; init; }
}

/// <summary>A <c>PerfClaim</c> item: "<see cref="Pattern"/> is at least <see cref="Faster"/>× faster than
/// <see cref="Baseline"/>" and/or "allocates at least <see cref="LessAllocated"/> less", checked within one run.</summary>
public sealed record PerfClaim(string Pattern, string Baseline)
{
    public double? Faster { get; init; }
    public double? LessAllocated { get; init; }

    /// <summary>The project or props file that declares the item, for diagnostics that have no benchmark to point at.</summary>
    public string? DefinedIn { get; init; }

    /// <summary>Human wording of the claim, for messages and reports.</summary>
    public string Description => Pattern + " " + Predicate;

    /// <summary>The claim without its subject: "is at least 1.5× faster than X and allocates at least 40% less than X".</summary>
    public string Predicate
    {
        get
        {
            var parts = new List<string>();
            if (Faster is { } f)
            {
                parts.Add($"is at least {f.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}× faster than {Baseline}");
            }

            if (LessAllocated is { } l)
            {
                parts.Add($"allocates at least {(l * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% less than {Baseline}");
            }

            return string.Join(" and ", parts);
        }
    }
}
