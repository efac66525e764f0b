using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.AbProbe;

/// <summary>A probe TSV read back: header lines, iterations and per-benchmark costs.</summary>
internal sealed class RunData
{
    public required string Path { get; init; }

    public required List<string[]> Meta { get; init; }

    public required List<Iteration> Iterations { get; init; }

    public required Dictionary<string, (double Overhead, Dictionary<string, double> Seconds, string Failure, bool WarmupQuiet)> Benchmarks { get; init; }

    public int BlockSize => int.TryParse(Setting("block"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? k : 5;

    public string? Setting(string name) =>
        Meta.Where(m => m[0] == "settings").SelectMany(m => m.Skip(1)).Select(s => s.Split('=', 2)).Where(p => p.Length == 2 && p[0] == name).Select(p => p[1]).FirstOrDefault();

    public static RunData Read(string path)
    {
        var meta = new List<string[]>();
        var iterations = new List<Iteration>();
        var benchmarks = new Dictionary<string, (double, Dictionary<string, double>, string, bool)>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split('\t');
            try
            {
                if (line[0] == '#')
                {
                    f[0] = f[0][1..];
                    meta.Add(f);
                }
                else if (f[0] == "iter" && f.Length == 11)
                {
                    iterations.Add(new Iteration(f[1], f[2], Int(f[3]), Int(f[4]), Int(f[5]), f[6][0], Dbl(f[7]), Dbl(f[8]), long.Parse(f[9], CultureInfo.InvariantCulture), long.Parse(f[10], CultureInfo.InvariantCulture)));
                }
                else if (f[0] == "bench" && f.Length >= 9)
                {
                    var seconds = f[7].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => Dbl(p[1]), StringComparer.Ordinal);
                    benchmarks[f[1]] = (Dbl(f[6]), seconds, f.Length > 9 ? f[9] : "", f[5] == "yes");
                }
                else
                {
                    throw new FormatException("unknown row kind or wrong column count");
                }
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw new ProbeException($"{path}({number}): {e.Message}");
            }
        }

        return new RunData { Path = path, Meta = meta, Iterations = iterations, Benchmarks = benchmarks };
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static double Dbl(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}

/// <summary>Paired statistics on ln differences d = ln A − ln B (a paired t-test; the gate's interval, MDE and spread,
/// from <see cref="LogRatioInference"/>).</summary>
internal sealed record PairedStats(int Count, double Mean, double Sd, double StandardError, double Ratio, double Lower, double Upper, double Lag1)
{
    public const double Level = 0.95;
    public const double Power = 0.95;

    /// <summary>Spread of one paired ratio: exp(SD of d) − 1.</summary>
    public double Spread => LogRatioInference.SpreadRatio(Sd);

    public bool ContainsOne => Lower <= 1 && Upper >= 1;

    public static PairedStats Of(IReadOnlyList<double> d)
    {
        if (d.Count < 2)
        {
            return new PairedStats(d.Count, d.Count == 1 ? d[0] : double.NaN, double.NaN, double.NaN, d.Count == 1 ? Math.Exp(d[0]) : double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var mean = d.Average();
        var sd = Descriptive.StandardDeviation(d);
        var se = sd / Math.Sqrt(d.Count);
        var (lower, upper) = LogRatioInference.Interval(mean, se, LogRatioInference.CriticalT(Level, d.Count - 1));
        var lag = 0.0;
        var ss = d.Sum(x => (x - mean) * (x - mean));
        for (var k = 1; k < d.Count; k++)
        {
            lag += (d[k] - mean) * (d[k - 1] - mean);
        }

        return new PairedStats(d.Count, mean, sd, se, Math.Exp(mean), lower, upper, ss > 0 ? lag / ss : double.NaN);
    }

    /// <summary>The gate's minimum detectable slowdown (PairedTimeJudge): (1 + threshold)·exp((t₀.₉₇₅ + t_power)·SE) − 1,
    /// for <paramref name="pairs"/> pairs with this SD (the measured count when null).</summary>
    public double DetectableSlowdown(double threshold, double? pairs = null)
    {
        var n = pairs ?? Count;
        if (double.IsNaN(Sd) || n < 2)
        {
            return double.NaN;
        }

        var df = n - 1;
        return LogRatioInference.MinimumDetectableEffect(threshold, Sd / Math.Sqrt(n), LogRatioInference.CriticalT(Level, df), Distributions.StudentTQuantile(Power, df));
    }

    /// <summary>Standard error from batch means (consecutive batches of <paramref name="size"/>), divided by the plain SE:
    /// about 1 when the pairs are independent, above 1 when neighbouring pairs share noise (then the plain interval is too narrow).</summary>
    public static double BatchMeansRatio(IReadOnlyList<double> d, int size)
    {
        var batches = d.Count / size;
        if (batches < 4 || size < 2)
        {
            return double.NaN;
        }

        var means = Enumerable.Range(0, batches).Select(b => d.Skip(b * size).Take(size).Average()).ToList();
        var seBatch = Descriptive.StandardDeviation(means) / Math.Sqrt(batches);
        var plain = Descriptive.StandardDeviation(d.Take(batches * size)) / Math.Sqrt(batches * size);
        return plain > 0 ? seBatch / plain : double.NaN;
    }
}

/// <summary>One benchmark × scheme of one run, analysed.</summary>
internal sealed record SchemeResult(
    string File, string Benchmark, string Scheme, PairedStats Pairs, double BlockSpread, double BatchRatio, double OrderEffect,
    double Seconds, double Overhead, double DetectableAtBudget, double DetectablePerSuiteMinute, bool WarmupQuiet, double JitShare, TimeJudgement? Judge)
{
    /// <summary>Warm-up ended with the JIT still compiling, or measured iterations saw compilation: tier-up may differ between the sides.</summary>
    public string Warning => !WarmupQuiet ? $"warm-up not quiet; JIT in {JitShare:P0} of iterations" : JitShare > 0.05 ? $"JIT in {JitShare:P0} of iterations" : "";
}

/// <summary>
/// The analysis step: per benchmark and scheme, the paired spread, the geometric-mean ratio with its 95 % interval,
/// the minimum detectable slowdown at the measured budget and projected to one minute of machine time for the suite,
/// the machine seconds used, and the gate's own <see cref="PairedTimeJudge"/> verdict on the same units.
/// </summary>
internal static class Analysis
{
    public static List<SchemeResult> Analyse(RunData run, double threshold, double suiteSeconds)
    {
        var results = new List<SchemeResult>();
        var k = run.BlockSize;
        var benchmarkCount = Math.Max(1, run.Benchmarks.Count(b => b.Value.Failure.Length == 0));
        foreach (var scheme in run.Iterations.Select(i => i.Scheme).Distinct().OrderBy(s => s, StringComparer.Ordinal))
        {
            var comparisons = new List<TimeComparison>();
            var partial = new List<SchemeResult>();
            foreach (var group in run.Iterations.Where(i => i.Scheme == scheme).GroupBy(i => i.Benchmark, StringComparer.Ordinal))
            {
                var units = Units(group);
                var d = units.Select(u => Math.Log(Descriptive.Median(u.A)) - Math.Log(Descriptive.Median(u.B))).ToList();
                var stats = PairedStats.Of(d);

                // At the blocked scheme's granularity: interleaved pairs grouped k at a time (medians of each side's k).
                double blockSpread;
                if (scheme == Scheme.Interleaved)
                {
                    var grouped = Enumerable.Range(0, units.Count / k).Select(g => units.Skip(g * k).Take(k).ToList())
                        .Select(g => Math.Log(Descriptive.Median(g.SelectMany(u => u.A))) - Math.Log(Descriptive.Median(g.SelectMany(u => u.B)))).ToList();
                    blockSpread = grouped.Count >= 2 ? LogRatioInference.SpreadRatio(Descriptive.StandardDeviation(grouped)) : double.NaN;
                }
                else
                {
                    blockSpread = stats.Spread;
                }

                // First-versus-second in a unit, whatever the side: an order effect that ABBA cancels but that adds spread.
                var order = units.Select(u => u.FirstIsA ? Math.Log(Descriptive.Median(u.A)) - Math.Log(Descriptive.Median(u.B)) : Math.Log(Descriptive.Median(u.B)) - Math.Log(Descriptive.Median(u.A))).ToList();
                var (overhead, seconds, _, quiet) = run.Benchmarks.TryGetValue(group.Key, out var b) ? b : (double.NaN, new Dictionary<string, double>(), "", false);
                var jitShare = (double)group.Count(i => i.Jit > 0) / group.Count();
                var used = seconds.TryGetValue(scheme, out var s) ? s : double.NaN;
                var projected = used > 0 ? stats.Count * (suiteSeconds / benchmarkCount) / used : double.NaN;
                partial.Add(new SchemeResult(Path.GetFileName(run.Path), group.Key, scheme, stats, blockSpread, PairedStats.BatchMeansRatio(d, 8),
                    order.Count > 0 ? Math.Exp(order.Average()) - 1 : double.NaN, used, overhead, stats.DetectableSlowdown(threshold),
                    stats.DetectableSlowdown(threshold, projected), quiet, jitShare, null));
                comparisons.Add(new TimeComparison(Measurement(group.Key, units, u => u.B), Measurement(group.Key, units, u => u.A), threshold));
            }

            var judged = new PairedTimeJudge().JudgeAll(comparisons);
            results.AddRange(partial.Select((p, i) => p with { Judge = judged[i] }));
        }

        return results;
    }

    private sealed record Unit(List<double> A, List<double> B, bool FirstIsA);

    private static List<Unit> Units(IEnumerable<Iteration> iterations) =>
        iterations.GroupBy(i => i.Unit).OrderBy(g => g.Key)
            .Select(g => new Unit(g.Where(i => i.Side == 'A').Select(i => i.NanosecondsPerOperation).ToList(), g.Where(i => i.Side == 'B').Select(i => i.NanosecondsPerOperation).ToList(), g.OrderBy(i => i.Order).First().Side == 'A'))
            .Where(u => u.A.Count > 0 && u.B.Count > 0).ToList();

    /// <summary>One side as the gate's model: each unit a "launch" of its iterations, slotted by unit, so the judge pairs unit with unit.</summary>
    private static BenchmarkMeasurement Measurement(string id, IEnumerable<Unit> units, Func<Unit, List<double>> side)
    {
        var dot = id.IndexOf('(', StringComparison.Ordinal) is var p and > 0 ? id.LastIndexOf('.', p) : id.LastIndexOf('.');
        return new BenchmarkMeasurement
        {
            Id = id,
            Type = dot > 0 ? id[..dot] : id,
            Method = dot > 0 ? id[(dot + 1)..] : id,
            Launches = units.Select((u, k) => new LaunchMeasurement { Samples = side(u), Slot = "unit-" + k.ToString(CultureInfo.InvariantCulture), Session = "probe" }).ToList(),
        };
    }

    public static void Write(IReadOnlyList<SchemeResult> results, TextWriter console, string? tsvPath, double threshold, double suiteSeconds)
    {
        static string P(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture);
        static string R(double v) => double.IsNaN(v) ? "-" : v.ToString("0.000", CultureInfo.InvariantCulture);
        var header = "file\tbenchmark\tscheme\tunits\tratio\tci_low\tci_high\tspread_pct\tblock_spread_pct\tlag1\tbatch_se_ratio\torder_effect_pct\tscheme_s\toverhead_s"
                     + $"\tmde_pct_at_budget\tmde_pct_per_{ProbeRun.Num(suiteSeconds)}s_suite\tjudge\tjudge_ratio\tjudge_low\tjudge_high\tjudge_mde_pct\twarmup_quiet\tjit_share\twarning";
        var rows = results.Select(r => string.Join("\t", r.File, r.Benchmark, r.Scheme, r.Pairs.Count.ToString(CultureInfo.InvariantCulture), R(r.Pairs.Ratio), R(r.Pairs.Lower), R(r.Pairs.Upper),
            P(r.Pairs.Spread), P(r.BlockSpread), R(r.Pairs.Lag1), R(r.BatchRatio), P(r.OrderEffect), ProbeRun.Num(r.Seconds), ProbeRun.Num(r.Overhead),
            P(r.DetectableAtBudget), P(r.DetectablePerSuiteMinute), r.Judge?.Outcome.ToString() ?? "-", R(r.Judge?.Ratio ?? double.NaN),
            R(r.Judge?.RatioLower ?? double.NaN), R(r.Judge?.RatioUpper ?? double.NaN), P(r.Judge?.MinimumDetectableEffect ?? double.NaN),
            r.WarmupQuiet ? "yes" : "no", R(r.JitShare), r.Warning)).ToList();
        if (tsvPath is not null)
        {
            File.WriteAllLines(tsvPath, new[] { header }.Concat(rows));
        }

        console.WriteLine($"Per benchmark (A = change, B = base; ratio A/B, 95 % paired-t interval; spread = exp(SD of ln(A/B) per unit) − 1; "
                          + $"MDE = the gate's minimum detectable slowdown at threshold {P(threshold)} %, power {P(PairedStats.Power)} %; "
                          + $"'per {ProbeRun.Num(suiteSeconds)}s suite' = if the whole suite had {ProbeRun.Num(suiteSeconds)} s of measuring for this scheme alone, warm-up excluded):");
        console.WriteLine(string.Join("  ", "benchmark".PadRight(58), "scheme".PadRight(11), "units", " ratio", "   95% CI      ", "spread%", "blk%", " lag1", "MDE%", "MDE%/min", "judge"));
        foreach (var r in results.OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Benchmark, StringComparer.Ordinal).ThenBy(r => r.Scheme, StringComparer.Ordinal))
        {
            var name = r.Benchmark.Length > 58 ? r.Benchmark[..58] : r.Benchmark;
            console.WriteLine(string.Join("  ", name.PadRight(58), r.Scheme.PadRight(11), r.Pairs.Count.ToString(CultureInfo.InvariantCulture).PadLeft(5), R(r.Pairs.Ratio).PadLeft(6),
                $"{R(r.Pairs.Lower)}–{R(r.Pairs.Upper)}".PadRight(15), P(r.Pairs.Spread).PadLeft(7), P(r.BlockSpread).PadLeft(4), R(r.Pairs.Lag1).PadLeft(5),
                P(r.DetectableAtBudget).PadLeft(4), P(r.DetectablePerSuiteMinute).PadLeft(8), (r.Judge?.Outcome.ToString() ?? "-").PadRight(7), r.Warning));
        }

        console.WriteLine();
        console.WriteLine("Per run and scheme (medians over benchmarks):");
        foreach (var g in results.GroupBy(r => (r.File, r.Scheme)).OrderBy(g => g.Key.File, StringComparer.Ordinal).ThenBy(g => g.Key.Scheme, StringComparer.Ordinal))
        {
            var list = g.ToList();
            double Med(Func<SchemeResult, double> f) => list.Select(f).Where(v => !double.IsNaN(v)) is var v && v.Any() ? Descriptive.Median(v) : double.NaN;
            var outcomes = string.Join(", ", list.GroupBy(r => r.Judge?.Outcome.ToString() ?? "-").OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Count()}"));
            console.WriteLine($"  {g.Key.File} {g.Key.Scheme}: {list.Count} benchmarks, spread {P(Med(r => r.Pairs.Spread))} % (block-level {P(Med(r => r.BlockSpread))} %), "
                              + $"MDE {P(Med(r => r.DetectableAtBudget))} % at {ProbeRun.Num(list.Sum(r => r.Seconds))} s measured (+{ProbeRun.Num(list.Sum(r => double.IsNaN(r.Overhead) ? 0 : r.Overhead))} s set-up/warm-up, shared by the schemes), "
                              + $"MDE {P(Med(r => r.DetectablePerSuiteMinute))} % per {ProbeRun.Num(suiteSeconds)} s suite; interval excludes 1: {list.Count(r => !r.Pairs.ContainsOne && r.Pairs.Count >= 2)}; "
                              + $"lag-1 {R(Med(r => r.Pairs.Lag1))}, batch-SE ratio {R(Med(r => r.BatchRatio))}, order effect {P(Med(r => r.OrderEffect))} %; judge: {outcomes}; "
                              + $"tier-up warnings: {list.Count(r => r.Warning.Length > 0)}");
        }
    }
}
