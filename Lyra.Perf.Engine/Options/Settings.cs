using System;
using System.Collections.Generic;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Options;

/// <summary>One MSBuild property of the gate: its name, the default Sdk.targets gives it, and what it means.</summary>
public class SettingDefinition
{
    public SettingDefinition(string name, string? @default, string meaning)
    {
        Name = name;
        Default = @default;
        Meaning = meaning;
    }

    /// <summary>The property, e.g. PerfGateThreshold.</summary>
    public string Name { get; }

    /// <summary>The value Sdk.targets sets when the user sets none; null where Sdk.targets computes it from the project
    /// (paths next to the project, the CI detection of PerfGateRequireBaseline is a condition on the same literal).</summary>
    public string? Default { get; }

    /// <summary>One line for the README's configuration table.</summary>
    public string Meaning { get; }
}

/// <summary>A setting with its parser and range: the tasks pass the raw MSBuild string, an empty one means the default.</summary>
public sealed class Setting<T> : SettingDefinition
{
    private readonly Func<string, string, T> _parse;

    public Setting(string name, string? @default, string meaning, Func<string, string, T> parse)
        : base(name, @default, meaning) => _parse = parse;

    /// <summary>The value of <paramref name="raw"/>; blank means the default. A bad value is LPG0401 naming the property.</summary>
    public T Parse(string? raw) => _parse(Name, string.IsNullOrWhiteSpace(raw) ? Default ?? "" : raw!.Trim());

    public T DefaultValue => Parse(null);
}

/// <summary>
/// Every PerfGate* property, defined once. Sdk.targets sets the same defaults for the user to read (a test proves they
/// agree, with the README's configuration table and the docs); the tasks take the raw strings and parse them here; the
/// engine's own defaults (<see cref="GateOptions"/>) come from here.
/// </summary>
public static class Settings
{
    private static string Text(string name, string value) => value;

    public static readonly Setting<string> BaselineFile = new("PerfGateBaselineFile", null, "the committed baseline (`perf-baseline.json` next to the project)", Text);
    public static readonly Setting<double> Threshold = new("PerfGateThreshold", "5%", "smallest slowdown that counts", (n, t) => SettingParser.Percent(n, t, max: 1000));
    public static readonly Setting<double> CriticalThreshold = new("PerfGateCriticalThreshold", "50%", "start of Critical", (n, t) => SettingParser.Percent(n, t, max: 100000));
    public static readonly Setting<Severity> FailOn = new("PerfGateFailOn", "Major", "lowest severity that is an error", SettingParser.FailOn);
    public static readonly Setting<double> AllocationThreshold = new("PerfGateAllocationThreshold", "0%", "allowed growth of allocated bytes/op beyond the measurement jitter", (n, t) => SettingParser.Percent(n, t, max: 100000));
    public static readonly Setting<int> BaselineMaxAgeDays = new("PerfGateBaselineMaxAgeDays", "30", "older baseline: warning to refresh", (n, t) => SettingParser.WholeNumber(n, t, 0, 100000));
    public static readonly Setting<int> HistoryLimit = new("PerfGateHistoryLimit", "1000", "runs kept in the history", (n, t) => SettingParser.WholeNumber(n, t, 1, 1_000_000));
    public static readonly Setting<int> BaselineRuns = new("PerfGateBaselineRuns", "1", "recording runs the baseline keeps per benchmark", (n, t) => SettingParser.WholeNumber(n, t, 1, 100));
    public static readonly Setting<bool> Enabled = new("PerfGateEnabled", "true", "false: run and report, never warn or fail", SettingParser.Boolean);
    public static readonly Setting<string> Filter = new("PerfGateFilter", "*", "BenchmarkDotNet filter globs (;-separated)", Text);
    public static readonly Setting<string> Exclude = new("PerfGateExclude", "", "BenchmarkDotNet filter globs (;-separated) of benchmarks not to run here: not run, not reported as removed, listed once", Text);
    public static readonly Setting<string> Job = new("PerfGateJob", "Gate", "Gate (declared class jobs left out), Declared (they run too) or a BenchmarkDotNet job: Short, Medium, Long, Default", (n, t) => BenchmarkArguments.Validate(t));
    public static readonly Setting<int> Launches = new("PerfGateLaunches", "5", "separate processes per benchmark", (n, t) => SettingParser.WholeNumber(n, t, 1, 100));
    public static readonly Setting<int> WarmupCount = new("PerfGateWarmupCount", "8", "the Gate job's warm-up iterations", (n, t) => SettingParser.WholeNumber(n, t, 1, 1000));
    public static readonly Setting<int> IterationCount = new("PerfGateIterationCount", "10", "the Gate job's measured iterations", (n, t) => SettingParser.WholeNumber(n, t, 3, 1000));
    public static readonly Setting<int> IterationTime = new("PerfGateIterationTime", "100", "the Gate job's iteration time (ms)", (n, t) => SettingParser.WholeNumber(n, t, 1, 60000));
    public static readonly Setting<int> Timeout = new("PerfGateTimeout", "1800", "seconds before a benchmark process is killed with its tree", (n, t) => SettingParser.WholeNumber(n, t, 1, 7 * 24 * 3600));
    public static readonly Setting<string> Results = new("PerfGateResults", "", "folder of BenchmarkDotNet results made elsewhere: compare without running", Text);
    public static readonly Setting<string> Shard = new("PerfGateShard", "", "K/N: run and judge only shard K of N", Text);
    public static readonly Setting<string> BaseRef = new("PerfGateBaseRef", "", "a git ref: A/B mode against that commit, both builds measured in alternating launches", Text);
    public static readonly Setting<string> AbScheme = new("PerfGateAbScheme", AbSchemes.Interleaved, "A/B mode: `interleaved` (both builds loaded side by side in one runner process, iterations alternated) or `processes` (whole-suite processes alternated per launch)", AbSchemes.Parse);
    public static readonly Setting<bool> ConfirmRegressions = new("PerfGateConfirmRegressions", "true", "re-run only the flagged benchmarks before a regression becomes an error", SettingParser.Boolean);
    public static readonly Setting<bool> StrictEnvironment = new("PerfGateStrictEnvironment", "false", "true: a different machine/runtime than the baseline's still fails the build", SettingParser.Boolean);
    public static readonly Setting<bool> RequireBaseline = new("PerfGateRequireBaseline", "false", "a missing baseline is an error (true on CI)", SettingParser.Boolean);
    public static readonly Setting<string> ReportDirectory = new("PerfGateReportDirectory", null, "where reports go (bin/lyra-perf/)", Text);
    public static readonly Setting<string> HistoryFile = new("PerfGateHistoryFile", null, "the run history (JSON Lines)", Text);
    public static readonly Setting<string> ArtifactsDirectory = new("PerfGateArtifactsDirectory", null, "BenchmarkDotNet's results, one folder per launch (obj/lyra-perf/)", Text);
    public static readonly Setting<string> RunArguments = new("PerfGateRunArguments", "", "extra arguments for BenchmarkDotNet", Text);
    public static readonly Setting<bool> AddBenchmarkDotNet = new("PerfGateAddBenchmarkDotNet", "true", "the SDK adds the BenchmarkDotNet reference", SettingParser.Boolean);
    public static readonly Setting<string> BenchmarkDotNetVersion = new("PerfGateBenchmarkDotNetVersion", "0.15.8", "the BenchmarkDotNet version the SDK adds", Text);
    public static readonly Setting<string> GenerateEntryPoint = new("PerfGateGenerateEntryPoint", "", "empty: detect; true/false force the SDK's entry point", Text);
    public static readonly Setting<string> TargetFramework = new("PerfGateTargetFramework", "", "the framework a multi-targeted project is gated on", Text);

