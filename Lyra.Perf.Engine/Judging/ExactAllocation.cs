using System.Linq;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Judging;

/// <summary>When a benchmark's allocation reading is exactly the same in every launch of a baseline kept over several
/// runs, MemoryDiagnoser's jitter does not reach it, and the fixed 16 B/op floor would only hide real changes (a new
/// 8-byte field, a boxed int): such a benchmark is gated to the byte. The evidence must span runs (a jitter that shows
/// in one launch in ten would be missed by 10 launches of one run with probability 35 %, by 15 launches of 3 runs with
/// 21 %, and the current side's median of 3+ launches must then move as well) and the current side's launches must
/// agree with each other and the background share W / N (AllocationIterationShare) stay below a byte, otherwise the
/// floor applies as before.</summary>
public static class ExactAllocation
{
    public const int MinimumSessions = 3;
    public const int MinimumLaunches = 10;
    public const int MinimumCurrentLaunches = 3;

    /// <summary>Smallest growth that counts when the evidence says the reading is exact: one byte.</summary>
    public const double Resolution = 1;

    /// <summary>True when <paramref name="before"/>'s readings — together with the history's, where
    /// <paramref name="history"/> says they were all the same value (RunnerPrior) — are identical over at least
    /// <see cref="MinimumLaunches"/> launches from at least <see cref="MinimumSessions"/> runs and <paramref name="after"/>'s
    /// over at least <see cref="MinimumCurrentLaunches"/>, and neither side's background share reaches a byte.</summary>
    public static bool Applies(BenchmarkMeasurement before, BenchmarkMeasurement after, LearnedAllocation? history = null)
    {
        var baseReadings = before.Launches.Select(l => l.AllocatedBytesPerOperation).ToList();
        var currentReadings = after.Launches.Select(l => l.AllocatedBytesPerOperation).ToList();
        var agreesWithHistory = history is not null && baseReadings.All(b => b == history.Bytes);
        var sessions = before.Sessions + (agreesWithHistory ? history!.Runs : 0);
        var launches = baseReadings.Count + (agreesWithHistory ? history!.Launches : 0);
        return sessions >= MinimumSessions
            && launches >= MinimumLaunches && baseReadings.Count > 0 && baseReadings.All(b => b is not null) && baseReadings.Distinct().Count() == 1
            && currentReadings.Count >= MinimumCurrentLaunches && currentReadings.All(b => b is not null) && currentReadings.Distinct().Count() == 1
            && AllocationIterationShare.Bytes(after, before) < Resolution && AllocationIterationShare.Bytes(before, after) < Resolution;
    }
}
