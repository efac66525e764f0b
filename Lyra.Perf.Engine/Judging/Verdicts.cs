using System.Collections.Generic;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Judging;

/// <summary>Every way a benchmark can come out of a gate run. Nothing is dropped silently.</summary>
public enum Outcome
{
    Unchanged,
    Regressed,
    Improved,
    Unknown,
    New,
    Removed,
    Failed,
}

/// <summary>What the time statistics concluded for one benchmark.</summary>
public enum TimeOutcome
{
    Same,
    Slower,
    Faster,
    Unknown,
}

/// <summary>The time comparison of one benchmark: the effect as a ratio (current / baseline) with its confidence interval.</summary>
public sealed record TimeJudgement(TimeOutcome Outcome, double Ratio)
{
    public double? RatioLower { get; init; }
    public double? RatioUpper { get; init; }

    /// <summary>Confidence that the change is beyond the threshold (1 − p of the one-sided test against it), where the test gives one.</summary>
    public double? Confidence { get; init; }

    /// <summary>Smallest slowdown (0.08 = 8 %) that this comparison would have flagged Slower with high probability
    /// (the judge's stated power, 95 % by default). It always exceeds the threshold, since a flag needs the whole
    /// confidence interval beyond it.</summary>
    public double? MinimumDetectableEffect { get; init; }

    /// <summary>What the ratio compares, when it is not the typical times (e.g. "fastest iteration of each launch").</summary>
    public string? Basis { get; init; }

    /// <summary>Each side's level on <see cref="Basis"/> (ns/op, the centre over launches of each launch's level): what
    /// reports show as Baseline and Current, so the arrow and the change are the same statistic. Null where the judge
    /// had no usable samples.</summary>
    public double? BaselineLevelNanoseconds { get; init; }

    public double? CurrentLevelNanoseconds { get; init; }

    /// <summary>Standard error of ln(ratio), where the judge has one.</summary>
    public double? StandardError { get; init; }

    /// <summary>The part of <see cref="StandardError"/> that more launches would not shrink (an interleaved A/B run's
    /// placement term); null: none, all of it shrinks with launches.</summary>
    public double? StandardErrorFloor { get; init; }

    /// <summary>What the judge's launch counts count: process launches, or the in-process A/B runner's units.</summary>
    public MeasuringUnit Unit { get; init; } = MeasuringUnit.Launch;

    /// <summary>One-sided p-value of the test against the threshold in the indicated direction, before adjustment.</summary>
    public double? PValue { get; init; }

    /// <summary>The p-value after the multiple-comparison adjustment over <see cref="FamilySize"/> benchmarks.</summary>
    public double? AdjustedPValue { get; init; }

    public int? FamilySize { get; init; }

    /// <summary>For Slower: whether it survives the multiple-comparison control over the run, which a regression needs
    /// to fail the build. Null when the judge does no such control (then any Slower may fail).</summary>
    public bool? SignificantInFamily { get; init; }

    /// <summary>For Unknown: launches per side that would bring the detectable effect down to the threshold.</summary>
    public int? LaunchesNeeded { get; init; }

    /// <summary>For Unknown: why, and what would decide it.</summary>
    public string? Reason { get; init; }

    /// <summary>The method that decided, for reports ("median ratio", "Mann-Whitney on launches", …).</summary>
    public string Method { get; init; } = "";

    /// <summary>For a Slower judgement that the run's machine state explains (a suite-wide shift, LPG0107, or a busy
    /// machine, LPG0226): that cause. Such a regression is a warning, never an error; null otherwise.</summary>
    public MachineStateCause? ExplainedBy { get; init; }

    /// <summary>A judgement of the benchmark relative to the suite under the run's machine-state cause (Ratio = its
    /// ratio / the suite's; <see cref="Basis"/> names the cause).</summary>
    public bool RelativeToMachineShift { get; init; }
}

public sealed record AllocationJudgement(double BaselineBytes, double CurrentBytes, bool Regressed, bool Improved)
{
    public double Delta => CurrentBytes - BaselineBytes;
    public Severity Severity { get; init; }

    /// <summary>Growth (B/op) that was allowed before calling it a regression.</summary>
    public double Allowance { get; init; }

    /// <summary>The part of the allowance that fewer operations per measured iteration explain (AllocationIterationShare).</summary>
    public double IterationShare { get; init; }

    /// <summary>Gated to the byte: the readings were exactly constant over several runs (ExactAllocation).</summary>
    public bool Exact { get; init; }
}

