using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Judging;

namespace Lyra.Perf.AbProbe;

/// <summary>
/// Checks of the probe that can fail (run by hand, not in <c>dotnet test</c>: two of them take timed runs):
/// 1. statistics on seeded synthetic pairs (deterministic): interval coverage, and the whole pipeline (units, medians,
///    the gate's judge) on synthetic iterations with a known ratio;
/// 2. one build folder loaded twice (A = B): the two contexts share no assembly, and the intervals contain 1;
/// 3. the base against the slow build: each side's own Slowdown.Factor, the slowed benchmarks read > 1.1 and the
///    unslowed control does not.
/// </summary>
internal static class SelfTest
{
    private static readonly string[] DefaultSlowed =
    {
        "Lyra.Core.Benchmarks.CacheBenchmarks.Recompute", "Lyra.Core.Benchmarks.PolynomialBenchmarks.Horner",
        "Lyra.Core.Benchmarks.PatternBenchmarks.Parse", "Lyra.Core.Benchmarks.RewriteBenchmarks.Simplify",
    };

    // Not slowed by Slowdown (samples/Lyra.Core/Slowdown.cs: a few-nanosecond step).
    private const string DefaultControl = "Lyra.Core.Benchmarks.CacheBenchmarks.CacheHit";

    public static int Run(Arguments options, TextWriter log)
    {
        var failures = 0;
        void Check(bool ok, string what)
        {
            log.WriteLine((ok ? "PASS " : "FAIL ") + what);
            failures += ok ? 0 : 1;
        }

        Statistics(Check);
        Pipeline(Check);

        var baseDir = options.Single("base");
        var slowDir = options.Single("slow");
        if (baseDir is null && slowDir is null)
        {
            log.WriteLine("(no --base/--slow: timed checks skipped)");
            return failures == 0 ? 0 : 1;
        }

        var slowed = options.All("slowed") is { Count: > 0 } s ? s.ToList() : DefaultSlowed.ToList();
        var control = options.Single("control") ?? DefaultControl;
        var filters = options.All("filter") is { Count: > 0 } f ? f.ToList() : slowed.Append(control).ToList();
        var seconds = options.Number("seconds", 24);
        var factor = options.Number("slow-factor", 1.25);
        var scratch = Path.Combine(Path.GetTempPath(), "lyra-ab-selftest");
        Directory.CreateDirectory(scratch);
        var settings = Program.Settings(options) with { BudgetSeconds = seconds };
        const string FactorMember = "Lyra.Core.Slowdown.Factor";

        // 2. The same folder twice.
        var same = options.Single("same") ?? baseDir ?? slowDir!;
        var sameOut = Path.Combine(scratch, "same.tsv");
        var r1 = ProbeRun.Run(new ProbeRun.Options(same, same, sameOut, options.Single("assembly"), filters, settings, new[] { FactorMember }), log);
        var shared = r1.A.Assemblies.Intersect(r1.B.Assemblies).Select(a => a.GetName().Name).ToList();
        Check(shared.Count == 0 && r1.A.Assemblies.Count() >= 2, $"A = B: the two contexts hold distinct copies ({r1.A.Assemblies.Count()} assemblies each side; shared: {(shared.Count == 0 ? "none" : string.Join(", ", shared))})");
        var outside = r1.A.LoadedAssemblies().Where(a => !a.Location.StartsWith(r1.A.Folder, StringComparison.Ordinal))
            .Concat(r1.B.LoadedAssemblies().Where(a => !a.Location.StartsWith(r1.B.Folder, StringComparison.Ordinal))).Select(a => a.Name).ToList();
        Check(outside.Count == 0, $"A = B: every assembly of a side's context was loaded from the side's folder ({(outside.Count == 0 ? "all" : "not: " + string.Join(", ", outside))})");
        var sameResults = Analysis.Analyse(RunData.Read(sameOut), 0.05, 60);
        Analysis.Write(sameResults, log, null, 0.05, 60);
        TierUp(sameResults, "A = B", Check);
        foreach (var scheme in sameResults.GroupBy(r => r.Scheme))
        {
            var misses = scheme.Where(r => !r.Pairs.ContainsOne).Select(r => r.Benchmark).ToList();
            var allowed = scheme.Count() / 5;
            Check(misses.Count <= allowed, $"A = B, {scheme.Key}: 95 % intervals contain 1 for {scheme.Count() - misses.Count} of {scheme.Count()} (at most {allowed} may miss){(misses.Count > 0 ? "; missed: " + string.Join(", ", misses) : "")}");
            Check(scheme.All(r => r.Judge?.Outcome != TimeOutcome.Slower && r.Judge?.Outcome != TimeOutcome.Faster), $"A = B, {scheme.Key}: the gate's paired judge flags nothing ({string.Join(", ", scheme.Select(r => r.Judge?.Outcome))})");
        }

        // 3. The slow build against the base.
        if (baseDir is not null && slowDir is not null)
        {
            var slowOut = Path.Combine(scratch, "slow.tsv");
            var r2 = ProbeRun.Run(new ProbeRun.Options(slowDir, baseDir, slowOut, options.Single("assembly"), filters, settings, new[] { FactorMember }), log);
            var fa = r2.A.ReadStatic(FactorMember);
            var fb = r2.B.ReadStatic(FactorMember);
            Check(fa is not null && Math.Abs(double.Parse(fa, CultureInfo.InvariantCulture) - factor) < 1e-9 && fb is not null && double.Parse(fb, CultureInfo.InvariantCulture) == 1.0,
                $"static state per context: {FactorMember} A = {fa ?? "absent"} (expected {ProbeRun.Num(factor)}), B = {fb ?? "absent"} (expected 1)");
            var slowResults = Analysis.Analyse(RunData.Read(slowOut), 0.05, 60);
            Analysis.Write(slowResults, log, null, 0.05, 60);
            TierUp(slowResults, "slow", Check);
            foreach (var r in slowResults.Where(r => r.Scheme == Scheme.Interleaved))
            {
                if (slowed.Any(id => ProbeRun.Glob(new[] { id })(r.Benchmark)))
                {
                    Check(r.Pairs.Ratio > 1.1 && r.Pairs.Lower > 1, $"slow {ProbeRun.Num(factor)}: {r.Benchmark} reads {r.Pairs.Ratio:0.000} (95 % CI {r.Pairs.Lower:0.000}–{r.Pairs.Upper:0.000}), expected > 1.1 and excluding 1");
                }
                else if (ProbeRun.Glob(new[] { control })(r.Benchmark))
                {
                    Check(r.Pairs.Ratio < 1.1, $"slow {ProbeRun.Num(factor)}: control {r.Benchmark} (not slowed) reads {r.Pairs.Ratio:0.000}, expected < 1.1");
                }
            }
        }

        log.WriteLine(failures == 0 ? "selftest: all checks passed" : $"selftest: {failures} check(s) FAILED");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Tier-up finished in warm-up (the JIT went quiet) for every benchmark: when it did not, a side may still
    /// run tier-0 code, and the A = B and slow checks that follow fail for that reason, not for the pairing.</summary>
    private static void TierUp(IEnumerable<SchemeResult> results, string run, Action<bool, string> check)
    {
        var unquiet = results.Where(r => r.Scheme == Scheme.Interleaved && r.Warning.Length > 0).Select(r => $"{r.Benchmark} ({r.Warning})").ToList();
        check(unquiet.Count == 0, $"{run}: tier-up finished during warm-up for every benchmark{(unquiet.Count > 0 ? "; not: " + string.Join("; ", unquiet) + " — machine too busy for the background JIT?" : "")}");
    }

    /// <summary>Seeded pairs whose level moves a lot from pair to pair (SD 0.3 of ln, shared by A and B) with 3 %
    /// independent noise: the paired interval must cancel the level and cover the true ratio about 95 % of the time.</summary>
    private static void Statistics(Action<bool, string> check)
    {
        foreach (var truth in new[] { 1.0, 1.1 })
        {
            int covered = 0, excludesOne = 0;
            const int Seeds = 400;
            for (var seed = 0; seed < Seeds; seed++)
            {
                var random = new Random(seed);
                var d = new List<double>();
                for (var k = 0; k < 30; k++)
                {
                    var level = 0.3 * Normal(random);
                    var a = level + Math.Log(truth) + (0.03 * Normal(random));
                    var b = level + (0.03 * Normal(random));
                    d.Add(a - b);
                }

                var stats = PairedStats.Of(d);
                covered += stats.Lower <= truth && truth <= stats.Upper ? 1 : 0;
                excludesOne += stats.ContainsOne ? 0 : 1;
            }

            var coverage = (double)covered / Seeds;
            check(coverage is >= 0.92 and <= 0.98, $"statistics: the 95 % paired interval covers a true ratio of {truth:0.00} in {coverage:P1} of {Seeds} seeded runs (expected 92–98 %)");
            if (truth > 1)
            {
                check(excludesOne == Seeds, $"statistics: a true ratio of {truth:0.00} under a level SD of 0.3 is told from 1 in {excludesOne} of {Seeds} runs (expected all: pairing cancels the level)");
            }
        }
    }

    /// <summary>The analysis pipeline end to end on synthetic iterations: both schemes, a ×1.25 and an unchanged benchmark.</summary>
    private static void Pipeline(Action<bool, string> check)
    {
        var random = new Random(42);
        var iterations = new List<Iteration>();
        var t = 0.0;
        foreach (var (name, truth) in new[] { ("Synthetic.Slowed", 1.25), ("Synthetic.Same", 1.0), ("Synthetic.Other", 1.0) })
        {
            foreach (var (scheme, k, units) in new[] { (Scheme.Interleaved, 1, 60), (Scheme.Blocked, 5, 12) })
            {
                var level = 0.0;
                for (var u = 0; u < units; u++)
                {
                    var order = 0;
                    foreach (var side in Enumerable.Repeat(u % 2 == 0 ? 'A' : 'B', k).Concat(Enumerable.Repeat(u % 2 == 0 ? 'B' : 'A', k)))
                    {
                        level = (0.9 * level) + (0.05 * Normal(random)); // a slowly wandering machine level
                        var ns = 1000 * Math.Exp(level + (0.01 * Normal(random))) * (side == 'A' ? truth : 1);
                        iterations.Add(new Iteration(name, scheme, 0, u, order++, side, t += 0.03, ns, 1000, 0));
                    }
                }
            }
        }

        var run = new RunData
        {
            Path = "synthetic.tsv",
            Meta = new List<string[]> { new[] { "settings", "block=5" } },
            Iterations = iterations,
            Benchmarks = new[] { "Synthetic.Slowed", "Synthetic.Same", "Synthetic.Other" }.ToDictionary(n => n, _ => (0.5, new Dictionary<string, double> { [Scheme.Interleaved] = 3.6, [Scheme.Blocked] = 3.6 }, "", true), StringComparer.Ordinal),
        };
        var results = Analysis.Analyse(run, 0.05, 60);
        foreach (var r in results)
        {
            var truth = r.Benchmark == "Synthetic.Slowed" ? 1.25 : 1.0;
            var judged = truth > 1 ? r.Judge?.Outcome == TimeOutcome.Slower : r.Judge?.Outcome is TimeOutcome.Same or TimeOutcome.Unknown;
            // Coverage itself is the statistics check above; one seed only has to land near the truth.
            check(Math.Abs(Math.Log(r.Pairs.Ratio / truth)) < 0.03 && judged,
                $"pipeline: {r.Benchmark} {r.Scheme}: {r.Pairs.Ratio:0.000} (95 % CI {r.Pairs.Lower:0.000}–{r.Pairs.Upper:0.000}) within 3 % of {truth:0.00}; judge {r.Judge?.Outcome} (expected {(truth > 1 ? "Slower" : "Same or Unknown")})");
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
