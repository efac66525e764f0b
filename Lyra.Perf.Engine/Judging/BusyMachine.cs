using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Judging;

/// <summary>
/// The machine was busy during this run (LPG0226): over every launch, other processes kept at least half a core more
/// busy than while the baseline was recorded (the SDK diagnoser's other load). A stored baseline then compares two
/// machine states even when the suite as a whole did not move 1.5× (LPG0107): the benchmark process runs at high
/// priority and keeps a core for its own thread, but the runtime's background threads (concurrent GC, tier-up) do
/// not, so allocating benchmarks slow unevenly (measured 2026-12-02, busy loops on both cores: single-threaded
/// allocating benchmarks +43 … +44 % on unchanged code while the suite's median moved a few percent). Time
/// regressions that do not stand out from the rest of the suite are then warnings; a benchmark that does is judged
/// relative to the suite, as under a machine-state shift.
/// </summary>
/// <param name="OtherLoad">Median over this run's launches of the cores other processes kept busy.</param>
/// <param name="BaselineOtherLoad">The same while the baseline was recorded; null where it has no figure.</param>
public sealed record BusyMachine(double OtherLoad, double? BaselineOtherLoad, int MachineCores)
{
    /// <summary>The busy machine, or null: the run's median other load exceeds the baseline's (0 where it has none)
    /// by <see cref="CpuContention.BusierByCores"/>. Runs without the figure (older SDKs, no /proc/stat) are never busy.</summary>
    public static BusyMachine? Detect(IEnumerable<BenchmarkMeasurement> baseline, RunResult run)
    {
        if (CpuContention.MedianOtherLoad(run.Benchmarks.Where(b => !b.Failed)) is not { } other)
        {
            return null;
        }

        var before = CpuContention.MedianOtherLoad(baseline);
        return other - (before ?? 0) >= CpuContention.BusierByCores ? new BusyMachine(other, before, run.Environment.LogicalCores) : null;
    }

    /// <summary>Why a time regression is held back, for the policy's message.</summary>
    public string Reason =>
        $"the busy machine (LPG0226: other processes kept {CoreShortage.Cores(OtherLoad)} of its cores busy, {CoreShortage.Cores(BaselineOtherLoad ?? 0)} while the baseline was recorded)";

    /// <summary>What would decide the held-back time verdicts.</summary>
    public const string Undecided = "the machine was busy during the run (LPG0226): re-run on a free runner or in A/B mode";
}
