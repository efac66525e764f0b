using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Judging;

/// <summary>A multi-threaded benchmark the machine lacked cores for during this run (LPG0225): other processes took
/// enough that the cores it needs were not free. What it does to the verdicts is <see cref="GatePolicy"/>'s.</summary>
/// <param name="CoresUsed">The cores it needs: the baseline's median cores used, else this run's.</param>
/// <param name="FromBaseline">Whether <paramref name="CoresUsed"/> is the baseline's.</param>
/// <param name="OtherLoad">Median over this run's launches of the cores other processes kept busy while it ran.</param>
/// <param name="BaselineOtherLoad">The baseline's, where it was recorded and is the reference (stored-baseline mode).</param>
/// <param name="MachineCores">The machine's logical cores.</param>
public sealed record CoreShortage(string BenchmarkId, double CoresUsed, bool FromBaseline, double OtherLoad, double? BaselineOtherLoad, int MachineCores)
{
    /// <summary>A clause for messages: "other processes took 1.2 of the 2 cores while it ran, and it used 1.9 in the baseline".</summary>
    public string Reason =>
        $"other processes took {Cores(OtherLoad)} of the machine's {MachineCores.ToString(CultureInfo.InvariantCulture)} cores while it ran"
        + (BaselineOtherLoad is { } before ? $" ({Cores(before)} in the baseline)" : "")
        + $", and it used {Cores(CoresUsed)} cores {(FromBaseline ? "in the baseline" : "in this run")}";

    internal static string Cores(double cores) => cores.ToString("0.0#", CultureInfo.InvariantCulture);
}

/// <summary>Which benchmarks the machine lacked cores for, from the cores each used and the load other processes put
/// on the machine meanwhile (LaunchMeasurement.CoresUsed / OtherLoadCores, measured by the SDK's diagnoser). A
/// single-threaded benchmark keeps its core on a busy machine (the benchmark process runs at high priority); one that
/// needs a second core cannot get it while other processes hold it.</summary>
public static class CpuContention
{
    /// <summary>Multi-threaded: at least this many cores used (median over launches). A single-threaded benchmark
    /// reads about 1.0 (1.0–1.1 with the runtime's GC and JIT threads); Parallel.For over two cores about 1.9. 1.3 is
    /// above what background threads add to one core and below a benchmark that keeps a second core busy a third of
    /// its time.</summary>
    public const double MultiThreadedCores = 1.3;

    /// <summary>The other load must exceed the baseline's by at least half a core (or be at least that much where the
    /// baseline has none): above the reading's resolution (clock ticks over a window of about a second, ±0.05) and
    /// the background of an idle machine, and a share of a core a two-thread benchmark visibly loses.</summary>
    public const double BusierByCores = 0.5;

    /// <summary>The benchmarks of <paramref name="run"/> the machine lacked cores for, by id.</summary>
    /// <param name="reference">The baseline's measurements by id (the base side's in A/B mode); a benchmark without
    /// one is judged on this run's figures.</param>
    /// <param name="relativeToReference">Stored-baseline mode: the other load must exceed the baseline's. In A/B mode
    /// both sides shared the machine, so the other load counts as it is.</param>
    public static IReadOnlyDictionary<string, CoreShortage> Detect(IReadOnlyDictionary<string, BenchmarkMeasurement> reference, RunResult run, bool relativeToReference)
    {
        var shortages = new Dictionary<string, CoreShortage>(StringComparer.Ordinal);
        foreach (var current in run.Benchmarks.Where(b => !b.Failed))
        {
            reference.TryGetValue(current.Id, out var before);
            if (For(before, current, run.Environment.LogicalCores, relativeToReference) is { } shortage)
            {
                shortages[current.Id] = shortage;
            }
        }

        return shortages;
    }

    /// <summary>The shortage for one benchmark, or null: it is multi-threaded (the baseline's median cores used, else
    /// this run's, at least <see cref="MultiThreadedCores"/>), the other load rose by <see cref="BusierByCores"/>, and
    /// the cores it needs plus the other load exceed the machine's cores. Unknown figures (older reports, no
    /// /proc/stat, unknown core count) never make a shortage.</summary>
    public static CoreShortage? For(BenchmarkMeasurement? before, BenchmarkMeasurement current, int machineCores, bool relativeToReference)
    {
        var fromBaseline = before?.CoresUsed is not null;
        if ((before?.CoresUsed ?? current.CoresUsed) is not { } cores || cores < MultiThreadedCores
            || current.OtherLoadCores is not { } other || machineCores <= 0)
        {
            return null;
        }

        var reference = relativeToReference ? before?.OtherLoadCores : null;
        if (other - (reference ?? 0) < BusierByCores || cores + other <= machineCores)
        {
            return null;
        }

        return new CoreShortage(current.Id, cores, fromBaseline, other, reference, machineCores);
    }

    /// <summary>Median over every launch of the run of the cores other processes kept busy; null where none measured it.</summary>
    public static double? MedianOtherLoad(IEnumerable<BenchmarkMeasurement> benchmarks)
    {
        var values = benchmarks.SelectMany(b => b.Launches).Select(l => l.OtherLoadCores).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : Statistics.Descriptive.Median(values);
    }
}
