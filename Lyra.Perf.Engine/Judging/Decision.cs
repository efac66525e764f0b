using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Judging;

/// <summary>
/// The gate's decision on one benchmark, made only by <see cref="GatePolicy"/>: how bad it is, whether it fails the
/// build, and why. Its outcome is <see cref="BenchmarkVerdict.Outcome"/>, set together with it. Diagnostics, the
/// summary, every report and the task's return value are derived from it.
/// </summary>
public sealed record Decision(Severity Severity, bool Fails, string Why)
{
    public static Decision None { get; } = new(Severity.None, false, "");

    /// <summary>The codes of this benchmark's diagnostics that are errors (a failing decision has at least one).</summary>
    public IReadOnlyList<string> ErrorCodes { get; init; } = Array.Empty<string>();

    /// <summary>A failing regression is re-measured (PerfGateConfirmRegressions) before it is final: noise on a
    /// shared machine can still explain one run.</summary>
    public bool NeedsConfirmation { get; init; }

    /// <summary>A regression of a failing severity that the evidence could not decide (environment differs, a
    /// machine-state shift, too few launches for the family control): what would decide it. Not an error, not a pass.</summary>
    public string? Undecided { get; init; }

    /// <summary>The time regression's own severity (None when time did not regress), so a report names what regressed
    /// instead of the larger of the two severities alone.</summary>
    public Severity TimeSeverity { get; init; }

    /// <summary>The allocation regression's own severity (None when allocations did not regress).</summary>
    public Severity AllocationSeverity { get; init; }
}

/// <summary>The decision on the whole run: the single source of pass/fail for the exit code and every report.</summary>
public sealed record RunDecision(bool Fails, IReadOnlyList<string> Why)
{
    public static RunDecision Passed { get; } = new(false, Array.Empty<string>());

    public string Status => Fails ? "failed" : "passed";

    /// <summary>Warning codes MSBuild turns into errors for this project (WarningsAsErrors, -warnaserror) that this
    /// run logged: they fail the build, so they fail the decision.</summary>
    public IReadOnlyList<string> PromotedCodes { get; init; } = Array.Empty<string>();
}

/// <summary>What the policy needs to know about the run beyond one benchmark's evidence.</summary>
public sealed record PolicyContext
{
    /// <summary>PerfGateEnabled: false reports everything and fails nothing that was measured.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Why a time regression cannot fail this run (the environment differs from the baseline's, …), or null.
    /// Allocations and claims still gate.</summary>
    public string? TimeDowngrade { get; init; }

    /// <summary>Multi-threaded benchmarks the machine lacked cores for in this run (CpuContention, LPG0225), by id:
    /// against a stored baseline their time regressions are warnings, and a claim on either side is not checked.
    /// Empty with PerfGateStrictEnvironment=true.</summary>
    public IReadOnlyDictionary<string, CoreShortage> CoreShortages { get; init; } = new Dictionary<string, CoreShortage>();

    /// <summary>A/B mode: both sides ran on the same machine at the same time, so a core shortage does not excuse a
    /// time regression (it hit both); a claim, which compares two benchmarks of one side, is still not checked.</summary>
    public bool SidesShareMachine { get; init; }

    /// <summary>The run's false-discovery rate, for saying how many launches would decide a held-back regression.</summary>
    public double FalseDiscoveryRate { get; init; } = new StatisticalJudgeSettings().FalseDiscoveryRate;
}

