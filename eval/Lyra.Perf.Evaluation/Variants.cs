using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Evaluation;

/// <summary>A judge configuration tried during tuning, so what did not help stays on record next to what did.</summary>
internal sealed record Variant(string Name, StatisticalJudgeSettings Settings);

/// <summary>Section G: the same layouts replayed with alternative judge settings, side by side with the default.</summary>
internal static class Variants
{
    public static IReadOnlyList<Variant> All(StatisticalJudgeSettings d) => new[]
    {
        new Variant("**default**: level = fastest iteration (q 0), prior = 1.5 × iteration MAD, lowered to its geometric mean with the suite's launch spread where above it, 2 df", d),
        new Variant("previous default: level = median (q 0.5), prior 2 × iteration MAD", d with { LaunchQuantile = 0.5, IterationInflation = 2, Prior = null, PriorDegreesOfFreedom = 4 }),
        new Variant("level = median (q 0.5)", d with { LaunchQuantile = 0.5 }),
        new Variant("level = q 0.1", d with { LaunchQuantile = 0.1 }),
        new Variant("level = q 0.25", d with { LaunchQuantile = 0.25 }),
        new Variant("prior = 1.5 × iteration MAD only", d with { Prior = null }),
        new Variant("prior = 2 × iteration MAD only", d with { Prior = null, IterationInflation = 2 }),
        new Variant("prior = suite launch spread only", d with { Prior = TriedPriors.SuiteOnly }),
        new Variant("prior = geometric mean of iteration prior and suite launch spread (also raising quiet ones)", d with { Prior = TriedPriors.Blend }),
        new Variant("prior weight 4 df", d with { PriorDegreesOfFreedom = 4 }),
        new Variant("prior = two-way blend, 2 df", d with { Prior = TriedPriors.Blend }),
        new Variant("prior weight 8 df", d with { PriorDegreesOfFreedom = 8 }),
        new Variant("prior weight 1 df", d with { PriorDegreesOfFreedom = 1 }),
        new Variant("blend with 1 × iteration MAD", d with { IterationInflation = 1 }),
        new Variant("blend with 2 × iteration MAD", d with { IterationInflation = 2 }),
        new Variant("90 % interval (flags at one-sided 5 %)", d with { IntervalLevel = 0.90 }),
    };