    /// <summary>Every setting, in the README's order.</summary>
    public static IReadOnlyList<SettingDefinition> All { get; } = new SettingDefinition[]
    {
        BaselineFile, Threshold, CriticalThreshold, FailOn, AllocationThreshold, BaselineMaxAgeDays, HistoryLimit, BaselineRuns,
        Enabled, Filter, Exclude, Job, Launches, WarmupCount, IterationCount, IterationTime, Timeout, Results, Shard, BaseRef, AbScheme, ConfirmRegressions,
        StrictEnvironment, RequireBaseline, ReportDirectory, HistoryFile, ArtifactsDirectory, RunArguments, AddBenchmarkDotNet,
        BenchmarkDotNetVersion, GenerateEntryPoint, TargetFramework,
    };
}

/// <summary>PerfGateAbScheme's values, and how long the in-process runner measures each benchmark.</summary>
public static class AbSchemes
{
    /// <summary>Both builds loaded side by side in one runner process (Lyra.Perf.AbRunner), iterations alternated.</summary>
    public const string Interleaved = "interleaved";

    /// <summary>Whole-suite BenchmarkDotNet processes, alternated per launch (A B, B A, …).</summary>
    public const string Processes = "processes";

    public static string Parse(string name, string text) =>
        string.Equals(text, Interleaved, StringComparison.OrdinalIgnoreCase) ? Interleaved
        : string.Equals(text, Processes, StringComparison.OrdinalIgnoreCase) ? Processes
        : throw SettingParser.Invalid(name, text, $"'{Interleaved}' or '{Processes}'");

    /// <summary>
    /// The in-process runner's time for one benchmark, both sides together, warm-up included: twice what the gate's job
    /// gives one side over all its launches, launches × (warm-up + measured iterations) × iteration time. Each side so
    /// gets the measuring time a stored-baseline gate gives its one side, and the A/B run's benchmark time stays
    /// about 2× a stored gate's (less, as the runner has no per-launch process start), within the 2.2×.
    /// </summary>
    public static double SecondsPerBenchmark(int launches, int warmupCount, int iterationCount, int iterationTimeMs) =>
        2.0 * launches * (warmupCount + iterationCount) * iterationTimeMs / 1000.0;

    /// <summary>
    /// Runner processes per interleaved run, each with half of <see cref="SecondsPerBenchmark"/>: the first sets up,
    /// compiles and runs the current build first, the second the base build. In one process the side compiled first
    /// measured ~5 % slower on a layout-sensitive benchmark (SortMixed, one build loaded as both sides: 1.047 and 1.048
    /// one way, 0.959 and 0.960 the other, 2026-12-02), so only both orders together cancel it.
    /// </summary>
    public const int InterleavedPasses = 2;
}
