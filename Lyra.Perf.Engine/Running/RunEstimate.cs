using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Lyra.Perf.Engine.Running;

/// <summary>
/// How long a run takes: said once when the first benchmark process has counted its benchmarks, and as elapsed /
/// remaining time on each progress line. Before anything has finished it is the job's shape (warm-up and measured
/// iterations, each at least the iteration time, longer when the baseline says one operation is longer); then what has
/// run so far takes over (the baseline-based guess counts as <see cref="PriorWeight"/> benchmarks' worth of evidence).
/// </summary>
public sealed class RunEstimate
{
    /// <summary>How many finished benchmarks the baseline-based guess is worth against what has run.</summary>
    public const double PriorWeight = 3;

    /// <summary>Start-up of one benchmark process (runtime, BenchmarkDotNet's set-up): about a second on 2 cores.</summary>
    public static readonly TimeSpan ProcessStart = TimeSpan.FromSeconds(1);

    /// <summary>Per benchmark beyond its iterations: jitting, the pilot stage, overhead measurement, set-up.</summary>
    private const double PerBenchmarkSeconds = 0.3;

    /// <summary>Iterations beyond warm-up and measured ones (jitting, pilot), in iteration times.</summary>
    private const int ExtraIterations = 3;

    public RunEstimate(int benchmarksPerLaunch, int launches, TimeSpan perBenchmark, bool fromBaseline, int processesPerLaunch = 1)
    {
        BenchmarksPerLaunch = benchmarksPerLaunch;
        Launches = launches;
        PerBenchmark = perBenchmark;
        FromBaseline = fromBaseline;
        ProcessesPerLaunch = processesPerLaunch;
    }

    public int BenchmarksPerLaunch { get; }

    public int Launches { get; }

    /// <summary>The guess for one benchmark in one launch.</summary>
    public TimeSpan PerBenchmark { get; }

    /// <summary>The guess used operation times from the baseline.</summary>
    public bool FromBaseline { get; }

    public int ProcessesPerLaunch { get; }

    /// <summary>Benchmark runs in the whole run: benchmarks × launches.</summary>
    public int TotalRuns => BenchmarksPerLaunch * Launches;

    /// <summary>The whole run as guessed before anything finished.</summary>
    public TimeSpan Total => TimeSpan.FromTicks(PerBenchmark.Ticks * TotalRuns + ProcessStart.Ticks * ProcessesPerLaunch * Launches);

    /// <summary>One benchmark in one launch of the gate's job: (warm-up + measured + pilot) iterations, each the iteration
    /// time or one operation if that is longer (BenchmarkDotNet never splits an operation).</summary>
    public static TimeSpan BenchmarkTime(double? operationNanoseconds, int warmupCount, int iterationCount, int iterationTimeMs)
    {
        var iteration = Math.Max(iterationTimeMs / 1000.0, (operationNanoseconds ?? 0) / 1e9);
        return TimeSpan.FromSeconds(PerBenchmarkSeconds + ((warmupCount + iterationCount + ExtraIterations) * iteration));
    }

    /// <summary>The guess per benchmark: the mean over the baseline's operation times when it has any, else the job's shape.</summary>
    public static (TimeSpan PerBenchmark, bool FromBaseline) Guess(IEnumerable<double> baselineOperationNanoseconds, int warmupCount, int iterationCount, int iterationTimeMs)
    {
        var known = baselineOperationNanoseconds.Where(n => n >= 0 && !double.IsNaN(n) && !double.IsInfinity(n)).ToList();
        return known.Count == 0
            ? (BenchmarkTime(null, warmupCount, iterationCount, iterationTimeMs), false)
            : (TimeSpan.FromTicks((long)known.Average(n => (double)BenchmarkTime(n, warmupCount, iterationCount, iterationTimeMs).Ticks)), true);
    }

    /// <summary>"12 benchmarks × 5 launches ≈ 4 min (from the baseline's operation times)".</summary>
    public string Describe() =>
        $"{BenchmarksPerLaunch} benchmark{(BenchmarksPerLaunch == 1 ? "" : "s")} × {Launches} launch{(Launches == 1 ? "" : "es")} ≈ {Format(Total)} "
        + (FromBaseline ? "(estimated from the baseline's operation times)" : "(a first estimate from the job's shape: no baseline times yet)");

    /// <summary>Time still to run after <paramref name="completedRuns"/> benchmark runs finished in <paramref name="elapsed"/>.</summary>
    public TimeSpan Remaining(TimeSpan elapsed, int completedRuns)
    {
        var left = Math.Max(0, TotalRuns - completedRuns);
        if (completedRuns <= 0)
        {
            return Max(TimeSpan.Zero, Total - elapsed);
        }

        var observed = elapsed.Ticks / (double)completedRuns;
        var weight = FromBaseline ? PriorWeight : 0;
        var perRun = ((weight * PerBenchmark.Ticks) + (completedRuns * observed)) / (weight + completedRuns);
        return TimeSpan.FromTicks((long)(perRun * left));
    }

    /// <summary>"0:42 elapsed, about 3 min left".</summary>
    public string Progress(TimeSpan elapsed, int completedRuns) =>
        $"{Clock(elapsed)} elapsed, about {Format(Remaining(elapsed, completedRuns))} left";

    /// <summary>"45 s", "3 min 20 s", "27 min", "1 h 05 min": coarser as it grows, since the estimate is.</summary>
    public static string Format(TimeSpan time)
    {
        var seconds = (int)Math.Round(Math.Max(0, time.TotalSeconds));
        if (seconds < 60)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + " s";
        }

        if (seconds < 600)
        {
            var s = (seconds % 60) / 10 * 10;
            return (seconds / 60).ToString(CultureInfo.InvariantCulture) + " min" + (s == 0 ? "" : " " + s.ToString(CultureInfo.InvariantCulture) + " s");
        }

        var minutes = (int)Math.Round(seconds / 60.0);
        return minutes < 60
            ? minutes.ToString(CultureInfo.InvariantCulture) + " min"
            : (minutes / 60).ToString(CultureInfo.InvariantCulture) + " h " + (minutes % 60).ToString("00", CultureInfo.InvariantCulture) + " min";
    }

    /// <summary>"0:42", "12:05", "1:02:03".</summary>
    public static string Clock(TimeSpan time)
    {
        var t = TimeSpan.FromSeconds(Math.Floor(Math.Max(0, time.TotalSeconds)));
        return t.TotalHours >= 1
            ? ((int)t.TotalHours).ToString(CultureInfo.InvariantCulture) + ":" + t.Minutes.ToString("00", CultureInfo.InvariantCulture) + ":" + t.Seconds.ToString("00", CultureInfo.InvariantCulture)
            : t.Minutes.ToString(CultureInfo.InvariantCulture) + ":" + t.Seconds.ToString("00", CultureInfo.InvariantCulture);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
