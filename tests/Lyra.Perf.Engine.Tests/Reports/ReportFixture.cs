using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>A gate run with every outcome, a hostile benchmark name and a history, for the report tests.</summary>
internal static class ReportFixture
{
    public const string HostileParameter = "<script>document.title='PWNED';window.pwned=1</script>|**x**";
    public static readonly string HostileId = $"Lyra.Core.Benchmarks.Strings.Parse(text: \"{HostileParameter}\")";
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static ReportContext Create(string? sourceFile = null)
    {
        var source = sourceFile ?? "/repo/samples/Lyra.Core.Benchmarks/Strings.cs";
        var environment = new RunEnvironment { Os = "Linux", Cpu = "Test CPU @ 2.0GHz", LogicalCores = 2, Runtime = ".NET 10.0.0", Architecture = "X64", BenchmarkDotNetVersion = "0.15.8", Job = "Gate" };
        var ids = new[]
        {
            "Lyra.Core.Benchmarks.Symbols.Intern(N: 1024)",
            "Lyra.Core.Benchmarks.Symbols.Lookup",
            HostileId,
            "Lyra.Core.Benchmarks.Pool.Rent",
            "Lyra.Core.Benchmarks.Cache.Get",
            "Lyra.Core.Benchmarks.Cache.New",
        };

        var run = new RunResult
        {
            Environment = environment,
            Benchmarks = ids.Select((id, i) => Measurement(id, 100 * (i + 1), i == 3 ? 1048 : 24, failed: id.EndsWith("Rent", StringComparison.Ordinal))).ToList(),
        };

        var verdicts = new List<BenchmarkVerdict>
        {
            new(ids[0], Outcome.Regressed)
            {
                Decision = new Decision(Severity.Major, true, "Major time regression, fails the build (PerfGateFailOn=Major)") { ErrorCodes = new[] { DiagnosticCodes.TimeRegression }, NeedsConfirmation = true },
                BaselineNanoseconds = 80, CurrentNanoseconds = 100,
                Time = new TimeJudgement(TimeOutcome.Slower, 1.25) { RatioLower = 1.18, RatioUpper = 1.33, Confidence = 0.998, Method = "Mann-Whitney on launches" },
                BaselineAllocatedBytes = 24, CurrentAllocatedBytes = 24, BaselineLaunches = 5, CurrentLaunches = 5,
            },
            new(ids[1], Outcome.Unchanged)
            {
                BaselineNanoseconds = 200, CurrentNanoseconds = 203, Time = new TimeJudgement(TimeOutcome.Same, 1.015) { RatioLower = 0.97, RatioUpper = 1.06, Confidence = 0.4 },
                BaselineAllocatedBytes = 0, CurrentAllocatedBytes = 0, BaselineLaunches = 5, CurrentLaunches = 5,
            },
            new(HostileId, Outcome.Regressed)
            {
                Decision = new Decision(Severity.Minor, false, "Minor time regression, below PerfGateFailOn=Major; Critical allocation regression, a warning in this fixture"),
                BaselineNanoseconds = 270, CurrentNanoseconds = 300, Time = new TimeJudgement(TimeOutcome.Slower, 1.11) { RatioLower = 1.04, RatioUpper = 1.2, Confidence = 0.97 },
                BaselineAllocatedBytes = 24, CurrentAllocatedBytes = 48, Allocation = new AllocationJudgement(24, 48, true, false) { Severity = Severity.Critical },
                BaselineLaunches = 5, CurrentLaunches = 5,
            },
            new(ids[3], Outcome.Failed) { Decision = new Decision(Severity.None, true, "the benchmark failed") { ErrorCodes = new[] { DiagnosticCodes.BenchmarkFailed } }, Detail = "threw InvalidOperationException: pool <exhausted>" },
            new(ids[4], Outcome.Improved)
            {
                BaselineNanoseconds = 700, CurrentNanoseconds = 500, Time = new TimeJudgement(TimeOutcome.Faster, 0.714) { RatioLower = 0.68, RatioUpper = 0.75, Confidence = 0.999 },
                BaselineAllocatedBytes = 24, CurrentAllocatedBytes = 24, BaselineLaunches = 5, CurrentLaunches = 5,
            },
            new(ids[5], Outcome.New) { CurrentNanoseconds = 600, CurrentAllocatedBytes = 24, CurrentLaunches = 5 },
            new("Lyra.Core.Benchmarks.Old.Gone", Outcome.Removed) { BaselineNanoseconds = 50, BaselineLaunches = 5 },
        };

        var diagnostics = new List<GateDiagnostic>
        {
            new(DiagnosticCodes.TimeRegression, DiagnosticLevel.Error, $"Major time regression in {ids[0]}: 80.0 ns → 100.0 ns (+25.0%).") { BenchmarkId = ids[0], File = source, Line = 12, Column = 17 },
            new(DiagnosticCodes.TimeRegression, DiagnosticLevel.Warning, $"Minor time regression in {HostileId}.") { BenchmarkId = HostileId, File = source, Line = 30, Column = 9 },
            new(DiagnosticCodes.AllocationRegression, DiagnosticLevel.Warning, $"Critical allocation regression in {HostileId}: 24 B → 48 B.") { BenchmarkId = HostileId, File = source, Line = 30, Column = 9 },
            new(DiagnosticCodes.BenchmarkFailed, DiagnosticLevel.Error, $"Benchmark {ids[3]} failed: threw.") { BenchmarkId = ids[3], File = "/repo/perf-baseline.json", Line = 40, Column = 5 },
            new(DiagnosticCodes.Improvement, DiagnosticLevel.Message, $"{ids[4]} improved.") { BenchmarkId = ids[4] },
            new(DiagnosticCodes.BenchmarkNew, DiagnosticLevel.Warning, $"Benchmark {ids[5]} is new.") { BenchmarkId = ids[5], File = "/repo/perf-baseline.json" },
            new(DiagnosticCodes.BenchmarkRemoved, DiagnosticLevel.Warning, "Benchmark Lyra.Core.Benchmarks.Old.Gone was not run.") { BenchmarkId = "Lyra.Core.Benchmarks.Old.Gone", File = "/repo/perf-baseline.json", Line = 60, Column = 5 },
            new(DiagnosticCodes.ClaimNotMet, DiagnosticLevel.Error, "Claim not met: *.Intern* is at least 1.2× faster than *.Lookup.") { File = source, Line = 12, Column = 17 },
        };

        var claim = new PerfClaim("*.Intern*", "*.Lookup") { Faster = 1.2 };
        var claims = new List<ClaimResult>
        {
            new(claim, ids[0], ids[1], false, "measured 2.03× faster (needed 1.2×)… no wait: 0.5× <slower>") { Fails = true, MeasuredSpeedup = 0.5 },
            new(new PerfClaim("*.Get", "*.New") { LessAllocated = 0.4 }, ids[4], ids[5], true, "allocates 50% less") { MeasuredAllocationReduction = 0.5 },
        };

        var history = Enumerable.Range(0, 10).Select(i => new HistoryRecord
        {
            Time = Now.AddDays(-10 + i),
            Commit = "c" + i,
            Environment = environment,
            Benchmarks = ids.Select((id, k) => new HistoryBenchmark(id) { TypicalNanoseconds = 100 * (k + 1) * (0.8 + 0.02 * i), AllocatedBytesPerOperation = 24, Outcome = Outcome.Unchanged }).ToList(),
        }).ToList();

        return new ReportContext
        {
            Result = GatePolicy.Conclude(new GateResult { Verdicts = verdicts, Claims = claims, Diagnostics = diagnostics, EnvironmentDifferences = new[] { "runtime: '.NET 10.0.0' → '.NET 10.0.1'" } }, enabled: true),
            Run = run,
            Baseline = new Baseline { RecordedAt = Now.AddDays(-3), Commit = "base123", Environment = environment },
            BaselinePath = "/repo/perf-baseline.json",
            History = history,
            Options = new GateOptions(),
            Time = Now,
            Commit = "abc1234",
            ProjectName = "Lyra.Core.Benchmarks",
            SourceRoot = "/repo",
            ToolVersion = "1.0.0",
        };
    }

    private static BenchmarkMeasurement Measurement(string id, double ns, double bytes, bool failed)
    {
        var method = id.Split('(')[0];
        var lastDot = method.LastIndexOf('.');
        var typeFull = method.Substring(0, lastDot);
        var typeDot = typeFull.LastIndexOf('.');
        return new BenchmarkMeasurement
        {
            Id = id,
            Namespace = typeFull.Substring(0, typeDot),
            Type = typeFull.Substring(typeDot + 1),
            Method = method.Substring(lastDot + 1),
            Parameters = id.Contains('(') ? id.Substring(id.IndexOf('(') + 1).TrimEnd(')') : null,
            Failure = failed ? "threw" : null,
            Launches = failed ? Array.Empty<LaunchMeasurement>() : Enumerable.Range(0, 5).Select(l => new LaunchMeasurement { Samples = new[] { ns * 0.98, ns, ns * 1.02 }, AllocatedBytesPerOperation = bytes }).ToList(),
        };
    }

    /// <summary>The repository root (the folder holding docs/perf-report.schema.json).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "docs", "perf-report.schema.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("docs/perf-report.schema.json not found above " + AppContext.BaseDirectory);
    }
}
