using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Vcs;

namespace Lyra.Perf.Engine.Comparison;

/// <summary>The two commits of an A/B run: the base (PerfGateBaseRef) and the current side (the working tree at its HEAD).</summary>
public sealed record AbSides(CommitInfo? Base, CommitInfo? Current)
{
    /// <summary>How the two sides were measured, as the results show it (<see cref="AbComparison.SchemeOf"/>):
    /// "interleaved in one process", "launches alternated", or both with the count of each.</summary>
    public string Scheme { get; init; } = AbComparison.ProcessesText;

    /// <summary>"A/B: 1a2b3c4 "subject" (current) against 5d6e7f8 "subject" (base), interleaved in one process".</summary>
    public string Describe() =>
        $"A/B: {Current?.ToString() ?? "the working tree"} (current) against {Base?.ToString() ?? "the base commit"} (base), {Scheme}";

    public string BaseName => Base is null ? "the base commit" : "the base commit " + Base.ShortSha;
}

/// <summary>How an A/B run's results become the judge's input: both sides read with their launch slots, the base
/// side standing in for the baseline (in memory only: the committed baseline is neither needed nor touched).</summary>
public static class AbComparison
{
    /// <summary>The scheme's words in every report (<see cref="AbSides.Describe"/>).</summary>
    public const string InterleavedText = "interleaved in one process";

    public const string ProcessesText = "launches alternated";

    /// <summary>How the current side's benchmarks were measured: units of the in-process runner ("unit-k" slots),
    /// process launches ("run-k"), or some of each (those the runner left to processes, LPG0338).</summary>
    public static string SchemeOf(RunResult current)
    {
        bool Interleaved(BenchmarkMeasurement b) => MeasuringUnit.Of(b) == MeasuringUnit.Unit;
        var interleaved = current.Benchmarks.Count(Interleaved);
        var processes = current.Benchmarks.Count - interleaved;
        return interleaved == 0 ? ProcessesText
            : processes == 0 ? InterleavedText
            : $"{InterleavedText} ({interleaved} benchmark(s); {processes} in alternated launches)";
    }

    /// <summary>Reads one side's results: the launch folders, each launch stamped with its folder's name as its slot,
    /// and the in-process runner's file (<see cref="InterleavedResults"/>) where a folder holds one, each unit its own
    /// slot; a benchmark measured both ways (not done by the gate) keeps the launches of both.</summary>
    public static RunResult? IngestSide(IReadOnlyList<string> directories, List<GateDiagnostic> diagnostics, out int reports, bool isBase = false)
    {
        var slotOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var interleaved = new List<RunResult>();
        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
        {
            if (InterleavedResults.Find(directory) is { } file)
            {
                try
                {
                    interleaved.Add(InterleavedResults.ToRun(InterleavedResults.Read(file), isBase, file));
                }
                catch (GateException ex) when (!isBase)
                {
                    // Said once, by the current side's ingest (the base side reads the same file).
                    diagnostics.Add(ex.Diagnostic);
                }
                catch (GateException)
                {
                }
            }

            var slot = Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            foreach (var report in BenchmarkDotNetReader.FindReports(directory))
            {
                if (!slotOf.ContainsKey(report))
                {
                    slotOf[report] = slot;
                }
            }
        }

        reports = slotOf.Count + interleaved.Count;
        var (run, problems) = slotOf.Count == 0 ? (new RunResult(), Array.Empty<GateDiagnostic>()) : BenchmarkDotNetReader.ReadFiles(slotOf.Keys.ToList());
        diagnostics.AddRange(problems);
        var benchmarks = run.Benchmarks
            .Select(b => b with { Launches = b.Launches.Select(l => l with { Slot = l.SourceFile is { } f && slotOf.TryGetValue(f, out var s) ? s : null }).ToList() })
            .ToList();
        if (interleaved.Count > 0)
        {
            var byId = benchmarks.Select((b, i) => (b.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
            foreach (var benchmark in interleaved.SelectMany(r => r.Benchmarks))
            {
                if (byId.TryGetValue(benchmark.Id, out var i))
                {
                    var existing = benchmarks[i];
                    benchmarks[i] = existing with
                    {
                        Launches = existing.Launches.Concat(benchmark.Launches).ToList(),
                        Failure = existing.Failure ?? benchmark.Failure,
                    };
                }
                else
                {
                    byId[benchmark.Id] = benchmarks.Count;
                    benchmarks.Add(benchmark);
                }
            }

            // The launches' environment where processes ran (BenchmarkDotNet's description of it), else the runner's.
            run = run with { Environment = slotOf.Count > 0 && run.Benchmarks.Count > 0 ? run.Environment : interleaved[0].Environment };
        }

        if (benchmarks.Count == 0)
        {
            diagnostics.Add(isBase
                ? new GateDiagnostic(DiagnosticCodes.BaseNoBenchmarks, DiagnosticLevel.Error,
                    $"The base commit's build ran no benchmarks (no BenchmarkDotNet results in {string.Join(", ", directories)}): at that commit the project has no [Benchmark] methods that PerfGateFilter selects, or its Main ignores args. Choose a later base (PerfGateBaseRef), or gate against the committed baseline without PerfGateBaseRef.")
                : new GateDiagnostic(DiagnosticCodes.NoBenchmarks, DiagnosticLevel.Error,
                    $"No BenchmarkDotNet results (*-report-full.json) were found in {string.Join(", ", directories)}. Check that the project has [Benchmark] methods that PerfGateFilter selects, and that its Main passes args to BenchmarkSwitcher (or let the SDK supply the entry point)."));
            return null;
        }

        return run with { Benchmarks = benchmarks };
    }

    public static RunResult? IngestBase(GateRequest request, List<GateDiagnostic> diagnostics) =>
        IngestSide(request.BaseResultsDirectories, diagnostics, out _, isBase: true);

    /// <summary>The base side as the reference the gate compares with. A benchmark that failed at the base is left
    /// out (the change's is then New) and said so.</summary>
    public static Baseline AsBaseline(RunResult baseRun, GateRequest request, List<GateDiagnostic> diagnostics)
    {
        var entries = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
        foreach (var benchmark in baseRun.Benchmarks)
        {
            if (benchmark.Failed)
            {
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkFailed, DiagnosticLevel.Warning,
                    $"Benchmark {benchmark.Id} failed at {request.AbSides?.BaseName ?? "the base commit"}: {benchmark.Failure}. The change's result has nothing to be compared with (New).")
                { BenchmarkId = benchmark.Id, File = request.BaselinePath });
                continue;
            }

            entries[benchmark.Id] = new BaselineEntry { Measurement = benchmark };
        }

        return new Baseline
        {
            RecordedAt = request.Now,
            Commit = request.AbSides?.Base?.Sha,
            Tool = GateRunner.ToolName,
            Environment = baseRun.Environment,
            Benchmarks = entries,
        };
    }

    /// <summary>The paired judge with the options' family and noise-floor settings (invalid ones: the defaults).</summary>
    public static ITimeJudge Judge(GateOptions options)
    {
        var defaults = new StatisticalJudgeSettings();
        return new PairedTimeJudge(defaults with
        {
            FalseDiscoveryRate = options.FalseDiscoveryRate is > 0 and < 1 ? options.FalseDiscoveryRate : defaults.FalseDiscoveryRate,
            NoiseFloorNanoseconds = options.NoiseFloorNanoseconds >= 0 && !double.IsInfinity(options.NoiseFloorNanoseconds) ? options.NoiseFloorNanoseconds : defaults.NoiseFloorNanoseconds,
        });
    }
}