    public static void Write(StringBuilder md, IReadOnlyList<Scenario> scenarios, IReadOnlyList<(string Name, List<(RunResult Base, RunResult Current)> Pairs)> scaledLayouts, IReadOnlyList<Variant> variants)
    {
        md.AppendLine("## G. Judge variants tried (same replays)");
        md.AppendLine();
        md.AppendLine("Each row replays layouts A–D and the scaled replay with one setting changed from the default. ff = false flags (Slower + Faster on unchanged), "
            + "err = false errors over A–D, +10 % (MDE<10 %) = scaled ×1.10 caught where the reported MDE was below 10 %. "
            + "CI misses 1 = share of unchanged comparisons whose 95 % interval excludes a ratio of 1 (calibrated: 5 %; below, the interval is too wide; above, too narrow).");
        md.AppendLine();
        md.AppendLine("| variant | A ff | B ff | B +25% | B +50% | C ff | C +25% | C +50% | D ff | D +50% | err | 5v1 +10% (MDE<10%) | 3v3 +10% (MDE<10%) | CI misses 1: A, C, D |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var variant in variants)
        {
            var rule = new EngineRule(variant.Name, new GateOptions(), new StatisticalTimeJudge(variant.Settings));
            var cells = new List<string>();
            var errors = 0;
            var zSd = new List<string>();
            foreach (var (scenario, columns) in scenarios.Zip(new[] { new[] { "ff" }, new[] { "ff", "+25%", "+50%" }, new[] { "ff", "+25%", "+50%" }, new[] { "ff", "+50%" } }, (a, b) => (a, b)))
            {
                int n = 0, ff = 0, n25 = 0, d25 = 0, n50 = 0, d50 = 0;
                var z = new List<double>();
                foreach (var comparison in scenario.Comparisons)
                {
                    foreach (var pair in rule.Judge(comparison.Baseline, comparison.Current))
                    {
                        var truth = comparison.TruthOf(pair.Key);
                        var call = pair.Value;
                        if (!truth.ExtraAllocation && truth.Class == "unchanged")
                        {
                            n++;
                            ff += call.Time is TimeOutcome.Slower or TimeOutcome.Faster ? 1 : 0;
                            errors += call.TimeError ? 1 : 0;
                            if (call.Judgement is { RatioLower: { } lo, RatioUpper: { } hi })
                            {
                                z.Add(lo > 1 || hi < 1 ? 1 : 0);
                            }
                        }
                        else if (truth.Class == "+25%" && !truth.ExtraAllocation)
                        {
                            n25++;
                            d25 += call.Time == TimeOutcome.Slower ? 1 : 0;
                        }
                        else if (truth.Class == "+50%" && !truth.ExtraAllocation)
                        {
                            n50++;
                            d50 += call.Time == TimeOutcome.Slower ? 1 : 0;
                        }
                    }
                }

                foreach (var column in columns)
                {
                    cells.Add(column switch { "ff" => Short(ff, n), "+25%" => Short(d25, n25), _ => Short(d50, n50) });
                }

                if (scenario.Name.StartsWith("A", StringComparison.Ordinal) || scenario.Name.StartsWith("C", StringComparison.Ordinal) || scenario.Name.StartsWith("D", StringComparison.Ordinal))
                {
                    zSd.Add(z.Count == 0 ? "–" : (100 * z.Average()).ToString("0", CultureInfo.InvariantCulture) + "%");
                }
            }

            cells.Add(errors.ToString(CultureInfo.InvariantCulture));
            foreach (var (_, pairs) in scaledLayouts)
            {
                int n = 0, caught = 0;
                foreach (var (baseline, current) in pairs)
                {
                    foreach (var call in rule.Judge(baseline, Program.Transform(current, 1.10, 0)).Values)
                    {
                        if (call.Mde is { } mde && mde < 0.10)
                        {
                            n++;
                            caught += call.Time == TimeOutcome.Slower ? 1 : 0;
                        }
                    }
                }

                cells.Add(Short(caught, n));
            }

            cells.Add(string.Join(", ", zSd));
            md.AppendLine($"| {variant.Name} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
    }

    private static string Short(int k, int n) => n == 0 ? "– (0)" : $"{(100.0 * k / n).ToString("0", CultureInfo.InvariantCulture)}% ({k}/{n})";
}

internal static class Synthetic
{
    /// <summary>Section H: seeded all-unchanged suites of 100 synthetic benchmarks (log-normal launch levels and iterations),
    /// including the adversarial case the iteration-based prior cannot see: quiet iterations, noisy launches.</summary>
    public static void Write(StringBuilder md, IReadOnlyList<Variant> variants, int suites)
    {
        md.AppendLine("## H. Synthetic worst cases (seeded, all unchanged)");
        md.AppendLine();
        md.AppendLine($"{suites} suites of 100 unchanged benchmarks per row, launches log-normal with SD σL, iterations (15 per launch) with SD σI; "
            + "\"runs failed\" = suites in which any benchmark would fail the build (a Slower verdict of ≥ 20 % that survives Benjamini–Hochberg at 5 %). "
            + "σL 0.15 with σI 0.03 is the case where iterations hide the process-to-process spread (FACTS.md: benchmarks that jump between two levels per process).");
        md.AppendLine();
        md.AppendLine("| judge | σL | σI | launches a side | runs failed | false flags | CI misses 1 |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var variant in variants)
        {
            var judge = new StatisticalTimeJudge(variant.Settings);
            foreach (var (ls, its, n) in new[] { (0.15, 0.03, 5), (0.15, 0.03, 3), (0.15, 0.15, 5), (0.01, 0.01, 3) })
            {
                int failedRuns = 0, flags = 0, total = 0, misses = 0;
                for (var seed = 0; seed < suites; seed++)
                {
                    var comparisons = Enumerable.Range(0, 100).Select(i => new TimeComparison(Gen(i, 1000, n, (seed * 1000) + i, ls, its), Gen(i, 1000, n, 500000 + (seed * 1000) + i, ls, its), 0.05)).ToList();
                    var times = judge.JudgeAll(comparisons);
                    failedRuns += times.Any(t => t.SignificantInFamily == true && t.Ratio >= 1.2) ? 1 : 0;
                    flags += times.Count(t => t.Outcome is TimeOutcome.Slower or TimeOutcome.Faster);
                    misses += times.Count(t => t.RatioLower > 1 || t.RatioUpper < 1);
                    total += times.Count;
                }

                md.AppendLine($"| {variant.Name} | {ls:0.00} | {its:0.00} | {n} | {failedRuns}/{suites} | {(100.0 * flags / total).ToString("0.0", CultureInfo.InvariantCulture)}% | {(100.0 * misses / total).ToString("0.0", CultureInfo.InvariantCulture)}% |");
            }
        }

        md.AppendLine();
    }

    private static BenchmarkMeasurement Gen(int id, double typical, int launches, int seed, double launchSpread, double iterationSpread)
    {
        var random = new Random(seed);
        double G() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var list = new List<LaunchMeasurement>();
        for (var l = 0; l < launches; l++)
        {
            var level = typical * Math.Exp(launchSpread * G());
            list.Add(new LaunchMeasurement { Samples = Enumerable.Range(0, 15).Select(_ => level * Math.Exp(iterationSpread * G())).ToList() });
        }

        return new BenchmarkMeasurement { Id = "b" + id, Type = "T", Method = "b" + id, Launches = list };
    }
}
