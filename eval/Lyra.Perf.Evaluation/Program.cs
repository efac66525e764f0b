using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Evaluation;

/// <summary>Truth for one benchmark in one comparison: its true time factor class and whether an allocation was added.</summary>
internal sealed record Truth(string Class, bool ExtraAllocation);

internal sealed record Comparison(RunResult Baseline, RunResult Current, Func<string, Truth> TruthOf)
{
    /// <summary>What the gate's history would hold before this run: the unchanged runs not in the current side.</summary>
    public IReadOnlyList<RunResult>? History { get; init; }
}

internal sealed record Scenario(string Name, string Description, IReadOnlyList<Comparison> Comparisons);

internal static class Program
{
    private static readonly string[] Classes = { "unchanged", "+5%", "+10%", "+25%", "+50%", "alloc-only" };

    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "--live")
        {
            using var live = Dataset.Open(args[1]);
            return Live.Evaluate(live, args[2]);
        }

        if (args.Length >= 3 && args[0] == "--ab")
        {
            return AbReplay.Evaluate(args.Skip(1).Take(args.Length - 2).ToList(), args[^1]);
        }

        if (args.Length == 1 && args[0] == "--quiet-fit")
        {
            return QuietRunner.Fit();
        }

        if (args.Length == 2 && args[0] == "--quiet")
        {
            return QuietRunner.Run(args[1]);
        }

        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: Lyra.Perf.Evaluation <dataset .tar.gz or dir> <output md> | --live <live data .tar.gz or dir> <output md> | --ab <A/B data .tar.xz or dir>... <output md>");
            return 2;
        }

        var total = Stopwatch.StartNew();
        using var source = Dataset.Open(args[0]);
        var dataset = source.Directory;
        var runs = Directory.GetDirectories(Path.Combine(dataset, "runs")).OrderBy(d => d, StringComparer.Ordinal)
            .ToDictionary(d => Path.GetFileName(d), d => BenchmarkDotNetReader.ReadDirectories(new[] { d }).Run, StringComparer.Ordinal);
        var truth = ReadTruth(Path.Combine(dataset, "truth.json"));
        var u = runs.Keys.Where(k => k.StartsWith("u", StringComparison.Ordinal)).ToList();
        var s = runs.Keys.Where(k => k.StartsWith("s", StringComparison.Ordinal)).ToList();
        Truth Unchanged(string id) => new("unchanged", false);
        Truth Slowed(string id) => truth.TryGetValue(id, out var t) ? t : new Truth("unchanged", false);

        var rules = new IRule[]
        {
            new EngineRule("**Lyra.Perf engine** (default)", new GateOptions()),
            new EngineRule("engine, suite drift cancelled", new GateOptions { CancelSuiteDrift = true }),
            new EngineRule("engine + learned prior (history: the 4 unchanged runs in neither side, below the 5-run minimum: unused)", new GateOptions(), learns: true),
            new NaiveMeanRule(),
            new ResultsComparerRule(),
        };

        var scenarios = new List<Scenario>();
        var single = new List<Comparison>();
        for (var i = 0; i + 1 < u.Count; i++)
        {
            single.Add(new Comparison(runs[u[i]], runs[u[i + 1]], Unchanged));
        }

        for (var i = 0; i < s.Count && i < u.Count; i++)
        {
            single.Add(new Comparison(runs[u[i]], runs[s[i]], Slowed));
        }

        scenarios.Add(new Scenario("A. one run vs one run (1 launch each)", $"unchanged: {u[0]}→{u[1]} … ({u.Count - 1} pairs); slowed: u(i)→s(i) ({Math.Min(s.Count, u.Count)} pairs). As in the dataset README.", single));

        var firstThree = Merge(u.Take(3).Select(k => runs[k]));
        var fixedBase = u.Skip(3).Select(k => new Comparison(firstThree, runs[k], Unchanged))
            .Concat(s.Select(k => new Comparison(firstThree, runs[k], Slowed))).ToList();
        scenarios.Add(new Scenario("B. baseline from 3 runs vs one run", $"baseline = {string.Join("+", u.Take(3))} merged as 3 launches; current = each of {string.Join(", ", u.Skip(3))} (unchanged) and {string.Join(", ", s)} (slowed).", fixedBase));

        var leaveOneOut = new List<Comparison>();
        foreach (var k in u)
        {
            leaveOneOut.Add(new Comparison(Merge(u.Where(x => x != k).Select(x => runs[x])), runs[k], Unchanged));
        }

        for (var j = 0; j < s.Count; j++)
        {
            leaveOneOut.Add(new Comparison(Merge(u.Where((x, i) => i != j).Select(x => runs[x])), runs[s[j]], Slowed));
        }

        scenarios.Add(new Scenario("C. baseline from 5 runs vs one run", "baseline = 5 unchanged runs merged as launches, current = the 6th (each in turn); slowed: s(j) against the unchanged runs other than u(j).", leaveOneOut));

        var threeVsThree = new List<Comparison>();
        var splits = Subsets(u.Count, 3).ToList();
        foreach (var split in splits)
        {
            var a = Merge(split.Select(i => runs[u[i]]));
            var b = Merge(Enumerable.Range(0, u.Count).Where(i => !split.Contains(i)).Select(i => runs[u[i]]));
            threeVsThree.Add(new Comparison(a, b, Unchanged));
        }

        foreach (var split in splits)
        {
            var a = Merge(split.Select(i => runs[u[i]]));
            for (var start = 0; start + 3 <= s.Count; start++)
            {
                threeVsThree.Add(new Comparison(a, Merge(s.Skip(start).Take(3).Select(k => runs[k])), Slowed));
            }
        }

        scenarios.Add(new Scenario("D. 3 launches vs 3 launches", $"every split of the {u.Count} unchanged runs into 3 baseline + 3 current launches ({splits.Count}); slowed: every 3 unchanged runs vs s01–s03 and s02–s04 merged. Comparisons share runs, so they are not independent.", threeVsThree));

        // Layout A with the history a gate would have read: the 4 unchanged runs in neither side (one launch each);
        // a slowed pair u(i)→s(i) gets the same 4 as its unchanged twin u(i)→u(i+1). The other layouts leave fewer than
        // 3 runs outside both sides, so the learned prior has nothing to learn there.
        var twins = scenarios[0].Comparisons.Where(c => u.Any(k => Holds(c.Current, runs[k]))).ToList();
        scenarios[0] = scenarios[0] with
        {
            Comparisons = scenarios[0].Comparisons.Select((c, i) => c with
            {
                History = u.Where(k => !Holds(c.Baseline, runs[k]) && !Holds(twins[i % twins.Count].Current, runs[k]) && !Holds(c.Current, runs[k])).Select(k => runs[k]).ToList(),
            }).ToList(),
        };

        var report = new StringBuilder();
        var timings = new List<(string, double)>();
        foreach (var scenario in scenarios)
        {
            var watch = Stopwatch.StartNew();
            WriteScenario(report, scenario, rules);
            timings.Add((scenario.Name, watch.Elapsed.TotalSeconds));
        }

        var scaled = Stopwatch.StartNew();
        var scaledLayouts = ScaledLayouts(u, runs);
        WriteScaled(report, scaledLayouts, rules[0]);
        timings.Add(("E. scaled replay", scaled.Elapsed.TotalSeconds));
        WriteLaunchTable(report, u, runs);
        var variantsWatch = Stopwatch.StartNew();
        Variants.Write(report, scenarios, scaledLayouts, Variants.All(new StatisticalJudgeSettings()));
        timings.Add(("G. variants", variantsWatch.Elapsed.TotalSeconds));
        var synthetic = Stopwatch.StartNew();
        var d = new StatisticalJudgeSettings();
        Synthetic.Write(report, new[]
        {
            new Variant("default", d),
            new Variant("two-way blend (quiet benchmarks raised toward the suite)", d with { Prior = TriedPriors.Blend }),
            new Variant("previous default (median, 2 × iteration MAD, 4 df)", d with { LaunchQuantile = 0.5, IterationInflation = 2, Prior = null, PriorDegreesOfFreedom = 4 }),
        }, 100);
        timings.Add(("H. synthetic", synthetic.Elapsed.TotalSeconds));

        var header = new StringBuilder();
        header.AppendLine("Generated by `eval/Lyra.Perf.Evaluation` — do not edit this block by hand; re-run:");
        header.AppendLine();
        header.AppendLine("```");
        header.AppendLine($"dotnet run --project eval/Lyra.Perf.Evaluation -c Release -- {source.DisplayPath} docs/verdict-quality.md");
        header.AppendLine("```");
        header.AppendLine();
        header.AppendLine($"- Dataset: `{source.Name}` — runs {string.Join(", ", runs.Keys)} (24 benchmarks each, 1 in-process launch of 15 × 100 ms iterations per run, 62–73 s per run).");
        header.AppendLine($"- Replayed on: {Machine()}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; replay took {total.Elapsed.TotalSeconds:0.0} s ({string.Join(", ", timings.Select(t => $"{t.Item1.Split('.')[0]} {t.Item2:0.0} s"))}).");
        header.AppendLine("- Engine settings: threshold 5 %, FailOn Major (an *error* is a Slower verdict of ≥ 20 %), Benjamini–Hochberg at 5 % over the run's 24 benchmarks, noise floor 0.3 ns, allocation allowance max(16 B, baseline launches' spread).");
        header.AppendLine("- \"false flags\" = Slower + Faster verdicts on truly unchanged benchmarks; Unknown (LPG0206: a message per benchmark and one warning per run, saying the comparison cannot resolve 5 %) is counted separately. \"false errors\" = build-failing time verdicts on unchanged benchmarks; for the reference rules a Slower call of ≥ 20 %. Detection = Slower verdicts in that truth class. Alloc-only benchmarks have unchanged time and +24 B/op.");
        header.AppendLine("- Reference rules see all iteration samples pooled (they have no notion of launches) and do not judge allocations.");
        header.AppendLine();
        WriteBetweenMarkers(args[1], header.ToString() + report);
        Console.WriteLine($"wrote {args[1]} in {total.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>Replaces only the generated block, so the hand-written analysis around it survives a re-run.</summary>
    internal static void WriteBetweenMarkers(string path, string generated, string name = "generated")
    {
        var begin = $"<!-- {name}:begin -->";
        var end = $"<!-- {name}:end -->";
        var block = begin + "\n" + generated + end;
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        var from = existing.IndexOf(begin, StringComparison.Ordinal);
        var to = existing.IndexOf(end, StringComparison.Ordinal);
        var text = from >= 0 && to > from
            ? existing.Substring(0, from) + block + existing.Substring(to + end.Length)
            : existing.Length == 0 ? "# Verdict quality, measured\n\n" + block + "\n" : existing.TrimEnd() + "\n\n" + block + "\n";
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text);
    }

    private static void WriteScenario(StringBuilder md, Scenario scenario, IReadOnlyList<IRule> rules)
    {
        md.AppendLine($"## {scenario.Name}");
        md.AppendLine();
        md.AppendLine(scenario.Description);
        md.AppendLine();
        md.AppendLine("| rule | false flags (S+F) | of which Slower | Unknown | false errors | false alloc flags | detect +5% | +10% | +25% | +50% | alloc-only: +24 B caught | alloc-only: time flagged |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var rule in rules)
        {
            if (rule is EngineRule { Learns: true } && scenario.Comparisons.All(c => c.History is null))
            {
                continue; // No history in this layout: the row would repeat the default's.
            }

            var tally = Classes.ToDictionary(c => c, c => new Tally(), StringComparer.Ordinal);
            foreach (var comparison in scenario.Comparisons)
            {
                foreach (var pair in rule.Judge(comparison.Baseline, comparison.Current, comparison.History))
                {
                    var t = comparison.TruthOf(pair.Key);
                    tally[t.ExtraAllocation ? "alloc-only" : t.Class].Add(pair.Value);
                }
            }

            var un = tally["unchanged"];
            var alloc = tally["alloc-only"];
            var allocCell = rule.JudgesAllocations ? Pct(alloc.AllocFlags, alloc.N) : "n/a";
            var falseAlloc = rule.JudgesAllocations ? Pct(Classes.Where(c => c != "alloc-only").Sum(c => tally[c].AllocFlags), Classes.Where(c => c != "alloc-only").Sum(c => tally[c].N)) : "n/a";
            md.AppendLine($"| {rule.Name} | {Pct(un.Slower + un.Faster, un.N)} | {Pct(un.Slower, un.N)} | {Pct(un.Unknown, un.N)} | {Pct(un.Errors, un.N)} | {falseAlloc} | "
                + $"{Pct(tally["+5%"].Slower, tally["+5%"].N)} | {Pct(tally["+10%"].Slower, tally["+10%"].N)} | {Pct(tally["+25%"].Slower, tally["+25%"].N)} | {Pct(tally["+50%"].Slower, tally["+50%"].N)} | "
                + $"{allocCell} | {Pct(alloc.Slower + alloc.Faster, alloc.N)} |");
        }

        md.AppendLine();
    }

    /// <summary>Scaled replay: an unchanged run's samples × factor (and +24 B/op) against a baseline from the other runs,
    /// so the truth is exact. Detection is also reported where the engine's stated MDE was below 10 %.</summary>
    internal static List<(string Name, List<(RunResult Base, RunResult Current)> Pairs)> ScaledLayouts(IReadOnlyList<string> u, IReadOnlyDictionary<string, RunResult> runs) => new()
    {
        ("5 vs 1", u.Select(k => (Merge(u.Where(x => x != k).Select(x => runs[x])), runs[k])).ToList()),
        ("3 vs 3", Subsets(u.Count, 3).Select(split => (Merge(split.Select(i => runs[u[i]])), Merge(Enumerable.Range(0, u.Count).Where(i => !split.Contains(i)).Select(i => runs[u[i]])))).ToList()),
    };

    private static void WriteScaled(StringBuilder md, IReadOnlyList<(string Name, List<(RunResult Base, RunResult Current)> Pairs)> layouts, IRule engine)
    {
        md.AppendLine("## E. Scaled replay (exact truth)");
        md.AppendLine();
        md.AppendLine("Current = an unchanged run with every sample × factor (and, in the last row, +24 B/op on every benchmark, time unchanged); baseline = other unchanged runs merged as launches. "
            + "Two layouts: 5 baseline launches vs 1 (each run held out in turn) and 3 vs 3 (every split). \"where MDE < 10%\" restricts to comparisons whose reported minimum detectable effect was below 10 %.");
        md.AppendLine();
        md.AppendLine("| layout | change | comparisons | Slower | Faster | Unknown | errors | Slower where MDE < 10% | alloc flagged | median MDE | smallest MDE |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, pairs) in layouts)
        {
            foreach (var (factor, extra) in new[] { (1.00, 0.0), (1.05, 0.0), (1.10, 0.0), (1.25, 0.0), (1.50, 0.0), (1.00, 24.0) })
            {
                var tally = new Tally();
                var lowMde = new Tally();
                var mdes = new List<double>();
                foreach (var (baseline, current) in pairs)
                {
                    foreach (var call in engine.Judge(baseline, Transform(current, factor, extra)).Values)
                    {
                        tally.Add(call);
                        if (call.Mde is { } mde && !double.IsNaN(mde))
                        {
                            mdes.Add(mde);
                            if (mde < 0.10)
                            {
                                lowMde.Add(call);
                            }
                        }
                    }
                }

                var label = extra > 0 ? "+24 B/op, time ×1.00" : $"time ×{factor:0.00}";
                md.AppendLine($"| {name} | {label} | {tally.N} | {Pct(tally.Slower, tally.N)} | {Pct(tally.Faster, tally.N)} | {Pct(tally.Unknown, tally.N)} | {Pct(tally.Errors, tally.N)} | {Pct(lowMde.Slower, lowMde.N)} | {Pct(tally.AllocFlags, tally.N)} | {(mdes.Count == 0 ? "n/a" : Units.Percent(Descriptive.Median(mdes)))} | {(mdes.Count == 0 ? "n/a" : Units.Percent(mdes.Min()))} |");
            }
        }

        md.AppendLine();
        md.AppendLine("**Is the reported MDE honest?** The MDE does not depend on the shift (scaling the current side changes no spread), so each benchmark's current samples can be "
            + "multiplied by exactly (1 + its own reported MDE) and the comparison replayed: the engine states the MDE at 95 % power, so at least 95 % of these should be caught (Slower). "
            + "Rows by the size of the MDE.");
        md.AppendLine();
        md.AppendLine("| layout | comparisons | caught at ×(1 + MDE) | MDE < 20 % | MDE 20–50 % | MDE ≥ 50 % | caught at ×(1 + MDE/2) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, pairs) in layouts)
        {
            var all = new Tally();
            var half = new Tally();
            var bins = new[] { new Tally(), new Tally(), new Tally() };
            foreach (var (baseline, current) in pairs)
            {
                var mde = engine.Judge(baseline, current).Where(p => p.Value.Mde is { } m && !double.IsNaN(m)).ToDictionary(p => p.Key, p => p.Value.Mde!.Value, StringComparer.Ordinal);
                var atMde = engine.Judge(baseline, Transform(current, id => mde.TryGetValue(id, out var m) ? 1 + m : 1));
                var atHalf = engine.Judge(baseline, Transform(current, id => mde.TryGetValue(id, out var m) ? 1 + (m / 2) : 1));
                foreach (var pair in atMde.Where(p => mde.ContainsKey(p.Key)))
                {
                    all.Add(pair.Value);
                    bins[mde[pair.Key] < 0.2 ? 0 : mde[pair.Key] < 0.5 ? 1 : 2].Add(pair.Value);
                }

                foreach (var pair in atHalf.Where(p => mde.ContainsKey(p.Key)))
                {
                    half.Add(pair.Value);
                }
            }

            md.AppendLine($"| {name} | {all.N} | {Pct(all.Slower, all.N)} | {Pct(bins[0].Slower, bins[0].N)} | {Pct(bins[1].Slower, bins[1].N)} | {Pct(bins[2].Slower, bins[2].N)} | {Pct(half.Slower, half.N)} |");
        }

        md.AppendLine();
    }

    internal static RunResult Transform(RunResult run, Func<string, double> factorOf) => run with
    {
        Benchmarks = run.Benchmarks.Select(b => b with
        {
            Launches = b.Launches.Select(l => l with { Samples = l.Samples.Select(v => v * factorOf(b.Id)).ToList() }).ToList(),
        }).ToList(),
    };

    /// <summary>What n launches per side would buy, from each benchmark's spread of ln(run median) across the unchanged runs.</summary>
    private static void WriteLaunchTable(StringBuilder md, IReadOnlyList<string> u, IReadOnlyDictionary<string, RunResult> runs)
    {
        var ids = runs[u[0]].Benchmarks.Select(b => b.Id).ToList();
        // The engine's launch level: the fastest iteration of each run (one launch per run here).
        var sigmas = ids.Select(id => Descriptive.StandardDeviation(u.Select(k => runs[k].Benchmarks.First(b => b.Id == id).AllSamples.Where(v => v > 0).Min()).Select(v => Math.Log(v)))).OrderBy(v => v).ToList();
        var secondsPerLaunch = 68.0 / 24; // This dataset: 62–73 s per run of 24 benchmarks, one launch each.
        md.AppendLine("## F. Launches per side: detectable effect and cost");
        md.AppendLine();
        md.AppendLine($"Per-benchmark spread σ = SD of ln(fastest iteration) over the {u.Count} unchanged runs, the engine's launch level (here min {sigmas.First():0.000}, median {Descriptive.Median(sigmas):0.000}, max {sigmas.Last():0.000}). "
            + "MDE(n) = 1.05 · exp((z₀.₉₇₅ + z₀.₉₅) · σ · √(2/n)) − 1 with n launches on each side: the slowdown the gate's test against the 5 % threshold catches with 95 % power if σ were known (the engine's own figure is larger: it estimates σ, so it uses t quantiles). "
            + $"Cost: {secondsPerLaunch:0.0} s per benchmark per launch at this dataset's job (15 × 100 ms iterations); the gate's tuned job is similar (FACTS.md: ~18 s per process of 8 benchmarks).");
        md.AppendLine();
        md.AppendLine("| launches per side | MDE, quietest | MDE, median benchmark | MDE, 75th pct | MDE, noisiest | minutes per 24-benchmark gate run (current side) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|");
        var z = Distributions.NormalQuantile(0.975) + Distributions.NormalQuantile(0.95);
        foreach (var n in new[] { 1, 2, 3, 5, 7, 10, 15, 20 })
        {
            string Mde(double sigma) => Units.Percent((1.05 * Math.Exp(z * sigma * Math.Sqrt(2.0 / n))) - 1);
            md.AppendLine($"| {n} | {Mde(sigmas.First())} | {Mde(Descriptive.Median(sigmas))} | {Mde(Descriptive.Quantile(sigmas, 0.75))} | {Mde(sigmas.Last())} | {n * secondsPerLaunch * ids.Count / 60:0.0} |");
        }

        md.AppendLine();
    }

    internal static RunResult Transform(RunResult run, double factor, double extraBytes) => run with
    {
        Benchmarks = run.Benchmarks.Select(b => b with
        {
            Launches = b.Launches.Select(l => l with
            {
                Samples = l.Samples.Select(v => v * factor).ToList(),
                AllocatedBytesPerOperation = l.AllocatedBytesPerOperation + extraBytes,
            }).ToList(),
        }).ToList(),
    };

    /// <summary>Several runs as one: the same benchmark's launches side by side (what PerfGateResults does with several
    /// reports), each run a session of its own.</summary>
    /// <summary>Whether <paramref name="side"/> holds <paramref name="run"/>'s launches (merged or as is).</summary>
    private static bool Holds(RunResult side, RunResult run)
    {
        var probe = run.Benchmarks.SelectMany(b => b.Launches).FirstOrDefault()?.Samples;
        return probe is not null && side.Benchmarks.SelectMany(b => b.Launches).Any(l => ReferenceEquals(l.Samples, probe));
    }

    internal static RunResult Merge(IEnumerable<RunResult> parts)
    {
        var list = parts.ToList();
        var ids = list[0].Benchmarks.Select(b => b.Id).ToList();
        return list[0] with
        {
            Benchmarks = ids.Select(id => list[0].Benchmarks.First(b => b.Id == id) with
            {
                Launches = list.SelectMany((r, session) => r.Benchmarks.Where(b => b.Id == id).SelectMany(b => b.Launches)
                    .Select(l => l with { Session = l.Session ?? "run " + session.ToString(CultureInfo.InvariantCulture) })).ToList(),
            }).ToList(),
        };
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        for (var mask = 0; mask < 1 << n; mask++)
        {
            var members = Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).ToArray();
            if (members.Length == k)
            {
                yield return members;
            }
        }
    }

    private static Dictionary<string, Truth> ReadTruth(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var truth = new Dictionary<string, Truth>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.GetProperty("benchmarks").EnumerateObject())
        {
            var extra = p.Value.GetProperty("extra_alloc").GetBoolean();
            truth[p.Name] = new Truth(extra ? "alloc-only" : p.Value.GetProperty("truth_class").GetString() ?? "unchanged", extra);
        }

        return truth;
    }

    private static string Machine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        return $"{cpu}, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
    }

    private static string Pct(int k, int n) => n == 0 ? "–" : $"{(100.0 * k / n).ToString("0.0", CultureInfo.InvariantCulture)}% ({k}/{n})";

    private sealed class Tally
    {
        public int N, Slower, Faster, Unknown, Errors, AllocFlags;

        public void Add(Call call)
        {
            N++;
            Slower += call.Time == TimeOutcome.Slower ? 1 : 0;
            Faster += call.Time == TimeOutcome.Faster ? 1 : 0;
            Unknown += call.Time == TimeOutcome.Unknown ? 1 : 0;
            Errors += call.TimeError ? 1 : 0;
            AllocFlags += call.AllocationFlag ? 1 : 0;
        }
    }
}
