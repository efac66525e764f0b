using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Lyra.Perf.Engine.Ingest;

namespace Lyra.Perf.Engine.Model;

/// <summary>
/// What one of a benchmark's <see cref="BenchmarkMeasurement.Launches"/> is, in the words every output uses: a
/// process launch (a stored-baseline run, A/B with PerfGateAbScheme=processes), or a unit of the in-process A/B runner
/// (PerfGateAbScheme=interleaved: one A/B pair of iterations, slot "unit-k", read as if it were a launch). Derived from
/// the results (<see cref="Of(BenchmarkMeasurement)"/>), never from a setting, so a benchmark the runner left to
/// launches (LPG0338) is counted in launches.
/// </summary>
/// <param name="Singular">"launch", "unit".</param>
/// <param name="Plural">"launches", "units".</param>
/// <param name="Title">A column's or label's heading: "Launches", "Units".</param>
/// <param name="Name">The JSON report's value: "launch", "unit", "mixed".</param>
/// <param name="More">How to get more of them, a parenthesis for "about n … per side (…) would decide it".</param>
public sealed record MeasuringUnit(string Singular, string Plural, string Title, string Name, string More)
{
    /// <summary>A process launch: PerfGateLaunches of them per side.</summary>
    public static MeasuringUnit Launch { get; } = new("launch", "launches", "Launches", "launch", "PerfGateLaunches");

    /// <summary>An interleaved A/B unit: the runner's time per benchmark, and so its units, grow with PerfGateLaunches.</summary>
    public static MeasuringUnit Unit { get; } = new("unit", "units", "Units", "unit", "the in-process runner's units, which grow in proportion to PerfGateLaunches");

    /// <summary>A run with benchmarks of both kinds (an interleaved A/B run with some left to launches, LPG0338).</summary>
    public static MeasuringUnit Mixed { get; } = new("launch or unit", "launches or units", "Launches / units", "mixed", "PerfGateLaunches; interleaved units grow in proportion to it");

    /// <summary>Whether this is the process launch, for texts that hold only there (a baseline recorded with as many).</summary>
    public bool IsLaunch => ReferenceEquals(this, Launch);

    /// <summary>The unit a benchmark was measured in: its slots say whether they are the runner's units.</summary>
    public static MeasuringUnit Of(BenchmarkMeasurement? measurement) =>
        measurement is not null && measurement.Launches.Any(InterleavedResults.IsUnit) ? Unit : Launch;

    /// <summary>The unit of a run: the one all its benchmarks share, <see cref="Mixed"/> when they differ, launches when empty.</summary>
    public static MeasuringUnit Of(IEnumerable<MeasuringUnit> units)
    {
        var distinct = units.Distinct().ToList();
        return distinct.Count switch
        {
            0 => Launch,
            1 => distinct[0],
            _ => Mixed,
        };
    }

    /// <summary>The unit of a run's results.</summary>
    public static MeasuringUnit Of(RunResult run) => Of(run.Benchmarks.Select(Of));

    /// <summary>"1 launch", "120 units".</summary>
    public string Count(int count) => count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? Singular : Plural);

    /// <summary>"3 baseline and 5 current launch(es)": each side's count, named by the unit.</summary>
    public string Sides(int baseline, int current, string baselineName = "baseline") =>
        $"{baseline.ToString(CultureInfo.InvariantCulture)} {baselineName} and {current.ToString(CultureInfo.InvariantCulture)} current {(current == 1 ? Singular : Plural)}";
}
