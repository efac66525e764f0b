using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Judging;

/// <summary>Judges a run against a baseline: one verdict per benchmark, claims, and the diagnostics to log.</summary>
public sealed class Gate
{
    /// <summary>MemoryDiagnoser's jitter: 0–13 B/op on non-allocating benchmarks, up to 45 B/op on 1 ms ones; a
    /// planted +24 B/op shows exactly. Growth below this absolute floor is never an allocation regression.</summary>
    public const double AllocationJitterBytes = 16;

    private readonly ITimeJudge _timeJudge;

    public Gate(ITimeJudge? timeJudge = null) => _timeJudge = timeJudge ?? new MedianRatioJudge();

    /// <param name="baselinePath">Path of the baseline file, for diagnostic locations.</param>
    /// <param name="locate">Where a benchmark's source is (from the PDB), or null to point at the baseline entry.</param>
    public GateResult Evaluate(Baseline baseline, string baselinePath, RunResult run, GateOptions options, DateTimeOffset now, Func<string, SourceLocation?>? locate = null)
    {
        var diagnostics = new List<GateDiagnostic>();
        var verdicts = new List<BenchmarkVerdict>();

        var differences = baseline.Environment.Differences(run.Environment);
        var downgrade = differences.Count > 0 && !options.StrictEnvironment;
        if (differences.Count > 0)
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.EnvironmentDiffers, DiagnosticLevel.Warning,
                $"This run's environment differs from the baseline's ({string.Join("; ", differences)}). "
                + (downgrade
                    ? "Time regressions are reported as warnings; allocations and claims still gate. Record a baseline on this machine (-t:PerfBaseline) or set PerfGateStrictEnvironment=true to gate anyway."
                    : "PerfGateStrictEnvironment=true: regressions still fail the build."))
            { File = baselinePath, Line = 1, Column = 1 });
        }

        if (baseline.RecordedAt != DateTimeOffset.MinValue && (now - baseline.RecordedAt).TotalDays > options.BaselineMaxAgeDays)
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BaselineStale, DiagnosticLevel.Warning,
                $"The baseline was recorded {(int)(now - baseline.RecordedAt).TotalDays} days ago ({baseline.RecordedAt:yyyy-MM-dd}), more than PerfGateBaselineMaxAgeDays={options.BaselineMaxAgeDays}. Refresh it with -t:PerfBaseline and commit it.")
            { File = baselinePath, Line = 1, Column = 1 });
        }

        SourceLocation? Where(string id) =>
            locate?.Invoke(id)
            ?? (baseline.Benchmarks.TryGetValue(id, out var entry) && entry.Line > 0 ? new SourceLocation(baselinePath, entry.Line, entry.Column) : new SourceLocation(baselinePath, 0, 0));

        foreach (var current in run.Benchmarks)
        {
            var rule = options.For(current.Id);
            if (current.Failed)
            {
                verdicts.Add(new BenchmarkVerdict(current.Id, Outcome.Failed) { Detail = current.Failure, FailsBuild = options.Enabled });
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkFailed, options.Enabled ? DiagnosticLevel.Error : DiagnosticLevel.Warning,
                    $"Benchmark {current.Id} failed: {current.Failure}.") { BenchmarkId = current.Id }.At(Where(current.Id)));
                continue;
            }

            if (!baseline.Benchmarks.TryGetValue(current.Id, out var entry))
            {
                verdicts.Add(Describe(new BenchmarkVerdict(current.Id, Outcome.New), null, current));
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkNew, DiagnosticLevel.Warning,
                    $"Benchmark {current.Id} is new ({Units.Time(current.TypicalNanoseconds)}, {Units.Bytes(current.AllocatedBytesPerOperation)}/op) and not in the baseline; record it with -t:PerfBaseline -p:PerfGateFilter=\"{current.Id}\" and commit the baseline.")
                { BenchmarkId = current.Id }.At(locate?.Invoke(current.Id) ?? new SourceLocation(baselinePath, 0, 0)));
                continue;
            }

            verdicts.Add(JudgeOne(entry.Measurement, current, rule, options, downgrade, Where(current.Id), diagnostics));
        }

        var ran = new HashSet<string>(run.Benchmarks.Select(b => b.Id), StringComparer.Ordinal);
        foreach (var pair in baseline.Benchmarks.Where(p => !ran.Contains(p.Key)))
        {
            if (!options.Selects(pair.Key))
            {
                continue; // Filtered out on purpose: not a removal.
            }

            verdicts.Add(Describe(new BenchmarkVerdict(pair.Key, Outcome.Removed), pair.Value.Measurement, null));
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkRemoved, DiagnosticLevel.Warning,
                $"Benchmark {pair.Key} is in the baseline but was not run (removed, renamed or filtered out). If it is gone for good, refresh the baseline with -t:PerfBaseline.")
            { BenchmarkId = pair.Key, File = baselinePath, Line = pair.Value.Line, Column = pair.Value.Column });
        }

        var claims = ClaimChecker.Check(options.Claims, run, options.Enabled, Where, diagnostics);

        return new GateResult
        {
            Verdicts = verdicts,
            Claims = claims,
            Diagnostics = diagnostics,
            EnvironmentDifferences = differences,
        };
    }

    private BenchmarkVerdict JudgeOne(BenchmarkMeasurement before, BenchmarkMeasurement after, EffectiveRule rule, GateOptions options, bool downgrade, SourceLocation? where, List<GateDiagnostic> diagnostics)
    {
        var time = _timeJudge.Judge(before, after, rule.Threshold);
        var allocation = JudgeAllocation(before, after, rule);
        var verdict = Describe(new BenchmarkVerdict(after.Id, Outcome.Unchanged), before, after) with { Time = time, Allocation = allocation };

        var fails = false;
        var severity = Severity.None;
        switch (time.Outcome)
        {
            case TimeOutcome.Slower:
            {
                severity = rule.Classify(time.Ratio - 1);
                var error = options.Enabled && rule.Fails(severity) && !downgrade;
                fails |= error;
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.TimeRegression, error ? DiagnosticLevel.Error : DiagnosticLevel.Warning,
                    $"{severity} time regression in {after.Id}: {Units.Time(before.TypicalNanoseconds)} → {Units.Time(after.TypicalNanoseconds)} ({Units.Change(time.Ratio)}{Interval(time)}{Confidence(time)}; threshold {Units.Percent(rule.Threshold)}). "
                    + (error ? $"Fails the build (PerfGateFailOn={rule.FailOn}). " : "")
                    + "Find the cause, or if the slowdown is intended, accept it with -t:PerfBaseline -p:PerfGateFilter=\"" + after.Id + "\" and commit the baseline.")
                { BenchmarkId = after.Id }.At(where));
                verdict = verdict with { Outcome = Outcome.Regressed };
                break;
            }

            case TimeOutcome.Faster:
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.Improvement, DiagnosticLevel.Message,
                    $"{after.Id} improved: {Units.Time(before.TypicalNanoseconds)} → {Units.Time(after.TypicalNanoseconds)} ({Units.Change(time.Ratio)}{Interval(time)}). Refresh the baseline (-t:PerfBaseline) to lock the gain in.")
                { BenchmarkId = after.Id }.At(where));
                verdict = verdict with { Outcome = Outcome.Improved };
                break;

            case TimeOutcome.Unknown:
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.VerdictUnknown, DiagnosticLevel.Warning,
                    $"No verdict for {after.Id}: {time.Reason}.")
                { BenchmarkId = after.Id }.At(where));
                verdict = verdict with { Outcome = Outcome.Unknown };
                break;
        }

        if (allocation is { Regressed: true })
        {
            var error = options.Enabled && rule.Fails(allocation.Severity);
            fails |= error;
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.AllocationRegression, error ? DiagnosticLevel.Error : DiagnosticLevel.Warning,
                $"{allocation.Severity} allocation regression in {after.Id}: {Units.Bytes(allocation.BaselineBytes)} → {Units.Bytes(allocation.CurrentBytes)} per operation (+{Units.Bytes(allocation.Delta)}; allowed {Units.Percent(rule.AllocationThreshold)} beyond {AllocationJitterBytes} B jitter). "
                + (error ? $"Fails the build (PerfGateFailOn={rule.FailOn}). " : "")
                + "Allocations barely depend on the machine: look for a new allocation on this path.")
            { BenchmarkId = after.Id }.At(where));
            if (verdict.Outcome is Outcome.Unchanged or Outcome.Improved or Outcome.Unknown || allocation.Severity > severity)
            {
                verdict = verdict with { Outcome = Outcome.Regressed };
            }

            severity = allocation.Severity > severity ? allocation.Severity : severity;
        }

        return verdict with { Severity = severity, FailsBuild = fails };
    }

    /// <summary>Allocations are nearly deterministic: growth beyond the jitter floor and the relative allowance regresses.</summary>
    public static AllocationJudgement? JudgeAllocation(BenchmarkMeasurement before, BenchmarkMeasurement after, EffectiveRule rule)
    {
        if (before.AllocatedBytesPerOperation is not { } baseBytes || after.AllocatedBytesPerOperation is not { } currentBytes)
        {
            return null;
        }

        var allowance = Math.Max(AllocationJitterBytes, baseBytes * rule.AllocationThreshold);
        var delta = currentBytes - baseBytes;
        var regressed = delta >= allowance;
        var improved = -delta >= Math.Max(AllocationJitterBytes, baseBytes * rule.AllocationThreshold);
        var severity = Severity.None;
        if (regressed)
        {
            // From nothing to something is as bad as it gets for an allocation-free path.
            severity = baseBytes <= AllocationJitterBytes ? Severity.Critical : rule.Classify(delta / baseBytes);
        }

        return new AllocationJudgement(baseBytes, currentBytes, regressed, improved) { Severity = severity };
    }

    private static BenchmarkVerdict Describe(BenchmarkVerdict verdict, BenchmarkMeasurement? before, BenchmarkMeasurement? after) => verdict with
    {
        BaselineNanoseconds = before?.TypicalNanoseconds,
        CurrentNanoseconds = after?.TypicalNanoseconds,
        BaselineAllocatedBytes = before?.AllocatedBytesPerOperation,
        CurrentAllocatedBytes = after?.AllocatedBytesPerOperation,
        Gen0PerThousandOps = after?.Gen0PerThousandOps,
        Gen1PerThousandOps = after?.Gen1PerThousandOps,
        Gen2PerThousandOps = after?.Gen2PerThousandOps,
        BaselineLaunches = before?.Launches.Count ?? 0,
        CurrentLaunches = after?.Launches.Count ?? 0,
    };

    private static string Interval(TimeJudgement time) =>
        time.RatioLower is { } lo && time.RatioUpper is { } hi ? $", CI {Units.Change(lo)} to {Units.Change(hi)}" : "";

    private static string Confidence(TimeJudgement time) =>
        time.Confidence is { } c ? ", confidence " + (c * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "";
}