/// <summary>
/// The one policy from evidence (time and allocation judgements, claims, diagnostics) to decisions. Pure: no files,
/// no MSBuild. <see cref="Decide"/> judges one benchmark; <see cref="Conclude"/> makes the run's decision once every
/// diagnostic is known, applying MSBuild's own promotion of warnings to errors so no report can say passed while the
/// build fails.
/// </summary>
public static class GatePolicy
{
    /// <summary>The outcome and decision for a benchmark that was compared with its baseline.</summary>
    /// <param name="benchmarkId">The benchmark, for the run-level evidence about it (a core shortage); null: none.</param>
    public static (Outcome Outcome, Decision Decision) Decide(TimeJudgement time, AllocationJudgement? allocation, EffectiveRule rule, PolicyContext context, int baselineLaunches, int currentLaunches, string? benchmarkId = null)
    {
        var outcome = time.Outcome switch
        {
            TimeOutcome.Slower => Outcome.Regressed,
            TimeOutcome.Faster => Outcome.Improved,
            TimeOutcome.Unknown => Outcome.Unknown,
            _ => Outcome.Unchanged,
        };
        var errors = new List<string>();
        var timeFinding = TimeFinding(time, rule, context, baselineLaunches, currentLaunches, benchmarkId);
        if (timeFinding.Fails)
        {
            errors.Add(DiagnosticCodes.TimeRegression);
        }

        var why = new List<string>
        {
            time.Outcome switch
            {
                TimeOutcome.Slower => timeFinding.Why,
                TimeOutcome.Faster => "faster than the baseline",
                TimeOutcome.Unknown => "no time verdict: " + time.Reason,
                _ => "time unchanged",
            },
        };
        var severity = timeFinding.Severity;
        var allocationSeverity = Severity.None;
        if (allocation is { Regressed: true })
        {
            var allocationFinding = AllocationFinding(allocation, rule, context);
            if (allocationFinding.Fails)
            {
                errors.Add(DiagnosticCodes.AllocationRegression);
            }

            why.Add(allocationFinding.Why);
            if (outcome is Outcome.Unchanged or Outcome.Improved or Outcome.Unknown || allocation.Severity > severity)
            {
                outcome = Outcome.Regressed;
            }

            severity = allocation.Severity > severity ? allocation.Severity : severity;
            allocationSeverity = allocation.Severity;
        }

        var decision = new Decision(severity, errors.Count > 0, string.Join("; ", why))
        {
            ErrorCodes = errors,
            NeedsConfirmation = errors.Count > 0 && outcome == Outcome.Regressed,
            Undecided = timeFinding.Undecided,
            TimeSeverity = timeFinding.Severity,
            AllocationSeverity = allocationSeverity,
        };
        return (outcome, decision);
    }

    /// <summary>A statistically real slowdown: its severity, whether it fails, why (a clause for messages), and for a
    /// failing-size one that is held back, what would decide it.</summary>
    public static (Severity Severity, bool Fails, string Why, string? Undecided) TimeFinding(TimeJudgement time, EffectiveRule rule, PolicyContext context, int baselineLaunches, int currentLaunches, string? benchmarkId = null)
    {
        if (time.Outcome != TimeOutcome.Slower)
        {
            return (Severity.None, false, "", null);
        }

        var severity = rule.Classify(time.Ratio - 1);
        if (!context.Enabled)
        {
            return (severity, false, $"{severity} time regression, reported only (PerfGateEnabled=false)", null);
        }

        if (!rule.Fails(severity))
        {
            return (severity, false, $"{severity} time regression, below PerfGateFailOn={rule.FailOn}", null);
        }

        if (context.TimeDowngrade is { } downgrade)
        {
            return (severity, false, $"{severity} time regression, not an error because {downgrade}", downgrade);
        }

        if (CoreShortageOf(context, benchmarkId) is { } shortage && !context.SidesShareMachine)
        {
            return (severity, false, $"{severity} time regression, not an error: the machine lacked cores for this multi-threaded benchmark ({shortage.Reason}); re-run on a free runner or in A/B mode",
                CoreShortageUndecided);
        }

        if (time.ExplainedBy is { } machine)
        {
            return (severity, false, $"{severity} time regression, not an error: {machine.HeldBack}", machine.Undecided);
        }

        if (time.SignificantInFamily == false)
        {
            var launches = LaunchesToDecide.For(time, baselineLaunches, currentLaunches, rule.Threshold, context.FalseDiscoveryRate, new StatisticalJudgeSettings().PriorDegreesOfFreedom);
            var unit = time.Unit;
            var ab = context.SidesShareMachine;
            var decide = launches is { } n
                ? $"about {unit.Count(n)} per side ({unit.More}{(unit.IsLaunch && !ab ? ", and a baseline recorded with as many" : "")}) would decide it"
                : $"no practical number of {unit.Plural} would decide it at this spread: re-run" + (ab ? "" : ", or compare against the base commit (A/B mode)");
            return (severity, false, $"{severity} time regression, not an error: among the {time.FamilySize} benchmarks compared, one this size can happen by chance with this evidence (adjusted p = {time.AdjustedPValue?.ToString("0.###", CultureInfo.InvariantCulture)}, {unit.Sides(baselineLaunches, currentLaunches, ab ? "base" : "baseline")}); {decide}",
                decide);
        }

        return (severity, true, $"{severity} time regression, fails the build (PerfGateFailOn={rule.FailOn})", null);
    }

