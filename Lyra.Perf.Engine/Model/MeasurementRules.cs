using System;

namespace Lyra.Perf.Engine.Model;

/// <summary>
/// What a measurement may hold, whichever file it comes from. Ingest (BenchmarkDotNet reports) refuses what the
/// baseline reader refuses, so the tool never writes a baseline it cannot read back.
/// </summary>
public static class MeasurementRules
{
    public const string SampleRule = "a finite, non-negative number of nanoseconds per operation";

    public const string AmountRule = "a finite, non-negative number";

    public const string CoresRule = "a whole, non-negative number";

    /// <summary>A time sample: ns per operation.</summary>
    public static bool IsSample(double value) => IsAmount(value);

    /// <summary>Bytes per operation, collections per 1000 operations, operation counts.</summary>
    public static bool IsAmount(double value) => !double.IsNaN(value) && !double.IsInfinity(value) && value >= 0;

    public const string CoreLoadRule = "a finite number of cores between 0 and 65536";

    /// <summary>Cores used or kept busy over a measurement window (CPU time per wall time): fractional, never negative,
    /// and no machine has more than this many.</summary>
    public static bool IsCoreLoad(double value) => IsAmount(value) && value <= 65536;

    public static bool IsCores(double value) => value >= 0 && value <= int.MaxValue && value == Math.Floor(value);

    /// <summary>Recording times outside these are typos or hand edits: year 9999 would never go stale, 0001 reads as "no time".</summary>
    public static readonly DateTimeOffset EarliestTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LatestTime = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string TimeRule = "an ISO 8601 time between 2000 and 2200 such as 2026-11-27T10:00:00Z";

    public static bool IsPlausibleTime(DateTimeOffset time) => time >= EarliestTime && time < LatestTime;
}
