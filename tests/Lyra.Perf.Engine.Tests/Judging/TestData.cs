using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Tests.Judging;

/// <summary>Seeded synthetic measurements: every test is deterministic.</summary>
internal static class TestData
{
    /// <summary>Launches whose medians spread log-normally by <paramref name="launchSpread"/>, each with
    /// <paramref name="iterations"/> iterations spread by <paramref name="iterationSpread"/>.</summary>
    public static BenchmarkMeasurement Measure(string id, double typical, int launches, int seed, double launchSpread = 0.05, double iterationSpread = 0.03, int iterations = 15, double? bytes = null)
    {
        var random = new Random(seed);
        var list = new List<LaunchMeasurement>();
        for (var l = 0; l < launches; l++)
        {
            var level = typical * Math.Exp(launchSpread * Gaussian(random));
            list.Add(new LaunchMeasurement
            {
                Samples = Enumerable.Range(0, iterations).Select(_ => level * Math.Exp(iterationSpread * Gaussian(random))).ToList(),
                AllocatedBytesPerOperation = bytes,
            });
        }

        return new BenchmarkMeasurement { Id = id, Type = "T", Method = id, Launches = list };
    }

    public static BenchmarkMeasurement Raw(string id, params double[][] launches) => new()
    {
        Id = id,
        Type = "T",
        Method = id,
        Launches = launches.Select(s => new LaunchMeasurement { Samples = s }).ToList(),
    };

    public static Baseline BaselineOf(params BenchmarkMeasurement[] measurements) => new()
    {
        Benchmarks = new SortedDictionary<string, BaselineEntry>(measurements.ToDictionary(m => m.Id, m => new BaselineEntry { Measurement = m, Line = 3, Column = 5 }), StringComparer.Ordinal),
    };

    public static RunResult RunOf(params BenchmarkMeasurement[] measurements) => new() { Benchmarks = measurements };

    public static BenchmarkMeasurement Scaled(BenchmarkMeasurement m, double factor) => m with
    {
        Launches = m.Launches.Select(l => l with { Samples = l.Samples.Select(v => v * factor).ToList() }).ToList(),
    };

    /// <summary>A whole run's shift: every launch of one side moved by the same factor exp(sd·N(0, 1)).</summary>
    public static BenchmarkMeasurement WithRunEffect(BenchmarkMeasurement m, int seed, double sd) => Scaled(m, Math.Exp(sd * Gaussian(new Random(seed))));

    private static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
