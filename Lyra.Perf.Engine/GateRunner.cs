using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Comparison;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;
using Lyra.Perf.Engine.Running;
using Lyra.Perf.Engine.Sources;
using Lyra.Perf.Engine.Vcs;

namespace Lyra.Perf.Engine;

/// <summary>What the MSBuild layer asks of the engine.</summary>
public sealed record GateRequest
{
    public IReadOnlyList<string> ResultsDirectories { get; init; } = Array.Empty<string>();
    public string BaselinePath { get; init; } = "";
    public string ProjectDirectory { get; init; } = "";
    public string ProjectName { get; init; } = "";

    /// <summary>The project file; in A/B mode, where run-level diagnostics point (there is no baseline file).</summary>
    public string? ProjectFile { get; init; }
    public GateOptions Options { get; init; } = new();
    public string? ReportDirectory { get; init; }
    public string? HistoryFile { get; init; }
    public int HistoryLimit { get; init; } = Settings.HistoryLimit.DefaultValue;

    /// <summary>Recording runs a baseline keeps per benchmark (PerfGateBaselineRuns): 1 = PerfBaseline replaces a
    /// benchmark's launches; more = it adds this run's launches and drops the oldest runs beyond the count, so the
    /// baseline shows how much whole runs differ, not only launches of one run.</summary>
    public int BaselineRuns { get; init; } = Settings.BaselineRuns.DefaultValue;

    public string? BenchmarkAssembly { get; init; }
    public bool Preliminary { get; init; }

    /// <summary>False when re-rendering reports from earlier results (-t:PerfReport): the run is already in the history.</summary>
    public bool AppendHistory { get; init; } = true;

    /// <summary>PerfGateRequireBaseline: a missing baseline is error LPG0201 instead of being established (on CI by default).</summary>
    public bool RequireBaseline { get; init; }

    /// <summary>Whether MSBuild logs a warning of this code as an error for this project (WarningsAsErrors,
    /// -warnaserror: IBuildEngine8.ShouldTreatWarningAsError); the decision and every report follow it.</summary>
    public Func<string, bool>? TreatsWarningAsError { get; init; }

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>A/B mode (PerfGateBaseRef): the base commit's results, one folder per launch named like the
    /// current side's (run-1, confirm-1, …), so each launch pairs with the other side's launch of the same name.
    /// Empty: judge against the committed baseline.</summary>
    public IReadOnlyList<string> BaseResultsDirectories { get; init; } = Array.Empty<string>();

    /// <summary>A/B mode: the two commits, for the reports.</summary>
    public AbSides? AbSides { get; init; }

    /// <summary>Called after each step of a gate pass with the step's name and duration (<see cref="StageTimer"/>);
    /// null: nothing is timed.</summary>
    public Action<string, TimeSpan>? OnStage { get; init; }
}

/// <summary>What the MSBuild layer logs and returns.</summary>
public sealed record GateOutcome
{
    public IReadOnlyList<GateDiagnostic> Diagnostics { get; init; } = Array.Empty<GateDiagnostic>();
    public IReadOnlyList<string> Summary { get; init; } = Array.Empty<string>();

    /// <summary>BenchmarkDotNet filters for the benchmarks to re-run before the verdict is final.</summary>
    public IReadOnlyList<string> ToConfirm { get; init; } = Array.Empty<string>();

    public GateResult? Result { get; init; }

    /// <summary>The run's decision; the task's return value is its negation.</summary>
    public RunDecision Decision { get; init; } = RunDecision.Passed;

    public bool Fails => Decision.Fails;
}

/// <summary>run → ingest → compare → judge → report, as one call per gate pass.</summary>
public static class GateRunner
{
    public static string ToolName => "Lyra.Perf " + typeof(GateRunner).Assembly.GetName().Version?.ToString(3);

    public static GateOutcome Gate(GateRequest request)
    {
        var outcome = GateUnplaced(request, out var run);
        return Placed(outcome, run, request);
    }

    /// <summary>Writes the baseline from the results: all of it, or only what the filter selects (the rest is kept).</summary>
    public static GateOutcome RecordBaseline(GateRequest request)
    {
        var outcome = RecordBaselineUnplaced(request, out var run);
        return Placed(outcome, run, request);
    }

    /// <summary>Every diagnostic points somewhere the user can open: one about a benchmark at its source (the PDB), any
    /// other without a file at the project — never at the SDK's targets file, where MSBuild puts a task's events by default.</summary>
    private static GateOutcome Placed(GateOutcome outcome, RunResult? run, GateRequest request) =>
        outcome with { Diagnostics = Place(outcome.Diagnostics, run, request) };

