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

    private readonly ITimeJudge? _timeJudge;
    private readonly Comparison.AbSides? _ab;

    /// <param name="timeJudge">The time statistics; null uses <see cref="StatisticalTimeJudge"/> configured from the options.</param>
    /// <param name="ab">A/B mode: the "baseline" is the base commit's launches, run alternately with this run's
    /// (PerfGateBaseRef); the advice changes, and a suite-wide shift is the code's (both sides shared the machine).</param>
    public Gate(ITimeJudge? timeJudge = null, Comparison.AbSides? ab = null)
    {
        _timeJudge = timeJudge;
        _ab = ab;
    }

    /// <param name="baselinePath">Path of the baseline file, for diagnostic locations.</param>
    /// <param name="locate">Where a benchmark's source is (from the PDB), or null to point at the baseline entry.</param>
    /// <param name="treatsAsError">Whether MSBuild logs a warning of this code as an error (WarningsAsErrors,
    /// -warnaserror); the decision follows it. Null: warnings stay warnings.</param>
    /// <param name="runner">What the history says about this runner (RunnerPrior.Learn): each benchmark's launch spread
    /// as the time judge's prior, constant allocations as the byte-exact gate's evidence. Null: no history.</param>
    public GateResult Evaluate(Baseline baseline, string baselinePath, RunResult run, GateOptions options, DateTimeOffset now, Func<string, SourceLocation?>? locate = null, Func<string, bool>? treatsAsError = null, RunnerHistory? runner = null)
    {
        runner ??= RunnerHistory.None;
        var diagnostics = new List<GateDiagnostic>();
        var verdicts = new List<BenchmarkVerdict>();
        var judge = _timeJudge ?? DefaultJudge(options, baselinePath, diagnostics);
        if (_ab is not null)
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.AbComparison, DiagnosticLevel.Message, _ab.Describe() + "; the committed baseline is not used."));
        }

        var differences = baseline.Environment.Differences(run.Environment);
        var downgrade = differences.Count > 0 && !options.StrictEnvironment;
        // Multi-threaded benchmarks the machine lacked cores for (LPG0225); in A/B mode the other load counts as is.
        var reference = baseline.Benchmarks.ToDictionary(p => p.Key, p => p.Value.Measurement, StringComparer.Ordinal);
        var shortages = options.StrictEnvironment
            ? new Dictionary<string, CoreShortage>()
            : CpuContention.Detect(reference, run, relativeToReference: _ab is null);
        var context = new PolicyContext
        {
            Enabled = options.Enabled,
            TimeDowngrade = downgrade ? "the environment differs from the baseline's (LPG0205)" : null,
            FalseDiscoveryRate = options.FalseDiscoveryRate,
            CoreShortages = shortages,
            SidesShareMachine = _ab is not null,
        };
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

        // Phase 1: the benchmarks to compare, and the suite's common drift between the two runs.
        var compared = run.Benchmarks
            .Where(b => !b.Failed && baseline.Benchmarks.ContainsKey(b.Id))
            .Select(b => (Before: baseline.Benchmarks[b.Id].Measurement, After: b))
            .ToList();
        var drift = SuiteDrift.Estimate(compared.Select(p => (p.After.TypicalNanoseconds ?? double.NaN) / (p.Before.TypicalNanoseconds ?? double.NaN)));
        var cancel = options.CancelSuiteDrift && drift is not null;
        if (drift is not null)
        {
            drift = drift with { Cancelled = cancel };
        }

        // Phase 2: judge every time comparison together, so the judge can control false alarms over the family.
        var comparisons = compared
            .Select(p => new TimeComparison(p.Before, cancel ? Scale(p.After, 1 / drift!.Ratio) : p.After, options.For(p.After.Id).Threshold) { Learned = runner.SpreadOf(p.After.Id) })
            .ToList();
        IReadOnlyList<TimeJudgement> times = judge is IFamilyTimeJudge family
            ? family.JudgeAll(comparisons)
            : comparisons.Select(c => judge.Judge(c.Baseline, c.Current, c.Threshold)).ToList();

        // The machine state the time verdicts are judged under, if any. A machine-state shift (LPG0107) replaces the
        // suite-drift warning: it is the reason for the time verdicts. A busy machine (LPG0226) that did not move the
        // whole suite 1.5× is judged relative to the suite all the same.
        var judgesMachine = !options.StrictEnvironment && !cancel && _ab is null;
        var shift = judgesMachine ? MachineShift.Detect(drift, times) : null;
        if (shift is null && drift is not null)
        {
            ReportDrift(drift, options, baselinePath, diagnostics);
        }

        var machine = shift is not null ? MachineStateCause.ForSuiteShift(shift)
            : judgesMachine && BusyMachine.Detect(baseline.Benchmarks.Values.Select(e => e.Measurement), run) is { } busy && MachineShift.Suite(times) is { } suite
                ? MachineStateCause.ForBusyMachine(busy, suite)
                : null;
        if (machine is not null)
        {
            times = MachineShift.Judge(machine, times, comparisons.Select(c => c.Threshold).ToList(), options.FalseDiscoveryRate);
        }

        var timeById = new Dictionary<string, TimeJudgement>(StringComparer.Ordinal);
        for (var i = 0; i < compared.Count; i++)
        {
            timeById[compared[i].After.Id] = times[i];
        }

        // Phase 3: verdicts and diagnostics, in the run's order.
        foreach (var current in run.Benchmarks)
        {
            var rule = options.For(current.Id);
            if (current.Failed)
            {
                var failed = GatePolicy.DecideFailed(current.Failure, context);
                verdicts.Add(new BenchmarkVerdict(current.Id, Outcome.Failed) { Detail = current.Failure, Decision = failed });
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkFailed, failed.Fails ? DiagnosticLevel.Error : DiagnosticLevel.Warning,
                    $"Benchmark {current.Id} failed: {current.Failure}.") { BenchmarkId = current.Id }.At(Where(current.Id)));
                continue;
            }

            if (!baseline.Benchmarks.TryGetValue(current.Id, out var entry))
            {
                verdicts.Add(Describe(new BenchmarkVerdict(current.Id, Outcome.New) { Decision = GatePolicy.DecideUncompared(Outcome.New) }, null, current));
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkNew, DiagnosticLevel.Warning, _ab is not null
                    ? $"Benchmark {current.Id} is new ({Units.Time(current.TypicalNanoseconds)}, {Units.Bytes(current.AllocatedBytesPerOperation)}/op): {_ab.BaseName} has no such benchmark (or it failed there), so there is nothing to compare it with yet."
                    : $"Benchmark {current.Id} is new ({Units.Time(current.TypicalNanoseconds)}, {Units.Bytes(current.AllocatedBytesPerOperation)}/op) and not in the baseline; record it with {Running.ShellCommand.AcceptBaseline(new[] { current.Id })} and commit the baseline.")
                { BenchmarkId = current.Id }.At(locate?.Invoke(current.Id) ?? new SourceLocation(baselinePath, 0, 0)));
                continue;
            }

            // A duplicated id in the run is judged once (the reader merges duplicates into launches).
            var time = timeById.TryGetValue(current.Id, out var t) ? t : judge.Judge(entry.Measurement, current, rule.Threshold);
            verdicts.Add(JudgeOne(entry.Measurement, current, time, rule, context, Where(current.Id), diagnostics,
                machine is null ? AllocationIterationShare.IterationBytes : AllocationIterationShare.ShiftedIterationBytes, runner.AllocationOf(current.Id)));
        }

        SummariseUnknown(verdicts, baselinePath, diagnostics);
        if (shift is not null)
        {
            shift = shift with
            {
                Explained = verdicts.Count(v => v.Time?.ExplainedBy is not null),
                BeyondSuite = verdicts.Count(v => v.Time is { RelativeToMachineShift: true, Outcome: TimeOutcome.Slower }),
            };
            diagnostics.Add(MachineShiftDiagnostic(shift, drift!, options, baselinePath));
        }

        if (machine?.Busy is { } busyMachine)
        {
            diagnostics.Add(BusyMachineDiagnostic(busyMachine, machine.Suite, verdicts, baselinePath));
        }

        var ran = new HashSet<string>(run.Benchmarks.Select(b => b.Id), StringComparer.Ordinal);
        var excluded = new List<string>();
        foreach (var pair in baseline.Benchmarks.Where(p => !ran.Contains(p.Key)))
        {
            if (!options.Selects(pair.Key))
            {
                if (options.Excludes(pair.Key))
                {
                    excluded.Add(pair.Key);
                }

                continue; // Filtered out or excluded on purpose: not a removal.
            }

            verdicts.Add(Describe(new BenchmarkVerdict(pair.Key, Outcome.Removed) { Decision = GatePolicy.DecideUncompared(Outcome.Removed) }, pair.Value.Measurement, null));
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.BenchmarkRemoved, DiagnosticLevel.Warning, _ab is not null
                ? $"Benchmark {pair.Key} ran at {_ab.BaseName} but not in this change (removed, renamed, or it failed here)."
                : $"Benchmark {pair.Key} is in the baseline but was not run (removed, renamed or filtered out). If it is gone for good, refresh the baseline with -t:PerfBaseline.")
            { BenchmarkId = pair.Key, File = baselinePath, Line = pair.Value.Line, Column = pair.Value.Column });
        }

        // A shard checks the claims on its own benchmarks (the planner keeps a claim's two sides in one shard); the
        // others are another shard's, and the merge checks them all.
        var claimed = options.Shard is null
            ? options.Claims
            : options.Claims.Where(c => run.Benchmarks.Any(b => Glob.IsMatchItemPattern(c.Pattern, b.Id) || Glob.IsMatchItemPattern(c.Baseline, b.Id))).ToList();
        var abBase = _ab is null ? null : new ClaimBase(reference, _ab.BaseName) { Times = timeById };
        var claims = ClaimChecker.Check(claimed, run, options.Enabled, Where, diagnostics, everythingRan: options.WholeSuite, context, abBase);
        if (shortages.Count > 0)
        {
            diagnostics.Add(CoreShortageDiagnostic(shortages, verdicts, claims));
        }

        return GatePolicy.Conclude(new GateResult
        {
            Verdicts = verdicts,
            Claims = claims,
            Diagnostics = diagnostics,
            EnvironmentDifferences = differences,
            SuiteDrift = drift,
            MachineShift = shift,
            CoreShortages = shortages,
            Excluded = excluded.OrderBy(id => id, StringComparer.Ordinal).ToList(),
        }, options.Enabled, treatsAsError);
    }

    /// <summary>One LPG0206 warning for the run: how many benchmarks the noise left undecided, how large a change they
    /// could have caught, and what would decide them. The per-benchmark details are messages of detail (in the reports,
    /// on the console only at normal verbosity), so a noisy machine does not print a line per benchmark.</summary>
    private void SummariseUnknown(IReadOnlyList<BenchmarkVerdict> verdicts, string baselinePath, List<GateDiagnostic> diagnostics)
    {
        if (UndecidedTimes.Of(verdicts) is not { } undecided)
        {
            return;
        }

        var names = string.Join(", ", undecided.Ids.Take(5)) + (undecided.Count > 5 ? $" and {undecided.Count - 5} more" : "");
        diagnostics.Add(new GateDiagnostic(DiagnosticCodes.VerdictUnknown, DiagnosticLevel.Warning,
            $"No time verdict for {undecided.Count} of {undecided.Compared} compared benchmarks ({names}): too noisy to tell a change of the threshold from none. "
            + $"The smallest slowdowns they would reliably have caught (minimum detectable effect): median {Units.Percent(undecided.MedianMde)}, {Units.Percent(undecided.MinMde)} to {Units.Percent(undecided.MaxMde)}. "
            + undecided.WhatWouldDecide(_ab is not null) + " Each benchmark's figures are in the report (and logged as LPG0206 messages at normal verbosity).")
        { File = baselinePath, Line = 1, Column = 1 });
    }

    /// <summary>The statistical judge with the options' settings; invalid settings fall back to the defaults with LPG0401.</summary>
    private static ITimeJudge DefaultJudge(GateOptions options, string baselinePath, List<GateDiagnostic> diagnostics)
    {
        var defaults = new StatisticalJudgeSettings();
        var fdr = options.FalseDiscoveryRate;
        if (!(fdr > 0 && fdr < 1))
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.InvalidSetting, DiagnosticLevel.Warning,
                $"False-discovery rate {fdr.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1; using {defaults.FalseDiscoveryRate.ToString(CultureInfo.InvariantCulture)}.") { File = baselinePath });
            fdr = defaults.FalseDiscoveryRate;
        }

        var floor = options.NoiseFloorNanoseconds;
        if (!(floor >= 0) || double.IsInfinity(floor))
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.InvalidSetting, DiagnosticLevel.Warning,
                $"Noise floor {floor.ToString(CultureInfo.InvariantCulture)} ns is not a non-negative number; using {defaults.NoiseFloorNanoseconds.ToString(CultureInfo.InvariantCulture)} ns.") { File = baselinePath });
            floor = defaults.NoiseFloorNanoseconds;
        }

        return new StatisticalTimeJudge(defaults with { FalseDiscoveryRate = fdr, NoiseFloorNanoseconds = floor });
    }

    /// <summary>LPG0106 when the whole suite moved by at least the threshold, consistently (sign test p &lt; 0.05):
    /// a genuine suite-wide regression must never hide behind "every benchmark is within the noise".</summary>
    private static void ReportDrift(SuiteDriftEstimate drift, GateOptions options, string baselinePath, List<GateDiagnostic> diagnostics)
    {
        if (Math.Abs(Math.Log(drift.Ratio)) < Math.Log(1 + options.Threshold) || drift.PValue >= 0.05)
        {
            return;
        }

        var slower = drift.Ratio > 1;
        diagnostics.Add(new GateDiagnostic(DiagnosticCodes.SuiteDrift, DiagnosticLevel.Warning,
            $"The whole suite ran {Units.Change(drift.Ratio)} ({(slower ? "slower" : "faster")}) against the baseline: {MovedWith(drift)} (sign test p = {drift.PValue.ToString("0.####", CultureInfo.InvariantCulture)}). "
            + (drift.Cancelled
                ? "This common shift was divided out before judging each benchmark (CancelSuiteDrift)."
                : slower
                    ? "Either the machine was slower or busier than when the baseline was recorded (compare with the history, re-run) or a change slowed everything (runtime, build settings, a shared code path)."
                    : "Either the machine is faster or quieter than when the baseline was recorded (compare with the history, re-run) or a change sped everything up (runtime, build settings, a shared code path); against a faster suite a slowdown of a few benchmarks reads smaller than it is.")
            + " Re-record the baseline on a quiet machine if it persists.")
        { File = baselinePath, Line = 1, Column = 1 });
    }

    /// <summary>LPG0226, once per run: the load, what it did to the verdicts, and what would decide.</summary>
    private static GateDiagnostic BusyMachineDiagnostic(BusyMachine busy, MachineShiftEstimate suite, IReadOnlyList<BenchmarkVerdict> verdicts, string baselinePath)
    {
        var explained = verdicts.Count(v => v.Time?.ExplainedBy is not null && v.Outcome == Outcome.Regressed);
        var beyond = verdicts.Count(v => v.Time is { RelativeToMachineShift: true, Outcome: TimeOutcome.Slower });
        return new GateDiagnostic(DiagnosticCodes.MachineBusy, explained > 0 ? DiagnosticLevel.Warning : DiagnosticLevel.Message,
            $"Busy machine: other processes kept {CoreShortage.Cores(busy.OtherLoad)} of the machine's {busy.MachineCores} cores busy during this run "
            + $"({CoreShortage.Cores(busy.BaselineOtherLoad ?? 0)} while the baseline was recorded), so this run and the stored baseline measured two machine states "
            + $"(the suite's median moved {Units.Change(suite.Ratio)}). {explained} time regression(s) that did not move clearly more than the rest of the suite are warnings, not errors; "
            + $"{beyond} benchmark(s) that did are judged relative to the suite. Claims and allocations gate as usual. To decide the time verdicts: re-run on a free runner, "
            + "or compare against the base commit on this machine (A/B mode, -p:PerfGateBaseRef=<commit>); PerfGateStrictEnvironment=true judges them anyway.")
        { File = baselinePath, Line = 1, Column = 1 };
    }

    /// <summary>LPG0107, once per run: the shift, what it did to the verdicts, and what would decide.</summary>
    private static GateDiagnostic MachineShiftDiagnostic(MachineShiftEstimate shift, SuiteDriftEstimate drift, GateOptions options, string baselinePath)
    {
        var direction = shift.Ratio > 1 ? "slower" : "faster";
        var bound = (shift.Ratio > 1 ? shift.BoundaryRatio : 1 / shift.BoundaryRatio).ToString("0.##", CultureInfo.InvariantCulture);
        return new GateDiagnostic(DiagnosticCodes.MachineShift, DiagnosticLevel.Warning,
            $"Machine-state shift: the whole suite ran {Units.Change(shift.Ratio)} ({direction}) against the stored baseline ({MovedWith(drift)}, sign test p = {drift.PValue.ToString("0.####", CultureInfo.InvariantCulture)}), "
            + $"beyond the ×{bound} boundary (unchanged code drifts within about ±13 % between runs on a steady machine of this kind): a slower host or a busy runner, not a code change of this size. "
            + $"{ReportFormatCount(shift.Explained, "time regression")} it explains {(shift.Explained == 1 ? "is a warning" : "are warnings")}; "
            + $"{ReportFormatCount(shift.BeyondSuite, "benchmark")} moved clearly more than the suite (spread of the shift across benchmarks {Units.Percent(Math.Exp(shift.Dispersion) - 1)}) and {(shift.BeyondSuite == 1 ? "is" : "are")} judged relative to it; claims and allocations gate as usual. "
            + "To decide the time verdicts: re-run on a quiet machine, compare against the base commit on this machine (A/B mode, -p:PerfGateBaseRef=<commit>), or re-record the baseline on this runner (-t:PerfBaseline) if it is the new normal. "
            + "PerfGateStrictEnvironment=true judges against the baseline as is.")
        { File = baselinePath, Line = 1, Column = 1 };
    }

    /// <summary>LPG0225, once per run: which multi-threaded benchmarks could not get their cores, and what that held back.
    /// A warning when it kept a regression or a claim from failing; a message when nothing was held back.</summary>
    private GateDiagnostic CoreShortageDiagnostic(IReadOnlyDictionary<string, CoreShortage> shortages, IReadOnlyList<BenchmarkVerdict> verdicts, IReadOnlyList<ClaimResult> claims)
    {
        var list = shortages.Values.OrderBy(s => s.BenchmarkId, StringComparer.Ordinal).ToList();
        var other = Statistics.Descriptive.Median(list.Select(s => s.OtherLoad));
        var cores = list[0].MachineCores.ToString(CultureInfo.InvariantCulture);
        var named = string.Join(", ", list.Take(3).Select(s => $"{s.BenchmarkId} used {CoreShortage.Cores(s.CoresUsed)} cores {(s.FromBaseline ? "in the baseline" : "in this run")}"))
            + (list.Count > 3 ? $" and {list.Count - 3} more" : "");
        var times = verdicts.Count(v => v.Decision.Undecided == GatePolicy.CoreShortageUndecided);
        var notChecked = claims.Count(c => c.Undecided == GatePolicy.CoreShortageUndecided);
        var what = _ab is not null
            ? $"their time verdicts stand (A/B: both sides shared the machine), and {ReportFormatCount(notChecked, "claim")} on them {(notChecked == 1 ? "was" : "were")} not checked"
            : $"{ReportFormatCount(times, "time regression")} among them {(times == 1 ? "is a warning" : "are warnings")}, not {(times == 1 ? "an error" : "errors")}, and {ReportFormatCount(notChecked, "claim")} on them {(notChecked == 1 ? "was" : "were")} not checked";
        return new GateDiagnostic(DiagnosticCodes.CoresLacking, times + notChecked > 0 ? DiagnosticLevel.Warning : DiagnosticLevel.Message,
            $"Other processes took {CoreShortage.Cores(other)} of the machine's {cores} cores while {ReportFormatCount(list.Count, "multi-threaded benchmark")} ran ({named}): "
            + $"they could not get the cores they need, so {what}. Re-run on a free runner"
            + (_ab is null ? ", or use A/B mode (-p:PerfGateBaseRef=<commit>), where both sides share the machine" : "")
            + "; PerfGateStrictEnvironment=true judges them anyway.");
    }

    /// <summary>"11 of 12 benchmarks got slower" or, for a suite that ran faster, "11 of 12 benchmarks got faster".</summary>
    private static string MovedWith(SuiteDriftEstimate drift) => drift.Ratio > 1
        ? $"{drift.Slower} of {drift.Benchmarks} benchmarks got slower"
        : $"{drift.Faster} of {drift.Benchmarks} benchmarks got faster";

    private static string ReportFormatCount(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? "" : "s");

    private static BenchmarkMeasurement Scale(BenchmarkMeasurement measurement, double factor) => measurement with
    {
        Launches = measurement.Launches.Select(l => l with { Samples = l.Samples.Select(v => v * factor).ToList() }).ToList(),
    };

    /// <summary>One compared benchmark: the policy decides, the diagnostics say what it decided.</summary>
    private BenchmarkVerdict JudgeOne(BenchmarkMeasurement before, BenchmarkMeasurement after, TimeJudgement time, EffectiveRule rule, PolicyContext context, SourceLocation? where, List<GateDiagnostic> diagnostics, double backgroundBytes, LearnedAllocation? learnedAllocation)
    {
        var allocation = JudgeAllocation(before, after, rule, backgroundBytes, learnedAllocation);
        var (outcome, decision) = GatePolicy.Decide(time, allocation, rule, context, before.Launches.Count, after.Launches.Count, after.Id);
        DiagnosticLevel Level(string code) => decision.ErrorCodes.Contains(code) ? DiagnosticLevel.Error : DiagnosticLevel.Warning;
        switch (time.Outcome)
        {
            case TimeOutcome.Slower:
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.TimeRegression, Level(DiagnosticCodes.TimeRegression),
                    $"{rule.Classify(time.Ratio - 1)} time regression in {after.Id}: {Levels(time, before, after)} ({Units.Change(time.Ratio)}{Interval(time)}{Confidence(time)}{On(time)}; threshold {Units.Percent(rule.Threshold)}). "
                    + Sentence(GatePolicy.TimeFinding(time, rule, context, before.Launches.Count, after.Launches.Count, after.Id).Why)
                    + (_ab is not null
                        ? $"Against {_ab.BaseName}, measured side by side. Find the cause in the change; if the slowdown is intended, raise this benchmark's threshold (PerfGateRule) or merge without the gate."
                        : "Find the cause, or if the slowdown is intended, accept it with " + Running.ShellCommand.AcceptBaseline(new[] { after.Id }) + " and commit the baseline."))
                { BenchmarkId = after.Id }.At(where));
                break;

            case TimeOutcome.Faster:
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.Improvement, DiagnosticLevel.Message,
                    $"{after.Id} improved: {Levels(time, before, after)} ({Units.Change(time.Ratio)}{Interval(time)}{On(time)}). " + (_ab is not null ? $"Against {_ab.BaseName}, measured side by side." : "Refresh the baseline (-t:PerfBaseline) to lock the gain in."))
                { BenchmarkId = after.Id }.At(where));
                break;

            case TimeOutcome.Unknown:
                // Too noisy to decide is a message here and one warning for the run (SummariseUnknown); a data problem
                // (no usable samples, an invalid threshold) stays a warning on the benchmark.
                diagnostics.Add(new GateDiagnostic(DiagnosticCodes.VerdictUnknown, time.MinimumDetectableEffect is null ? DiagnosticLevel.Warning : DiagnosticLevel.Message,
                    $"No verdict for {after.Id}: {time.Reason}.")
                { BenchmarkId = after.Id, Detail = time.MinimumDetectableEffect is not null }.At(where));
                break;
        }

        if (allocation is { Regressed: true })
        {
            diagnostics.Add(new GateDiagnostic(DiagnosticCodes.AllocationRegression, Level(DiagnosticCodes.AllocationRegression),
                $"{allocation.Severity} allocation regression in {after.Id}: {Units.Bytes(allocation.BaselineBytes)} → {Units.Bytes(allocation.CurrentBytes)} per operation (+{Units.Bytes(allocation.Delta)}; allowed: {Units.Percent(rule.AllocationThreshold)} beyond the measurement jitter, at least {(allocation.Exact ? "1 B, since every baseline launch over several runs read exactly the same" : AllocationJitterBytes + " B")} or the launch-to-launch spread"
                + (allocation.IterationShare >= AllocationJitterBytes ? $", or the {Units.Bytes(allocation.IterationShare)} that the runtime's background allocations add when they land in the one iteration MemoryDiagnoser measured ({Units.Bytes(backgroundBytes)} over its operations)" : "")
                + "). "
                + Sentence(GatePolicy.AllocationFinding(allocation, rule, context).Why)
                + "At the same operations per measured iteration allocations do not depend on the machine: look for a new allocation on this path.")
            { BenchmarkId = after.Id }.At(where));
        }

        return Describe(new BenchmarkVerdict(after.Id, outcome), before, after) with
        {
            Time = time,
            Allocation = allocation,
            Decision = decision,
            // The levels the change was judged on, so Baseline → Current and the change are one statistic.
            BaselineNanoseconds = time.BaselineLevelNanoseconds ?? before.TypicalNanoseconds,
            CurrentNanoseconds = time.CurrentLevelNanoseconds ?? after.TypicalNanoseconds,
        };
    }

    /// <summary>A policy clause as a sentence of a diagnostic message.</summary>
    private static string Sentence(string clause) => clause.Length == 0 ? "" : char.ToUpperInvariant(clause[0]) + clause.Substring(1) + ". ";

    /// <summary>Allocations are nearly deterministic: growth beyond the jitter floor and the relative allowance regresses.
    /// Where a side has several launches, their spread widens the allowance (the 1 ms benchmark's MemoryDiagnoser
    /// artifact reads 0–45 B/op from process to process). Missing, NaN, infinite or negative values give no judgement.</summary>
    /// <param name="backgroundBytes">Background allocations one measured iteration may carry (AllocationIterationShare).</param>
    /// <param name="history">The history's constant reading of this benchmark, if any (evidence for the byte-exact gate).</param>
    public static AllocationJudgement? JudgeAllocation(BenchmarkMeasurement before, BenchmarkMeasurement after, EffectiveRule rule, double backgroundBytes = AllocationIterationShare.IterationBytes, LearnedAllocation? history = null)
    {
        if (before.AllocatedBytesPerOperation is not { } baseBytes || after.AllocatedBytesPerOperation is not { } currentBytes
            || !IsCount(baseBytes) || !IsCount(currentBytes))
        {
            return null;
        }

        var relative = rule.AllocationThreshold >= 0 && !double.IsInfinity(rule.AllocationThreshold) ? rule.AllocationThreshold : 0;
        // Jitter seen on either side counts: MemoryDiagnoser reads 0 or ~22 B/op from process to process on some
        // benchmarks (live runs, CacheBenchmarks.Recompute), so a baseline whose launches happened to agree is no proof.
        var launchSpread = Math.Max(Spread(before), Spread(after));
        // Fewer operations per measured iteration (a slower or busier machine) spread that iteration's background
        // allocations over fewer operations: that much growth is the machine, not the code.
        var exact = ExactAllocation.Applies(before, after, history);
        var share = exact ? 0 : AllocationIterationShare.Bytes(after, before, backgroundBytes);
        var shareDown = exact ? 0 : AllocationIterationShare.Bytes(before, after, backgroundBytes);
        var floor = exact ? ExactAllocation.Resolution : AllocationJitterBytes;
        var allowance = Math.Max(Math.Max(Math.Max(floor, launchSpread), baseBytes * relative), share);
        var allowanceDown = Math.Max(Math.Max(Math.Max(floor, launchSpread), baseBytes * relative), shareDown);
        var delta = currentBytes - baseBytes;
        // A change no larger than the jitter already seen between launches is no evidence (MemoryDiagnoser can read 0 or
        // ~22 B/op from process to process), hence strictly beyond the spread; at least the floor otherwise.
        var regressed = delta >= allowance && delta > launchSpread;
        var improved = -delta >= allowanceDown && -delta > launchSpread;
        var severity = Severity.None;
        if (regressed)
        {
            // From nothing to something is as bad as it gets for an allocation-free path.
            severity = baseBytes <= AllocationJitterBytes ? Severity.Critical : rule.Classify(delta / baseBytes);
        }

        return new AllocationJudgement(baseBytes, currentBytes, regressed, improved) { Severity = severity, Allowance = allowance, IterationShare = share, Exact = exact };
    }

    private static bool IsCount(double value) => value >= 0 && !double.IsInfinity(value);

    private static double Spread(BenchmarkMeasurement measurement)
    {
        var bytes = measurement.Launches.Select(l => l.AllocatedBytesPerOperation).Where(v => v is { } b && IsCount(b)).Select(v => v!.Value).ToList();
        return bytes.Count >= 2 ? bytes.Max() - bytes.Min() : 0;
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
        Unit = MeasuringUnit.Of(after ?? before),
    };

    /// <summary>"1.00 µs → 1.62 µs": the levels the change was judged on (the typical times where the judge had none).</summary>
    private static string Levels(TimeJudgement time, BenchmarkMeasurement before, BenchmarkMeasurement after) =>
        $"{Units.Time(time.BaselineLevelNanoseconds ?? before.TypicalNanoseconds)} → {Units.Time(time.CurrentLevelNanoseconds ?? after.TypicalNanoseconds)}";

    private static string Interval(TimeJudgement time) =>
        time.RatioLower is { } lo && time.RatioUpper is { } hi ? $", CI {Units.Change(lo)} to {Units.Change(hi)}" : "";

    private static string On(TimeJudgement time) => time.Basis is { Length: > 0 } basis ? ", on the " + basis : "";

    private static string Confidence(TimeJudgement time) =>
        time.Confidence is { } c ? ", confidence " + (c * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "";
}
