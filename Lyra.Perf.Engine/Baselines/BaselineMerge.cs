using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Baselines;

/// <summary>Recording a run into a baseline, as a pure function: no files (BaselineSerializer reads and writes them).</summary>
public static class BaselineMerge
{
    /// <summary>The baseline after recording <paramref name="run"/>: benchmarks the run was not meant to measure keep their
    /// entries; a failed benchmark keeps its old entry (LPG0303); with <paramref name="keepRuns"/> above 1 and the same
    /// environment, this run's launches join the earlier ones and only the newest runs are kept (launches identical to
    /// recorded ones are not added twice, counted in <paramref name="repeated"/>); otherwise they replace them.</summary>
    public static Baseline Merge(Baseline? existing, RunResult run, Func<string, bool> selects, int keepRuns, DateTimeOffset now, string? tool, string? commit, string baselinePath, List<GateDiagnostic> diagnostics, out int repeated)
    {
        repeated = 0;
        // Several recording runs are kept only among runs of one environment: runs from different machines would
        // pass off the machines' difference as run-to-run noise.
        var accumulate = keepRuns > 1 && existing is not null;
        if (accumulate && existing!.Environment.Differences(run.Environment) is { Count: > 0 } differences)
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.EnvironmentDiffers, DiagnosticLevel.Warning,
                $"The baseline's runs were recorded in a different environment ({string.Join("; ", differences)}), so this run replaces them instead of joining them (PerfGateBaselineRuns={keepRuns}).")
            { File = baselinePath, Line = 1, Column = 1 });
            accumulate = false;
        }

        var session = keepRuns > 1 ? BaselineSerializer.Timestamp(now) : null;
        var entries = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
        if (existing is not null)
        {
            foreach (var pair in existing.Benchmarks.Where(p => !selects(p.Key)))
            {
                entries[pair.Key] = pair.Value;
            }
        }

        foreach (var benchmark in run.Benchmarks)
        {
            if (benchmark.Failed)
            {
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkFailed, DiagnosticLevel.Error,
                    $"Benchmark {benchmark.Id} failed: {benchmark.Failure}. It was not recorded in the baseline.") { BenchmarkId = benchmark.Id });
                if (existing is not null && existing.Benchmarks.TryGetValue(benchmark.Id, out var kept))
                {
                    entries[benchmark.Id] = kept;
                }

                continue;
            }

            var launches = benchmark.Launches.Select(l => l with { Session = session }).ToList();
            if (accumulate && existing!.Benchmarks.TryGetValue(benchmark.Id, out var previous))
            {
                // The same results recorded twice (a PerfGateResults folder) would pose as a second, identical run.
                var earlier = previous.Measurement.Launches.Select(l => l with { Session = l.Session ?? BaselineSerializer.Timestamp(existing.RecordedAt) }).ToList();
                var fresh = launches.Where(l => !earlier.Any(e => BaselineSerializer.SameAsWritten(e.Samples, l.Samples))).ToList();
                repeated += launches.Count - fresh.Count;
                launches = KeepNewestRuns(earlier.Concat(fresh), keepRuns);
            }

            entries[benchmark.Id] = new BaselineEntry { Measurement = benchmark with { Launches = launches } };
        }

        return new Baseline
        {
            Tool = tool,
            RecordedAt = now,
            Commit = commit,
            Environment = KeptJobs(existing, run.Environment, selects),
            Benchmarks = entries,
        };
    }

    /// <summary>The run's fingerprint; when entries of the existing baseline were kept (a filtered or sharded recording) on
    /// the same machine, their jobs stay in it too, so the whole suite's next run is not "another environment".</summary>
    private static RunEnvironment KeptJobs(Baseline? existing, RunEnvironment run, Func<string, bool> selects)
    {
        if (existing is null || !existing.Benchmarks.Keys.Any(k => !selects(k)) || existing.Environment with { Job = run.Job } != run)
        {
            return run;
        }

        return run with { Job = RunEnvironment.JoinJobs(RunEnvironment.SplitJobs(existing.Environment.Job).Concat(RunEnvironment.SplitJobs(run.Job))) };
    }

    /// <summary>The launches of the newest <paramref name="runs"/> recording runs (runs are named by their ISO 8601 time).</summary>
    public static List<LaunchMeasurement> KeepNewestRuns(IEnumerable<LaunchMeasurement> launches, int runs)
    {
        var list = launches.ToList();
        var keep = new HashSet<string>(
            list.Select(l => l.Session!).Distinct(StringComparer.Ordinal).OrderByDescending(s => s, StringComparer.Ordinal).Take(runs),
            StringComparer.Ordinal);
        return list.Where(l => keep.Contains(l.Session!)).ToList();
    }
}