/// <summary>One benchmark's verdict, as reported: the evidence (time, allocation, figures) and the policy's decision.
/// <see cref="Outcome"/> and <see cref="Decision"/> are set together by <see cref="GatePolicy"/>.</summary>
public sealed record BenchmarkVerdict(string Id, Outcome Outcome)
{
    public Decision Decision { get; init; } = Decision.None;

    public Severity Severity => Decision.Severity;
    public TimeJudgement? Time { get; init; }
    public AllocationJudgement? Allocation { get; init; }
    public double? BaselineNanoseconds { get; init; }
    public double? CurrentNanoseconds { get; init; }
    public double? BaselineAllocatedBytes { get; init; }
    public double? CurrentAllocatedBytes { get; init; }
    public double? Gen0PerThousandOps { get; init; }
    public double? Gen1PerThousandOps { get; init; }
    public double? Gen2PerThousandOps { get; init; }
    public int BaselineLaunches { get; init; }
    public int CurrentLaunches { get; init; }

    /// <summary>What <see cref="BaselineLaunches"/> and <see cref="CurrentLaunches"/> count: process launches, or
    /// the in-process A/B runner's units (<see cref="MeasuringUnit.Of(BenchmarkMeasurement)"/>).</summary>
    public MeasuringUnit Unit { get; init; } = MeasuringUnit.Launch;
    public string? Detail { get; init; }

    /// <summary>Whether this benchmark fails the build (an error is logged for it).</summary>
    public bool FailsBuild => Decision.Fails;

    /// <summary>A regression of a failing severity that is not an error because the evidence could not decide it
    /// (too few launches, a machine-state shift): what would decide it. The gate did not pass it; it could not check.</summary>
    public string? Undecided => Decision.Undecided;
}

public sealed record ClaimResult(PerfClaim Claim, string Subject, string Baseline, bool Met, string Detail)
{
    /// <summary>The policy's decision (<see cref="GatePolicy.ClaimFails"/>): a claim not met fails the build unless
    /// the gate is disabled or a filtered run left its benchmarks out.</summary>
    public bool Fails { get; init; }

    public double? MeasuredSpeedup { get; init; }
    public double? MeasuredAllocationReduction { get; init; }

    /// <summary>Not met, but not checked either: what would decide it (the machine lacked cores for one of its
    /// benchmarks, LPG0225). Such a claim never fails the build.</summary>
    public string? Undecided { get; init; }
}

/// <summary>The outcome of a whole gate run.</summary>
public sealed record GateResult
{
    public IReadOnlyList<BenchmarkVerdict> Verdicts { get; init; } = new List<BenchmarkVerdict>();
    public IReadOnlyList<ClaimResult> Claims { get; init; } = new List<ClaimResult>();
    public IReadOnlyList<GateDiagnostic> Diagnostics { get; init; } = new List<GateDiagnostic>();
    public IReadOnlyList<string> EnvironmentDifferences { get; init; } = new List<string>();

    /// <summary>How the whole suite moved between the baseline's run and this one; null with too few benchmarks.</summary>
    public SuiteDriftEstimate? SuiteDrift { get; init; }

    /// <summary>The machine-state shift (LPG0107) the time verdicts were judged under; null when there was none.</summary>
    public MachineShiftEstimate? MachineShift { get; init; }

    /// <summary>Multi-threaded benchmarks the machine lacked cores for (LPG0225), by id; empty when none.</summary>
    public IReadOnlyDictionary<string, CoreShortage> CoreShortages { get; init; } = new Dictionary<string, CoreShortage>();

    /// <summary>The baseline's benchmarks that PerfGateExclude left out of this run (not run, not judged, not
    /// removed), by id in ordinal order; empty when none.</summary>
    public IReadOnlyList<string> Excluded { get; init; } = new List<string>();

    /// <summary>The run's decision (<see cref="GatePolicy.Conclude"/>): the single source of pass/fail.</summary>
    public RunDecision Decision { get; init; } = RunDecision.Passed;

    public bool Failed => Decision.Fails;

    /// <summary>Benchmarks whose regression would fail the build: re-run these before the verdict is final.</summary>
    public IReadOnlyList<string> ToConfirm => System.Linq.Enumerable.ToList(System.Linq.Enumerable.Select(
        System.Linq.Enumerable.Where(Verdicts, v => v.Decision.NeedsConfirmation), v => v.Id));
}