    /// <summary>An allocation regression: whether it fails, and why (a clause for messages).</summary>
    public static (bool Fails, string Why) AllocationFinding(AllocationJudgement allocation, EffectiveRule rule, PolicyContext context)
    {
        if (!context.Enabled)
        {
            return (false, $"{allocation.Severity} allocation regression, reported only (PerfGateEnabled=false)");
        }

        return rule.Fails(allocation.Severity)
            ? (true, $"{allocation.Severity} allocation regression, fails the build (PerfGateFailOn={rule.FailOn})")
            : (false, $"{allocation.Severity} allocation regression, below PerfGateFailOn={rule.FailOn}");
    }

    /// <summary>A benchmark that produced no result fails the build unless the gate is disabled.</summary>
    public static Decision DecideFailed(string? failure, PolicyContext context) => context.Enabled
        ? new Decision(Severity.None, true, "the benchmark failed: " + (failure ?? "no result")) { ErrorCodes = new[] { DiagnosticCodes.BenchmarkFailed } }
        : new Decision(Severity.None, false, "the benchmark failed; PerfGateEnabled=false: reported only");

    /// <summary>New and removed benchmarks are reported, never gated: there is nothing to compare.</summary>
    public static Decision DecideUncompared(Outcome outcome) => new(Severity.None, false, outcome == Outcome.New
        ? "new: not in the baseline" : "in the baseline but not run");

    /// <summary>What would decide a regression, or a claim, that a core shortage held back (LPG0225).</summary>
    public const string CoreShortageUndecided = "the machine lacked cores for a multi-threaded benchmark (LPG0225): re-run on a free runner or in A/B mode";

    /// <summary>What would decide a speedup claim that both sides of an A/B run fell short of (the change did not break it).</summary>
    public const string ClaimShortAtBaseUndecided = "the base commit, measured side by side, falls short of the claim too: check it in a stored-baseline gate";

    /// <summary>What would decide a speedup claim the change falls short of while the base meets it, when the change
    /// did not measurably move either of its benchmarks against the base.</summary>
    public const string ClaimNotMovedUndecided = "the change did not measurably move either benchmark of the claim against the base: re-run the gate, or check it in a stored-baseline gate";

    /// <summary>A/B mode: whether the change measurably lowered a speedup claim's ratio against the base — the
    /// subject's change (current ÷ base) beyond the reference's, their 95 % intervals apart. Without an interval on
    /// either: the subject slower or the reference faster; without a time verdict: assumed moved, so the claim is judged.</summary>
    public static bool ClaimMovedByChange(TimeJudgement? subject, TimeJudgement? reference) =>
        subject is null || reference is null
        || (subject.RatioLower is { } lower && reference.RatioUpper is { } upper && !double.IsNaN(lower) && !double.IsNaN(upper)
            ? lower > upper
            : subject.Outcome == TimeOutcome.Slower || reference.Outcome == TimeOutcome.Faster);

    /// <summary>A/B mode: a speedup claim the change falls short of is not failed when the base build, measured side
    /// by side, falls short of it too (<paramref name="baseSpeedup"/> null: the base has no reading, so it is failed).</summary>
    public static bool ClaimShortAtBase(double? baseSpeedup, double claimedFactor) => baseSpeedup is { } b && b < claimedFactor;

    /// <summary>The core shortage of this benchmark in this run, if the policy knows of one.</summary>
    public static CoreShortage? CoreShortageOf(PolicyContext context, string? benchmarkId) =>
        benchmarkId is not null && context.CoreShortages.TryGetValue(benchmarkId, out var shortage) ? shortage : null;

    /// <summary>A claim not met is not checked when the machine lacked cores for either of its benchmarks (LPG0225):
    /// the shortage, or null when the claim is judged.</summary>
    public static CoreShortage? ClaimUnchecked(PolicyContext context, string subjectId, string referenceId) =>
        CoreShortageOf(context, subjectId) ?? CoreShortageOf(context, referenceId);

    /// <summary>A claim not met fails the build, except when the gate is disabled or a filtered run left its benchmarks out.</summary>
    public static bool ClaimFails(bool met, bool matched, bool everythingRan, bool enabled) =>
        enabled && !met && (matched || everythingRan);