    private static IReadOnlyList<GateDiagnostic> Place(IReadOnlyList<GateDiagnostic> diagnostics, RunResult? run, GateRequest request)
    {
        if (diagnostics.All(d => d.File is not null))
        {
            return diagnostics;
        }

        PdbSourceLocator? locator = null;
        Func<string, SourceLocation?>? locate = null;
        try
        {
            GateDiagnostic One(GateDiagnostic d)
            {
                if (d.File is not null)
                {
                    return d;
                }

                if (d.BenchmarkId is { } id && request.BenchmarkAssembly is { } assembly && run is not null)
                {
                    if (locate is null)
                    {
                        locator = PdbSourceLocator.TryOpen(assembly);
                        locate = locator is null ? _ => null : locator.CreateLookup(run);
                    }

                    if (locate(id) is { } location)
                    {
                        return d.At(location);
                    }
                }

                return request.ProjectFile is { } project ? d with { File = project } : d;
            }

            return diagnostics.Select(One).ToList();
        }
        finally
        {
            locator?.Dispose();
        }
    }

    private static GateOutcome GateUnplaced(GateRequest request, out RunResult? ingested)
    {
        var diagnostics = new List<GateDiagnostic>();
        var ab = request.BaseResultsDirectories.Count > 0;
        var timer = StageTimer.For(request.OnStage);
        var run = ingested = Ingest(request, diagnostics, out var merged);
        timer?.Lap("ingest reports");
        if (run is null)
        {
            return new GateOutcome { Diagnostics = diagnostics, Decision = Conclude(diagnostics, request) };
        }

        // Said on the console only: the merged run's verdicts and reports are those of one unsharded run.
        var console = merged is null ? Array.Empty<GateDiagnostic>() : new[] { merged };
        if (ab)
        {
            // Every report names the scheme the results show (in one process, in alternated launches, or both).
            request = request with { AbSides = (request.AbSides ?? new AbSides(null, null)) with { Scheme = AbComparison.SchemeOf(run) } };
        }

        // Temp files of writes killed earlier (baseline, history rewrites) go first.
        AtomicFile.RemoveAbandonedTempFiles(request.BaselinePath);
        if (request.HistoryFile is { } historyPath)
        {
            AtomicFile.RemoveAbandonedTempFiles(historyPath);
        }

        // A/B: the base commit's launches, run alternately with these, stand in for the committed baseline (untouched).
        var baseRun = ab ? AbComparison.IngestBase(request, diagnostics) : null;
        if (ab && baseRun is null)
        {
            return new GateOutcome { Diagnostics = diagnostics, Decision = Conclude(diagnostics, request) };
        }

        // The history's last runs are read once, before judging, on other threads while the baseline is read (one
        // thread parses it): the judge's priors are learned from them (RunnerPrior, a pure function), drift over them
        // is diagnosed beside the judge, the reports chart them, and the append reuses the read.
        var historyRead = Task.Run(() => ReadHistory(request));

        // First run: record the baseline, then judge against an empty one, so every benchmark is New while claims,
        // failures, reports and the history still happen as on any other run.
        var establishing = !ab && !File.Exists(request.BaselinePath);
        Baseline baseline;
        try
        {
            baseline = ab ? AbComparison.AsBaseline(baseRun!, request, diagnostics)
                : establishing
                ? new Baseline { Environment = run.Environment, RecordedAt = request.Now }
                : BaselineSerializer.Read(request.BaselinePath);
        }
        catch
        {
            // An unreadable baseline ends the gate (LPG0301), with its own exception: not before the read it started has.
            Task.WaitAny(historyRead);
            throw;
        }

        timer?.Lap("read baseline");
        if (establishing && request.RequireBaseline)
        {
            // On CI a deleted or never-committed baseline must not turn the gate green: judge against nothing, fail.
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BaselineEstablished, DiagnosticLevel.Error,
                $"No baseline at {request.BaselinePath}, and PerfGateRequireBaseline is true (the default on CI: CI, TF_BUILD, GITHUB_ACTIONS, … is set), so the gate cannot pass: a missing baseline must never turn it green. "
                + "Record one on a machine like this with dotnet build -t:PerfBaseline, review and commit perf-baseline.json (or point PerfGateBaselineFile at the committed one); -p:PerfGateRequireBaseline=false lets this run establish it instead.")
            { File = request.BaselinePath });
        }
        else if (establishing)
        {
            Establish(request, run, diagnostics);
            timer?.Lap("establish baseline");
        }

        var (history, historyDiagnostics, historyTail) = historyRead.GetAwaiter().GetResult();
        // Drift over the history needs only the run (regressions are dropped after): computed beside the judge.
        var drifts = request.Preliminary ? null : Task.Run(() => HistoryDrift.Diagnose(history, run, id => request.Options.For(id).Threshold, request.BaselinePath));
        var runner = ab ? null : RunnerPrior.Learn(history, run, baseline.Benchmarks.Values.Select(e => e.Measurement));
        timer?.Lap("read history + runner prior");

        GateResult result;
        using (var locator = request.BenchmarkAssembly is { } assembly ? PdbSourceLocator.TryOpen(assembly) : null)
        {
            // A/B: the paired judge, and diagnostics without a baseline file point at the project.
            var gate = ab ? new Gate(AbComparison.Judge(request.Options), request.AbSides ?? new AbSides(null, null)) : new Gate();
            result = gate.Evaluate(baseline, ab ? request.ProjectFile ?? request.BaselinePath : request.BaselinePath, run, request.Options, request.Now, locator?.CreateLookup(run), request.TreatsWarningAsError, runner);
        }

        var judged = result.Diagnostics.AsEnumerable();
        if (establishing)
        {
            // LPG0201 says it once for all; failures were reported while recording.
            judged = judged.Where(d => d.Code is not (DiagnosticCodes.BenchmarkNew or DiagnosticCodes.BenchmarkFailed));
        }

        // Every diagnostic of the run is in the result before the decision, so the decision covers them all.
        result = Conclude(result with { Diagnostics = diagnostics.Concat(judged).ToList() }, request);
        timer?.Lap("judge + decide (with PDB lookup)");
        if (request.Preliminary && result.ToConfirm.Count > 0)
        {
            // Exactly the flagged benchmark and parameter combinations: never other parameter values, never outside the user's filter.
            var filters = result.ToConfirm
                .Select(BenchmarkNames.FilterFor)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            // Only problems with the input are logged now; the verdict comes after the re-run.
            return new GateOutcome
            {
                Diagnostics = console.Concat(diagnostics).ToList(),
                ToConfirm = filters,
                Summary = new[] { $"Lyra.Perf: {result.ToConfirm.Count} regression(s) to confirm by re-running: {string.Join(", ", result.ToConfirm)}" },
                Result = result,
                Decision = Conclude(diagnostics, request),
            };
        }

        var drifted = drifts?.GetAwaiter().GetResult() ?? HistoryDrift.Diagnose(history, run, id => request.Options.For(id).Threshold, request.BaselinePath);
        result = Conclude(result with { Diagnostics = result.Diagnostics.Concat(historyDiagnostics).Concat(HistoryDrift.ExceptRegressed(drifted, result.Verdicts)).ToList() }, request);
        timer?.Lap("history drift (the rest of it, beside the judge)");
        // Placed before the reports, so their locations are the ones MSBuild logs.
        result = result with { Diagnostics = Place(result.Diagnostics, run, request) };
        timer?.Lap("place diagnostics");
        var reportDiagnostics = new List<GateDiagnostic>();
        var summary = Report(request, run, baseline, result, history, historyTail, reportDiagnostics);
        return new GateOutcome
        {
            Diagnostics = console.Concat(result.Diagnostics).Concat(reportDiagnostics).ToList(),
            Result = result,
            Summary = summary,
            Decision = result.Decision,
        };
    }

    private static GateResult Conclude(GateResult result, GateRequest request) =>
        GatePolicy.Conclude(result, request.Options.Enabled, request.TreatsWarningAsError);

    /// <summary>The decision when there is nothing to judge (no results, or recording a baseline): the diagnostics' own.</summary>
    private static RunDecision Conclude(IReadOnlyList<GateDiagnostic> diagnostics, GateRequest request) =>
        Conclude(new GateResult { Diagnostics = diagnostics }, request).Decision;

    /// <summary>This project's last <see cref="HistoryWindow.Runs"/> runs (a file may be shared by several projects), in time order.</summary>
    private static (IReadOnlyList<HistoryRecord> Records, List<GateDiagnostic> Diagnostics, HistoryTail? Tail) ReadHistory(GateRequest request)
    {
        var found = new List<GateDiagnostic>();
        var history = new List<HistoryRecord>();
        HistoryTail? seen = null;
        if (request.HistoryFile is { } historyFile)
        {
            Guard(found, "read the history " + historyFile, () =>
            {
                var read = HistoryStore.ReadRecent(historyFile, HistoryWindow.Runs, r => r.Project is null || r.Project == request.ProjectName);
                // In time order: histories of several shards or jobs may be concatenated in any order.
                history.AddRange(read.Records.OrderBy(r => r.Time));
                found.AddRange(read.Diagnostics);
                seen = read.Tail;
            });
        }

        return (history, found, seen);
    }

    /// <summary>Reports and the history record, from the decided result. Failures here never change the verdict (LPG0307).</summary>
    /// <param name="historyTail">The gate's read of the history, which the append reuses instead of reading the file again.</param>
    private static IReadOnlyList<string> Report(GateRequest request, RunResult run, Baseline baseline, GateResult result, IReadOnlyList<HistoryRecord> history, HistoryTail? historyTail, List<GateDiagnostic> diagnostics)
    {
        var timer = StageTimer.For(request.OnStage);
        var commit = GitCommit.TryRead(request.ProjectDirectory);
        var record = HistoryRecord.From(run, result, request.Now, commit, request.ProjectName) with { BaseCommit = request.AbSides?.Base?.Sha };
        var context = new ReportContext
        {
            Result = result,
            Run = run,
            Baseline = baseline,
            BaselinePath = request.BaselinePath,
            History = history.Concat(new[] { record }).ToList(),
            Options = request.Options,
            Time = request.Now,
            Commit = commit,
            ProjectName = request.ProjectName,
            SourceRoot = GitCommit.TryFindRoot(request.ProjectDirectory),
            ToolVersion = ToolName,
            AbSides = request.AbSides,
        };
        timer?.Lap("report context (commit, history record)");

        if (request.ReportDirectory is { } reports)
        {
            Guard(diagnostics, "write the reports to " + reports, () =>
            {
                ReportWriter.WriteAll(context, reports, timer: timer);
                ReportWriter.AppendGitHubStepSummary(context);
            });
            timer?.Lap("GitHub step summary");
        }

        if (request.HistoryFile is { } file && request.AppendHistory)
        {
            Guard(diagnostics, "append to the history " + file, () => HistoryStore.Append(file, record, request.HistoryLimit, seen: historyTail));
        }

        timer?.Lap("history append");

        var summary = SummaryFormatter.Format(context, request.ReportDirectory);
        timer?.Lap("summary");
        return summary;
    }

    private static void Guard(List<GateDiagnostic> diagnostics, string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException or NotSupportedException or ArgumentException)
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.ReportWriteFailed, DiagnosticLevel.Warning, $"Could not {what}: {ex.Message}. The verdict is unaffected."));
        }
    }

    private static GateOutcome RecordBaselineUnplaced(GateRequest request, out RunResult? ingested)
    {
        var diagnostics = new List<GateDiagnostic>();
        var run = ingested = Ingest(request, diagnostics, out var merged);
        if (merged is not null)
        {
            diagnostics.Add(merged);
        }

        if (run is null)
        {
            return new GateOutcome { Diagnostics = diagnostics, Decision = Conclude(diagnostics, request) };
        }

        // An unreadable existing baseline stops here (LPG0301) and is left untouched.
        var existing = File.Exists(request.BaselinePath) ? BaselineSerializer.Read(request.BaselinePath) : null;
        var baseline = Merge(existing, run, request, diagnostics, request.BaselineRuns, out var repeated);
        if (run.Benchmarks.All(b => b.Failed))
        {
            // Every failure is reported above (LPG0303); writing now would leave a baseline with nothing measured,
            // after which no gate re-establishes one.
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkFailed, DiagnosticLevel.Error,
                $"Every benchmark failed, so the baseline was not written{(existing is null ? "" : " and the existing one is unchanged")}. Fix the failures and run -t:PerfBaseline again.")
            { File = request.BaselinePath });
            return new GateOutcome { Diagnostics = diagnostics };
        }

        try
        {
            BaselineSerializer.Write(request.BaselinePath, baseline);
        }
        catch (GateException ex)
        {
            diagnostics.Add(ex.Diagnostic);
            return new GateOutcome { Diagnostics = diagnostics };
        }

        var runsKept = baseline.Benchmarks.Values.Select(e => e.Measurement.Sessions).DefaultIfEmpty(1).Max();
        diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BaselineWritten, DiagnosticLevel.Message,
            $"Baseline written to {request.BaselinePath}: {run.Benchmarks.Count(b => !b.Failed)} benchmark(s) recorded, {baseline.Benchmarks.Count} in total"
            + (request.BaselineRuns > 1 ? $", up to {runsKept} recording run(s) per benchmark (PerfGateBaselineRuns={request.BaselineRuns})" : "")
            + (repeated > 0 ? $"; {repeated} launch(es) were already in the baseline (identical samples: the same results recorded again) and were not added twice" : "")
            + ". Review the diff and commit it.")
        { File = request.BaselinePath });
        return new GateOutcome { Diagnostics = diagnostics, Decision = Conclude(diagnostics, request) };
    }

    private static void Establish(GateRequest request, RunResult run, List<GateDiagnostic> diagnostics)
    {
        var baseline = Merge(null, run, request, diagnostics, keepRuns: 1, out _);
        if (baseline.Benchmarks.Count == 0)
        {
            // Nothing measured (every benchmark failed, LPG0303): an empty baseline would pass for one forever.
            return;
        }

        try
        {
            BaselineSerializer.Write(request.BaselinePath, baseline);
        }
        catch (GateException ex)
        {
            // The run is still judged (every benchmark new) and reported; the error fails the build.
            diagnostics.Add(ex.Diagnostic);
            return;
        }

        diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BaselineEstablished, DiagnosticLevel.Warning,
            $"No baseline was found, so this run established one with {baseline.Benchmarks.Count} benchmark(s) at {request.BaselinePath}. Commit this file: later runs are judged against it.")
        { File = request.BaselinePath });
    }

    private static Baseline Merge(Baseline? existing, RunResult run, GateRequest request, List<GateDiagnostic> diagnostics, int keepRuns, out int repeated) =>
        BaselineMerge.Merge(existing, run, request.Options.Selects, keepRuns, request.Now, ToolName, GitCommit.TryRead(request.ProjectDirectory), request.BaselinePath, diagnostics, out repeated);

    /// <param name="merged">The LPG0352 message when the results are merged shards (not part of the verdict).</param>
    private static RunResult? Ingest(GateRequest request, List<GateDiagnostic> diagnostics, out GateDiagnostic? merged)
    {
        merged = null;
        if (request.BaseResultsDirectories.Count > 0)
        {
            return AbComparison.IngestSide(request.ResultsDirectories, diagnostics, out _);
        }

        // Shards' results merged (-p:PerfGateResults=DIR over every shard's folder): all shards of one plan, or an error.
        var errors = diagnostics.Count(d => d.Level == DiagnosticLevel.Error);
        var shards = Sharding.ShardMerge.Check(request.ResultsDirectories, diagnostics);
        if (diagnostics.Count(d => d.Level == DiagnosticLevel.Error) > errors)
        {
            return null;
        }

        if (shards.Count > 0)
        {
            merged = new GateDiagnostic(DiagnosticCodes.ShardsMerged, DiagnosticLevel.Message,
                $"Lyra.Perf: merged {shards.Count} shard(s) of {shards[0].Shard.Count} ({shards[0].Assignment.Count} benchmark name(s) listed, PerfGateFilter='{shards[0].Filter}'); judging them as one run.");
        }

        var reports = request.ResultsDirectories.SelectMany(BenchmarkDotNetReader.FindReports).Distinct(StringComparer.Ordinal).ToList();
        if (reports.Count == 0)
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.NoBenchmarks, DiagnosticLevel.Error,
                $"No BenchmarkDotNet results (*-report-full.json) were found in {string.Join(", ", request.ResultsDirectories)}. Check that the project has [Benchmark] methods that PerfGateFilter='{request.Options.Filter}' selects, and that its Main passes args to BenchmarkSwitcher (or let the SDK supply the entry point)."));
            return null;
        }

        var (run, problems) = BenchmarkDotNetReader.ReadFiles(reports);
        diagnostics.AddRange(problems);
        if (run.Benchmarks.Count == 0)
        {
            if (problems.Count == 0)
            {
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.NoBenchmarks, DiagnosticLevel.Error,
                    $"The results in {string.Join(", ", request.ResultsDirectories)} hold no benchmarks. Check PerfGateFilter='{request.Options.Filter}'."));
            }

            return null;
        }

        return run;
    }
}
