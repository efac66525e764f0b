using Lyra.Perf.Engine.Diagnostics;

namespace Lyra.Perf.Engine.Judging;

/// <summary>
/// Why a run's time verdicts against a stored baseline are judged relative to the suite: the whole suite shifted with
/// the machine (LPG0107), or the machine was measured busy (LPG0226), with what that rule measured. At most one per run,
/// picked by <see cref="Gate"/>; <see cref="MachineShift.Judge"/> names it in a relative judgement's basis and marks the
/// slowdowns it explains with it, and <see cref="GatePolicy.TimeFinding"/> words what it held back from it.
/// </summary>
public sealed record MachineStateCause
{
    private MachineStateCause(string code, MachineShiftEstimate suite, BusyMachine? busy)
    {
        Code = code;
        Suite = suite;
        Busy = busy;
    }

    /// <summary>LPG0107: the whole suite moved together beyond the boundary.</summary>
    public static MachineStateCause ForSuiteShift(MachineShiftEstimate shift) => new(DiagnosticCodes.MachineShift, shift, null);

    /// <summary>LPG0226: other processes kept the machine busy; <paramref name="suite"/> is how the suite moved meanwhile
    /// (<see cref="MachineShift.Suite"/>, no boundary).</summary>
    public static MachineStateCause ForBusyMachine(BusyMachine busy, MachineShiftEstimate suite) => new(DiagnosticCodes.MachineBusy, suite, busy);

    /// <summary>The rule that applied: <see cref="DiagnosticCodes.MachineShift"/> or <see cref="DiagnosticCodes.MachineBusy"/>.</summary>
    public string Code { get; }

    /// <summary>Where the suite's ratios centre and how unevenly they spread: what each benchmark is judged relative to.</summary>
    public MachineShiftEstimate Suite { get; }

    /// <summary>What LPG0226 measured (other load in this run and in the baseline); null under LPG0107.</summary>
    public BusyMachine? Busy { get; }

    /// <summary>What a relative judgement's ratio compares (<see cref="TimeJudgement.Basis"/>).</summary>
    public string Basis => Busy is null
        ? "ratio to the whole suite's " + Units.Change(Suite.Ratio) + " machine-state shift"
        : "ratio to the suite's " + Units.Change(Suite.Ratio) + " median move on the busy machine (LPG0226)";

    /// <summary>Why a slowdown that did not stand out from the suite is not an error, as a clause.</summary>
    public string HeldBack => Busy is { } busy
        ? busy.Reason + " explains it; it did not move clearly more than the rest of the suite"
        : "the machine-state shift of the whole suite (LPG0107) explains it; it did not move clearly more than the rest";

    /// <summary>What would decide the time verdicts it held back.</summary>
    public string Undecided => Busy is null ? "the whole suite shifted with the machine (LPG0107)" : BusyMachine.Undecided;
}
