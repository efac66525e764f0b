using System.Collections.Generic;

namespace Lyra.Perf.Engine.Diagnostics;

/// <summary>Every LPG code we ship. A code keeps its meaning forever: users list them in NoWarn.</summary>
public static class DiagnosticCodes
{
    public const string TimeRegression = "LPG0101";
    public const string AllocationRegression = "LPG0102";
    public const string ClaimNotMet = "LPG0103";
    public const string SlowDrift = "LPG0104";
    public const string Improvement = "LPG0105";
    public const string SuiteDrift = "LPG0106";
    public const string MachineShift = "LPG0107";

    public const string BaselineEstablished = "LPG0201";
    public const string BaselineStale = "LPG0202";
    public const string BenchmarkRemoved = "LPG0203";
    public const string BenchmarkNew = "LPG0204";
    public const string EnvironmentDiffers = "LPG0205";
    public const string VerdictUnknown = "LPG0206";
    public const string BaselineWritten = "LPG0207";
    public const string JobSettingNotInEffect = "LPG0210";
    public const string BenchmarkDotNetUnsupported = "LPG0211";
    public const string CoresLacking = "LPG0225";
    public const string MachineBusy = "LPG0226";

    public const string BaselineUnreadable = "LPG0301";
    public const string ResultsUnreadable = "LPG0302";
    public const string BenchmarkFailed = "LPG0303";
    public const string BenchmarkTimedOut = "LPG0304";
    public const string NoBenchmarks = "LPG0305";
    public const string BenchmarkProcessFailed = "LPG0306";
    public const string ReportWriteFailed = "LPG0307";
    public const string HistoryUnreadable = "LPG0308";
    public const string BaselineWriteFailed = "LPG0310";
    public const string UnexpectedFailure = "LPG0311";

    public const string ShardMissing = "LPG0350";
    public const string ShardsInconsistent = "LPG0351";
    public const string ShardsMerged = "LPG0352";
    // A/B mode (PerfGateBaseRef).
    public const string NotAGitRepository = "LPG0330";
    public const string GitNotFound = "LPG0331";
    public const string BaseRefUnresolved = "LPG0332";
    public const string BaseProjectMissing = "LPG0333";
    public const string BaseBuildFailed = "LPG0334";
    public const string BaseNoBenchmarks = "LPG0335";
    public const string BaseWorktreeFailed = "LPG0336";
    public const string AbComparison = "LPG0337";
    public const string InterleavedFallback = "LPG0338";
    public const string InterleavedRunnerFailed = "LPG0339";

    public const string InvalidSetting = "LPG0401";

    /// <summary>Where each code is explained; the anchor is the lower-case code.</summary>
    public const string DocumentationUrl = "https://github.com/lyra-perf/lyra-perf/blob/main/docs/diagnostics.md";

    public static string HelpLink(string code) => DocumentationUrl + "#" + code.ToLowerInvariant();

    /// <summary>Short titles, used for SARIF rule metadata and the summary.</summary>
    public static IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>
    {
        [TimeRegression] = "Time regression",
        [AllocationRegression] = "Allocation regression",
        [ClaimNotMet] = "Optimisation claim not met",
        [SlowDrift] = "Slow drift across the history",
        [Improvement] = "Improvement: refresh the baseline",
        [SuiteDrift] = "The whole suite moved",
        [MachineShift] = "Machine-state shift: time verdicts downgraded",
        [BaselineEstablished] = "No baseline: established now (commit it), or an error where one is required (CI)",
        [BaselineStale] = "Baseline is old",
        [BenchmarkRemoved] = "Baseline benchmark was not run",
        [BenchmarkNew] = "New benchmark, not in the baseline",
        [EnvironmentDiffers] = "Environment differs from the baseline's",
        [VerdictUnknown] = "Verdict unknown: too few or too noisy samples",
        [BaselineWritten] = "Baseline written",
        [JobSettingNotInEffect] = "A job setting was not in effect: not honoured, not recorded",
        [BenchmarkDotNetUnsupported] = "BenchmarkDotNet version outside the supported range",
        [CoresLacking] = "The machine lacked cores for multi-threaded benchmarks: their time verdicts and claims not judged",
        [MachineBusy] = "The machine was busy during the run: time verdicts against the stored baseline judged relative to the suite",
        [BaselineUnreadable] = "Baseline unreadable",
        [ResultsUnreadable] = "Benchmark results unreadable",
        [BenchmarkFailed] = "Benchmark failed",
        [BenchmarkTimedOut] = "Benchmark process timed out",
        [NoBenchmarks] = "No benchmarks found",
        [BenchmarkProcessFailed] = "Benchmark process failed",
        [ReportWriteFailed] = "Report or history could not be written",
        [HistoryUnreadable] = "History line unreadable",
        [BaselineWriteFailed] = "Baseline could not be written",
        [UnexpectedFailure] = "Unexpected failure inside Lyra.Perf",
        [ShardMissing] = "A shard is missing from the merged results",
        [ShardsInconsistent] = "The merged shards do not fit together",
        [ShardsMerged] = "Shards merged",
        [NotAGitRepository] = "A/B: not a git repository",
        [GitNotFound] = "A/B: git is not on PATH",
        [BaseRefUnresolved] = "A/B: the base ref does not resolve",
        [BaseProjectMissing] = "A/B: the project does not exist at the base commit",
        [BaseBuildFailed] = "A/B: the base build failed",
        [BaseNoBenchmarks] = "A/B: the base has no benchmarks",
        [BaseWorktreeFailed] = "A/B: the base worktree could not be prepared",
        [AbComparison] = "A/B comparison against the base commit",
        [InterleavedFallback] = "A/B: measured in alternated launches instead of interleaved",
        [InterleavedRunnerFailed] = "A/B: the in-process runner failed",
        [InvalidSetting] = "Invalid property or item value",
    };
}