    /// <summary>
    /// The run's decision, once every diagnostic is in (judging, drift over the history, input problems):
    /// PerfGateEnabled=false turns findings about performance into messages; a warning MSBuild would log as an error
    /// (<paramref name="treatsAsError"/>) becomes one, and fails its benchmark; the run fails when any error remains.
    /// Idempotent, so a caller that adds diagnostics concludes again.
    /// </summary>
    public static GateResult Conclude(GateResult result, bool enabled, Func<string, bool>? treatsAsError = null)
    {
        var promoted = new SortedSet<string>(StringComparer.Ordinal);
        var diagnostics = result.Diagnostics.Select(d =>
        {
            if (!enabled && IsFinding(d) && d.Level != DiagnosticLevel.Message)
            {
                return d with { Level = DiagnosticLevel.Message };
            }

            if (d.Level == DiagnosticLevel.Warning && treatsAsError is not null && treatsAsError(d.Code))
            {
                promoted.Add(d.Code);
                return d with { Level = DiagnosticLevel.Error };
            }

            return d;
        }).ToList();

        promoted.UnionWith(result.Decision.PromotedCodes);
        // A claim's diagnostic names its subject benchmark, but decides the claim, not the benchmark.
        var claims = result.Claims.Select(c => !c.Met && !c.Fails && diagnostics.Any(d => d.Level == DiagnosticLevel.Error
            && d.Code == DiagnosticCodes.ClaimNotMet && d.BenchmarkId == c.Subject) ? c with { Fails = true } : c).ToList();
        var errorsByBenchmark = diagnostics.Where(d => d.Level == DiagnosticLevel.Error && d.BenchmarkId is not null && d.Code != DiagnosticCodes.ClaimNotMet)
            .GroupBy(d => d.BenchmarkId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Code).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var verdicts = result.Verdicts.Select(v =>
        {
            if (!errorsByBenchmark.TryGetValue(v.Id, out var codes))
            {
                return v;
            }

            var extra = codes.Where(c => !v.Decision.ErrorCodes.Contains(c)).ToList();
            if (extra.Count == 0)
            {
                return v;
            }

            var because = string.Join("; ", extra.Select(c => promoted.Contains(c)
                ? $"{c} is an error in this build (MSBuild WarningsAsErrors or -warnaserror)"
                : $"{c} is an error"));
            return v with
            {
                Decision = v.Decision with
                {
                    Fails = true,
                    Why = string.IsNullOrEmpty(v.Decision.Why) ? because : v.Decision.Why + "; " + because,
                    ErrorCodes = v.Decision.ErrorCodes.Concat(extra).ToList(),
                    NeedsConfirmation = v.Outcome == Outcome.Regressed,
                },
            };
        }).ToList();

        var why = new List<string>();
        var failing = verdicts.Where(v => v.FailsBuild).Select(v => v.Id).ToList();
        if (failing.Count > 0)
        {
            why.Add($"{failing.Count} benchmark(s) fail: {string.Join(", ", failing.Take(5))}{(failing.Count > 5 ? ", …" : "")}");
        }

        var unmet = claims.Count(c => c.Fails);
        if (unmet > 0)
        {
            why.Add($"{unmet} claim(s) not met");
        }

        var otherErrors = diagnostics.Where(d => d.Level == DiagnosticLevel.Error && d.BenchmarkId is null && (d.Code != DiagnosticCodes.ClaimNotMet || unmet == 0))
            .Select(d => d.Code).Distinct(StringComparer.Ordinal).ToList();
        if (otherErrors.Count > 0)
        {
            why.Add("errors: " + string.Join(", ", otherErrors));
        }

        if (promoted.Count > 0)
        {
            why.Add($"warnings MSBuild treats as errors here: {string.Join(", ", promoted)}");
        }

        var fails = failing.Count > 0 || unmet > 0 || diagnostics.Any(d => d.Level == DiagnosticLevel.Error);
        return result with
        {
            Verdicts = verdicts,
            Claims = claims,
            Diagnostics = diagnostics,
            Decision = new RunDecision(fails, why) { PromotedCodes = promoted.ToList() },
        };
    }

    /// <summary>Findings about performance (LPG01xx, LPG02xx), as opposed to problems with the input (LPG03xx, LPG04xx).</summary>
    public static bool IsFinding(GateDiagnostic diagnostic) =>
        diagnostic.Code.StartsWith("LPG01", StringComparison.Ordinal) || diagnostic.Code.StartsWith("LPG02", StringComparison.Ordinal);
}
