using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine;
using Lyra.Perf.Engine.Comparison;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Statistics;

namespace Lyra.Perf.Evaluation;

/// <summary>
/// The A/B replay (issue 13): every recorded run of the in-process A/B runner (<c>&lt;variant&gt;-&lt;k&gt;-run-interleaved.json</c>,
/// as <c>build/collect-ab-runs.sh</c> keeps them) replayed side by side through (a) the gate's own A/B path
/// (<see cref="AbComparison"/> ingest, the paired judge, the gate's policy), (b) the stored-baseline judge with the base
/// side's units as the baseline's launches, (c) ResultsComparer's rule on the same samples, and (d) the paired judge
/// with a between-pass variance term (<see cref="BetweenPass"/>, research only), whose pseudo-degrees of freedom d0 are
/// fitted on the odd-numbered runs and reported on the even-numbered ones, and (e) the paired judge with a run-level
/// placement term (Var(mean d) = SE² + σ_p², research only), σ_p fitted on the odd-numbered runs so that at most 5 % of
/// the unchanged and control intervals exclude 1, reported on the even-numbered ones.
/// </summary>
internal static class AbReplay
{
    /// <summary>The sample benchmarks <c>Slowdown</c> does not touch (samples/Lyra.Core/Slowdown.cs): controls in a slowed run.</summary>
    private static readonly string[] s_controls = { "CacheBenchmarks.CacheHit", "PatternBenchmarks.Match", "SymbolTableBenchmarks.LookupNames", "ValueBenchmarks.Arithmetic", "ValueBenchmarks.SortMixed" };

    /// <summary>The sample's PerfClaim items (samples/Lyra.Core.Benchmarks/PerfClaims.props, 2 cores: Parallel ≥ 1.3×), checked by the gate's A/B path.</summary>
    private static readonly PerfClaim[] s_claims =
    {
        new("*SymbolBenchmarks.Interned*", "*SymbolBenchmarks.StringKeyed*") { LessAllocated = 0.4 },
        new("*CacheBenchmarks.CacheHit*", "*CacheBenchmarks.Recompute*") { Faster = 1.2 },
        new("*PoolBenchmarks.Pooled*", "*PoolBenchmarks.Allocating*") { LessAllocated = 0.9 },
        new("*ParallelBenchmarks.Parallel*", "*ParallelBenchmarks.Sequential*") { Faster = 1.3 },
    };

    /// <summary>What the gate's A/B path made of the sample's claims on one run: errors, warnings (not met, not failed), met.</summary>
    private sealed record ClaimCount(int Errors, int Warnings, int Met, IReadOnlyList<string> ErrorTexts);

    private static readonly Dictionary<string, ClaimCount> s_claimCounts = new(StringComparer.Ordinal);

    /// <summary>d0 values tried for the between-pass term; +∞ = the suite's value S alone.</summary>
    internal static readonly double[] Candidates = { 0, 1, 2, 4, 8, 16, double.PositiveInfinity };

    /// <summary>σ_p values tried for the run-level placement term (ln units): the variance of the mean is SE² + σ_p².</summary>
    internal static readonly double[] PlacementCandidates = { 0.005, 0.01, 0.015, 0.02, 0.03, 0.04 };

    /// <summary>The gate's placement term (<see cref="StatisticalJudgeSettings.PlacementSpread"/>), which the replay re-derives as a check.</summary>
    private static double Shipped => new StatisticalJudgeSettings().PlacementSpread;

    private static readonly Regex s_runFile = new(@"^(?<variant>.+)-(?<k>\d+)-run-interleaved\.json$", RegexOptions.CultureInvariant);

    private sealed record AbRun(string Group, string Label, string Variant, int K, double Factor, string File, InterleavedRun Raw)
    {
        public bool Fit => K % 2 == 1;

        public bool HasPasses => Raw.Benchmarks.Any(b => b.PassUnits.Count(u => u > 0) >= 2);
    }

    private static bool IsControl(string id) => s_controls.Any(c => id.EndsWith("." + c, StringComparison.Ordinal) || id.Contains("." + c + "(", StringComparison.Ordinal));

    public static int Evaluate(IReadOnlyList<string> sources, string output)
    {
        var total = Stopwatch.StartNew();
        var datasets = sources.Select(Dataset.Open).ToList();
        try
        {
            var runs = new List<AbRun>();
            foreach (var dataset in datasets)
            {
                foreach (var file in Directory.EnumerateFiles(dataset.Directory, "*-run-interleaved.json", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
                {
                    var match = s_runFile.Match(Path.GetFileName(file));
                    if (!match.Success)
                    {
                        continue;
                    }

                    var folder = Path.GetRelativePath(dataset.Directory, Path.GetDirectoryName(file)!).Replace('\\', '/');
                    var group = dataset.Name + (folder == "." ? "" : "/" + folder);
                    var variant = match.Groups["variant"].Value;
                    var slow = Regex.Match(variant, @"slow(\d+)", RegexOptions.CultureInvariant);
                    var factor = slow.Success ? 1 + (int.Parse(slow.Groups[1].Value, CultureInfo.InvariantCulture) / 100.0) : 1;
                    var k = int.Parse(match.Groups["k"].Value, CultureInfo.InvariantCulture);
                    runs.Add(new AbRun(group, variant + "-" + k.ToString(CultureInfo.InvariantCulture), variant, k, factor, file, InterleavedResults.Read(file)));
                }
            }

            if (runs.Count == 0)
            {
                Console.Error.WriteLine($"no *-run-interleaved.json in {string.Join(", ", sources)}");
                return 2;
            }

            var calls = runs.ToDictionary(r => r, r => Replay(r));
            var md = new StringBuilder();
            Write(md, runs, calls, datasets, total);
            Program.WriteBetweenMarkers(output, md.ToString(), "ab-replay");
            Console.WriteLine($"wrote the A/B replay section of {output} in {total.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }
        finally
        {
            foreach (var dataset in datasets)
            {
                dataset.Dispose();
            }
        }
    }

    /// <summary>Each judge's calls on one run, by judge name; the between-pass variants under "d0=…".</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, Call>> Replay(AbRun run)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, Call>>(StringComparer.Ordinal);
        var folder = Path.Combine(Path.GetTempPath(), "lyra-ab-replay-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // The gate reads the runner's file from the current side's results folder; the base side reads the same file.
            File.Copy(run.File, Path.Combine(folder, InterleavedResults.FileName));
            var diagnostics = new List<GateDiagnostic>();
            var current = AbComparison.IngestSide(new[] { folder }, diagnostics, out _)!;
            var @base = AbComparison.IngestSide(new[] { folder }, diagnostics, out _, isBase: true)!;
            var options = new GateOptions();
            var now = DateTimeOffset.UtcNow;
            var baseline = AbComparison.AsBaseline(@base, new GateRequest { Now = now, BaselinePath = run.File }, diagnostics);
            var sides = new AbSides(null, null) { Scheme = AbComparison.SchemeOf(current) };
            var gated = new Gate(AbComparison.Judge(options), sides).Evaluate(baseline, run.File, current, options with { Claims = s_claims }, now);
            result["paired"] = Calls(gated);
            lock (s_claimCounts)
            {
                s_claimCounts[run.File] = new ClaimCount(gated.Claims.Count(c => c.Fails), gated.Claims.Count(c => !c.Met && !c.Fails), gated.Claims.Count(c => c.Met),
                    gated.Claims.Where(c => c.Fails).Select(c => $"{c.Subject.Split('.')[^1]} {c.Detail}").ToList());
            }

            // As if the base side had been recorded as a stored baseline: its units are the baseline's launches.
            result["stored"] = Calls(new Gate().Evaluate(baseline, run.File, current, options, now));
            result["rc"] = new ResultsComparerRule().Judge(@base, current);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        result["noterm"] = BetweenPass.Judge(run.Raw, null);
        foreach (var sp in PlacementCandidates)
        {
            result[PlacementKey(sp)] = BetweenPass.Judge(run.Raw, null, sp);
        }

        foreach (var d0 in Candidates)
        {
            result[D0Key(d0)] = BetweenPass.Judge(run.Raw, d0);
        }

        foreach (var share in FlagShares)
        {
            result[FlagKey(share)] = BetweenPass.Judge(run.Raw, null, Shipped, share);
        }

        return result;
    }

    /// <summary>The flag rules tried with the gate's placement term, as the share of the threshold the interval must
    /// clear (<see cref="StatisticalJudgeSettings.InterleavedFlagShare"/>; below 1 the estimate must reach the whole threshold).</summary>
    internal static readonly double[] FlagShares = { 1, 0.5, 0 };

    /// <summary>The gate's flag share for interleaved runs, which the replay re-derives as a check.</summary>
    private static double ShippedShare => new StatisticalJudgeSettings().InterleavedFlagShare;

    private static string FlagKey(double share) => "share=" + share.ToString(CultureInfo.InvariantCulture);

    private static string FlagText(double share) => share >= 1 ? "1: interval beyond ±5 %"
        : share == 0 ? "0: estimate beyond ±5 %, interval excludes 1"
        : $"{share.ToString(CultureInfo.InvariantCulture)}: estimate beyond ±5 %, interval beyond ±{(share * 5).ToString("0.##", CultureInfo.InvariantCulture)} %";

    private static string D0Key(double d0) => "d0=" + (double.IsPositiveInfinity(d0) ? "inf" : d0.ToString(CultureInfo.InvariantCulture));

    private static string PlacementKey(double sp) => "sp=" + sp.ToString(CultureInfo.InvariantCulture);

    private static string D0Text(double d0) => double.IsPositiveInfinity(d0) ? "∞ (S alone)" : d0.ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyDictionary<string, Call> Calls(GateResult result)
    {
        var errors = new HashSet<string>(result.Diagnostics.Where(d => d.Level == DiagnosticLevel.Error && d.Code == DiagnosticCodes.TimeRegression && d.BenchmarkId is not null).Select(d => d.BenchmarkId!), StringComparer.Ordinal);
        return result.Verdicts.Where(v => v.Time is not null).ToDictionary(
            v => v.Id,
            v => new Call(v.Time!.Outcome, errors.Contains(v.Id), false, v.Time.MinimumDetectableEffect) { Judgement = v.Time },
            StringComparer.Ordinal);
    }

    private sealed class Tally
    {
        public int Runs, Verdicts, Unchanged, UnchangedFlags, Controls, ControlFlags, Slowed, Caught, FalseErrors, Calibrated, CalibratedMisses, Same;
        public readonly List<double> Mdes = new();

        public void Add(AbRun run, IReadOnlyDictionary<string, Call> calls)
        {
            Runs++;
            foreach (var (id, call) in calls)
            {
                Verdicts++;
                var flag = call.Time is TimeOutcome.Slower or TimeOutcome.Faster;
                var unchanged = run.Factor == 1 || IsControl(id);
                if (run.Factor == 1)
                {
                    Unchanged++;
                    UnchangedFlags += flag ? 1 : 0;
                }
                else if (IsControl(id))
                {
                    Controls++;
                    ControlFlags += flag ? 1 : 0;
                }
                else
                {
                    Slowed++;
                    Caught += call.Time == TimeOutcome.Slower ? 1 : 0;
                }

                FalseErrors += unchanged && call.TimeError ? 1 : 0;
                Same += unchanged && call.Time == TimeOutcome.Same ? 1 : 0;
                if (unchanged && call.Judgement is { RatioLower: { } lower, RatioUpper: { } upper } && !double.IsNaN(lower))
                {
                    Calibrated++;
                    CalibratedMisses += lower > 1 || upper < 1 ? 1 : 0;
                }

                if (call.Mde is { } mde && !double.IsNaN(mde))
                {
                    Mdes.Add(mde);
                }
            }
        }

        public string Flags => Pct(UnchangedFlags + ControlFlags, Unchanged + Controls);

        public string CaughtText => Pct(Caught, Slowed);

        public string Misses => Pct(CalibratedMisses, Calibrated);

        public string SameText => Pct(Same, Unchanged + Controls);

        public double CaughtShare => Slowed == 0 ? double.NaN : (double)Caught / Slowed;
    }

    private static Tally Count(IEnumerable<AbRun> runs, Dictionary<AbRun, Dictionary<string, IReadOnlyDictionary<string, Call>>> calls, string judge)
    {
        var t = new Tally();
        foreach (var run in runs)
        {
            t.Add(run, calls[run][judge]);
        }

        return t;
    }

    private static void Write(StringBuilder md, List<AbRun> runs, Dictionary<AbRun, Dictionary<string, IReadOnlyDictionary<string, Call>>> calls, List<Dataset> datasets, Stopwatch total)
    {
        // Fit d0 on the odd-numbered runs: among the values keeping +10 % caught ≥ 90 % there, the fewest flags on
        // unchanged benchmarks and controls, then the share of their 95 % intervals that miss 1 closest to 5 %.
        var fitRuns = runs.Where(r => r.Fit && r.HasPasses).ToList();
        var heldOut = runs.Where(r => !r.Fit && r.HasPasses).ToList();
        var fits = Candidates.Select(d0 => (D0: d0, Tally: Count(fitRuns, calls, D0Key(d0)))).ToList();
        var admissible = fits.Where(f => double.IsNaN(f.Tally.CaughtShare) || f.Tally.CaughtShare >= 0.9).ToList();
        var chosen = (admissible.Count > 0 ? admissible : fits)
            .OrderBy(f => f.Tally.UnchangedFlags + f.Tally.ControlFlags)
            .ThenBy(f => Math.Abs(((double)f.Tally.CalibratedMisses / Math.Max(1, f.Tally.Calibrated)) - 0.05))
            .ThenBy(f => f.D0)
            .First().D0;

        // Fit σ_p on the odd-numbered runs (all of them: the term needs no passes): the smallest value whose 95 %
        // intervals exclude 1 on at most 5 % of the unchanged benchmarks and controls (the largest tried if none does).
        var placementFit = runs.Where(r => r.Fit).ToList();
        var placementHeld = runs.Where(r => !r.Fit).ToList();
        var placement = PlacementCandidates
            .Select(sp => (Sp: sp, Tally: Count(placementFit, calls, PlacementKey(sp))))
            .Where(f => f.Tally.CalibratedMisses <= 0.05 * f.Tally.Calibrated)
            .Select(f => f.Sp)
            .DefaultIfEmpty(PlacementCandidates[^1])
            .First();

        md.AppendLine("Generated by `eval/Lyra.Perf.Evaluation --ab` — do not edit this block by hand; re-run:");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine($"dotnet run --project eval/Lyra.Perf.Evaluation -c Release -- --ab {string.Join(" ", datasets.Select(d => d.DisplayPath))} docs/verdict-quality.md");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine($"- Data: every `<variant>-<k>-run-interleaved.json` in {string.Join(", ", datasets.Select(d => "`" + d.DisplayPath + "`"))} ({runs.Count} runs; "
            + $"{runs.Count(r => r.HasPasses)} with `passUnits`). The runner's first-run file only: a confirmation (`-confirm-interleaved.json`) is not replayed, so these are the gate's preliminary verdicts.");
        md.AppendLine($"- Truth: an `unchanged…` variant changes nothing; in `slowNN` the benchmarks calling `Slowdown` are slowed by NN % (planted), the 5 controls ({string.Join(", ", s_controls.Select(c => "`" + c + "`"))}) are not.");
        md.AppendLine($"- Judges, on the same units: **paired (gate)** = the gate's A/B path (`AbComparison` ingest of the runner's file, `PairedTimeJudge` with its placement term σ_p = {Shipped.ToString(CultureInfo.InvariantCulture)}, the gate's policy: threshold 5 %, FailOn Major, Benjamini–Hochberg 5 %); "
            + "**paired, no term** = the same paired test without any run-level term (the gate before its placement term); "
            + "**stored** = the stored-baseline gate (`StatisticalTimeJudge`) with the base side's units as the baseline's launches and the current side's as the run's; "
            + "**ResultsComparer** = its rule on the two sides' units (Mann–Whitney TOST at 5 % and 0.3 ns; error = Slower ≥ 20 %); "
            + $"**paired + between-pass** = the paired test with the between-pass term (d0 = {D0Text(chosen)}, fitted below; files without `passUnits`: no term, the paired judge's numbers); "
            + $"**paired + placement** = the paired test with a run-level placement term, Var(mean d) = SE² + σ_p² (σ_p = {placement.ToString(CultureInfo.InvariantCulture)} in ln units, fitted below).");
        md.AppendLine("- \"flags on unchanged\" = Slower + Faster in unchanged runs; \"flags on controls\" = the same on the 5 controls of slowed runs; \"slowed caught\" = Slower on the slowed benchmarks; "
            + "\"false errors\" = build-failing time verdicts on unchanged benchmarks and controls; \"CI misses 1\" = unchanged benchmarks and controls whose 95 % interval of the ratio excludes 1 (5 % for an honest interval; – where the judge gives no interval); median MDE over all verdicts. Fit half = odd-numbered runs (k = 1, 3, 5, …), held-out half = even-numbered.");
        md.AppendLine();

        var judges = new (string Key, string Name)[]
        {
            ("paired", "paired (gate)"),
            ("noterm", "paired, no term"),
            ("stored", "stored"),
            ("rc", "ResultsComparer"),
            (D0Key(chosen), "paired + between-pass"),
            (PlacementKey(placement), "paired + placement"),
        };

        // Every run pooled, as issue 13 states its targets: quiet runs, and runs under busy loops (collect-ab-runs.sh --noisy).
        static bool Noisy(AbRun r) => r.Group.Contains("noisy", StringComparison.Ordinal) || r.Variant.Contains("noisy", StringComparison.Ordinal);
        static bool Slowed(AbRun r, double factor) => Math.Abs(r.Factor - factor) < 1e-9;
        var quiet = runs.Where(r => !Noisy(r)).ToList();
        var noisy = runs.Where(Noisy).ToList();
        md.AppendLine($"**All runs against issue 13's targets** ({quiet.Count} quiet runs: {quiet.Count(r => r.Factor == 1)} unchanged, {quiet.Count(r => Slowed(r, 1.10))} +10 %, {quiet.Count(r => Slowed(r, 1.25))} +25 %; "
            + $"{noisy.Count} under busy loops: {noisy.Count(r => r.Factor == 1)} unchanged, {noisy.Count(r => Slowed(r, 1.25))} +25 %). Targets: quiet — 0 false errors, flags ≤ 1 %, +10 % caught ≥ 90 %, +25 % ≥ 99 %; "
            + "under busy loops — 0 false errors, +25 % ≥ 90 %. Each run's first measurement (a confirmation re-measures errors only, so live errors can only be fewer).");
        md.AppendLine();
        md.AppendLine("| judge | quiet: false errors | quiet: flags on unchanged + controls | quiet: +10 % caught | quiet: +25 % caught | busy: false errors | busy: flags on unchanged + controls | busy: +25 % caught |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (key, name) in new[] { ("paired", "paired (gate)"), (FlagKey(1), "paired, flag = interval past ±5 % (the gate before its flag share)"), ("noterm", "paired, no term"), ("stored", "stored"), ("rc", "ResultsComparer") })
        {
            var q = Count(quiet, calls, key);
            var n = Count(noisy, calls, key);
            md.AppendLine($"| {name} | {q.FalseErrors} | {q.Flags} | {Count(quiet.Where(r => Slowed(r, 1.10)), calls, key).CaughtText} | {Count(quiet.Where(r => Slowed(r, 1.25)), calls, key).CaughtText} | "
                + $"{n.FalseErrors} | {n.Flags} | {Count(noisy.Where(r => Slowed(r, 1.25)), calls, key).CaughtText} |");
        }

        md.AppendLine();

        foreach (var group in runs.GroupBy(r => (r.Group, r.Variant)).OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.Variant == "unchanged" ? "" : g.Key.Variant, StringComparer.Ordinal))
        {
            var list = group.ToList();
            var factor = list[0].Factor;
            md.AppendLine($"**{group.Key.Group}, {group.Key.Variant}** ({list.Count} runs{(list.Any(r => r.HasPasses) ? "" : ", no `passUnits`")})");
            md.AppendLine();
            md.AppendLine($"| judge | half | runs | verdicts | flags on unchanged | flags on controls | slowed caught{(factor > 1 ? $" (+{(factor - 1) * 100:0} %)" : "")} | false errors | CI misses 1 | Same on unchanged + controls | median MDE |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (key, name) in judges)
            {
                foreach (var (half, members) in new[] { ("fit", list.Where(r => r.Fit).ToList()), ("held out", list.Where(r => !r.Fit).ToList()) })
                {
                    if (members.Count == 0)
                    {
                        continue;
                    }

                    var t = Count(members, calls, key);
                    md.AppendLine($"| {name} | {half} | {t.Runs} | {t.Verdicts} | {(t.Unchanged == 0 ? "—" : Pct(t.UnchangedFlags, t.Unchanged))} | {(t.Controls == 0 ? "—" : Pct(t.ControlFlags, t.Controls))} | "
                        + $"{(t.Slowed == 0 ? "—" : t.CaughtText)} | {t.FalseErrors} | {t.Misses} | {t.SameText} | {(t.Mdes.Count == 0 ? "n/a" : Units.Percent(Descriptive.Median(t.Mdes)))} |");
                }
            }

            var claims = list.Select(r => s_claimCounts[r.File]).ToList();
            md.AppendLine();
            md.AppendLine($"Claims (the sample's {s_claims.Length} PerfClaim items through the gate's A/B path): {claims.Sum(c => c.Errors)} build-failing, {claims.Sum(c => c.Warnings)} not met as warnings, {claims.Sum(c => c.Met)} met, over {list.Count} runs"
                + (claims.Any(c => c.Errors > 0) ? ": " + string.Join("; ", list.Where(r => s_claimCounts[r.File].Errors > 0).Select(r => r.Label + ": " + string.Join(", ", s_claimCounts[r.File].ErrorTexts))) : "") + ".");
            md.AppendLine();
        }

        md.AppendLine($"**Between-pass term: d0 tried** ({Candidates.Length} values, the runs with `passUnits` of each half ({fitRuns.Count} fit, {heldOut.Count} held out; without them the term is off); \"CI misses 1\" = unchanged benchmarks and controls whose 95 % interval of the ratio excludes 1, 5 % for an honest standard error). "
            + "Chosen on the fit half: +10 % caught ≥ 90 %, then the fewest flags, then \"CI misses 1\" closest to 5 %. \"no term\" = the same computation without the term (nor the gate's placement term).");
        md.AppendLine();
        md.AppendLine("| d0 | fit: flags on unchanged + controls | fit: slowed caught | fit: CI misses 1 | fit: median MDE | held out: flags | held out: slowed caught | held out: CI misses 1 | held out: median MDE |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (key, name) in new[] { ("paired", "paired (gate)"), ("noterm", "no term") }.Concat(Candidates.Select(d0 => (D0Key(d0), D0Text(d0) + (d0.Equals(chosen) ? " **(chosen)**" : "")))))
        {
            var f = Count(fitRuns, calls, key);
            var h = Count(heldOut, calls, key);
            md.AppendLine($"| {name} | {f.Flags} | {f.CaughtText} | {f.Misses} | {(f.Mdes.Count == 0 ? "n/a" : Units.Percent(Descriptive.Median(f.Mdes)))} | {h.Flags} | {h.CaughtText} | {h.Misses} | {(h.Mdes.Count == 0 ? "n/a" : Units.Percent(Descriptive.Median(h.Mdes)))} |");
        }

        md.AppendLine();
        md.AppendLine($"**Placement term: σ_p tried** ({PlacementCandidates.Length} values, in ln units; all runs of each half: {placementFit.Count} fit, {placementHeld.Count} held out). "
            + "Var(mean d) = SE² + σ_p² in the interval, the tests and the MDE (degrees of freedom unchanged). Chosen on the fit half: the smallest σ_p whose \"CI misses 1\" is ≤ 5 %.");
        md.AppendLine();
        md.AppendLine("| σ_p | fit: flags on unchanged + controls | fit: slowed caught | fit: CI misses 1 | fit: median MDE | held out: flags | held out: slowed caught | held out: CI misses 1 | held out: median MDE |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (key, name) in new[] { ("paired", "paired (gate)"), ("noterm", "0 (no term)") }.Concat(PlacementCandidates.Select(sp => (PlacementKey(sp), sp.ToString(CultureInfo.InvariantCulture) + (sp.Equals(placement) ? " **(chosen)**" : "")))))
        {
            var f = Count(placementFit, calls, key);
            var h = Count(placementHeld, calls, key);
            md.AppendLine($"| {name} | {f.Flags} | {f.CaughtText} | {f.Misses} | {(f.Mdes.Count == 0 ? "n/a" : Units.Percent(Descriptive.Median(f.Mdes)))} | {h.Flags} | {h.CaughtText} | {h.Misses} | {(h.Mdes.Count == 0 ? "n/a" : Units.Percent(Descriptive.Median(h.Mdes)))} |");
        }

        md.AppendLine();
        md.AppendLine($"**Flag rule tried: the share of the threshold the interval must clear** ({FlagShares.Length} shares, with the gate's σ_p = {Shipped.ToString(CultureInfo.InvariantCulture)}; all runs of each half: {placementFit.Count} fit, {placementHeld.Count} held out). "
            + "Below 1 a Slower (Faster) flag also needs the ratio's estimate beyond the whole threshold; Same, Unknown and the build-failing error (the interval beyond the whole threshold, Benjamini–Hochberg, ≥ 20 %) are the same in every row. "
            + "Chosen on the fit half: the largest share (the strictest rule) whose +10 % caught is ≥ 90 % with flags ≤ 1 %.");
        md.AppendLine();
        md.AppendLine("| share | fit: flags on unchanged + controls | fit: slowed caught | fit: +10 % caught | fit: false errors | held out: flags | held out: slowed caught | held out: +10 % caught | held out: false errors |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var shares = FlagShares.Select(share => (Share: share,
            Fit: Count(placementFit, calls, FlagKey(share)), Held: Count(placementHeld, calls, FlagKey(share)),
            Fit10: Count(placementFit.Where(r => Math.Abs(r.Factor - 1.10) < 1e-9), calls, FlagKey(share)),
            Held10: Count(placementHeld.Where(r => Math.Abs(r.Factor - 1.10) < 1e-9), calls, FlagKey(share)))).ToList();
        var chosenShare = shares
            .Where(x => x.Fit10.CaughtShare >= 0.9 && x.Fit.UnchangedFlags + x.Fit.ControlFlags <= 0.01 * (x.Fit.Unchanged + x.Fit.Controls))
            .Select(x => x.Share).DefaultIfEmpty(double.NaN).Max();
        foreach (var x in shares)
        {
            md.AppendLine($"| {FlagText(x.Share)}{(x.Share.Equals(chosenShare) ? " **(chosen)**" : "")} | {x.Fit.Flags} | {x.Fit.CaughtText} | {x.Fit10.CaughtText} | {x.Fit.FalseErrors} | {x.Held.Flags} | {x.Held.CaughtText} | {x.Held10.CaughtText} | {x.Held.FalseErrors} |");
        }

        md.AppendLine();
        var shipped = FlagKey(ShippedShare);
        var mismatch = runs.Sum(r => calls[r]["paired"].Count(p => !calls[r][shipped].TryGetValue(p.Key, out var c) || c.Time != p.Value.Time || c.TimeError != p.Value.TimeError));
        md.AppendLine($"Check: σ_p = {Shipped.ToString(CultureInfo.InvariantCulture)} with flag share {ShippedShare.ToString(CultureInfo.InvariantCulture)} computed here and the gate's paired judge disagree on {mismatch} verdict(s) of {runs.Sum(r => calls[r]["paired"].Count)}. A/B replay took {total.Elapsed.TotalSeconds:0.0} s, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        md.AppendLine();
    }

    private static string Pct(int k, int n) => n == 0 ? "–" : $"{k} of {n} ({(100.0 * k / n).ToString("0.0", CultureInfo.InvariantCulture)} %)";
}

/// <summary>
/// The paired test of <see cref="PairedTimeJudge"/> on the runner's units, with a between-pass variance term (research
/// variant). The runner measures in passes (each build first in one); a per-process placement effect moves a pass's
/// mean difference as a whole, which the unit-to-unit spread does not see. Per benchmark with per-pass means m_p of
/// d = ln current − ln base and the pooled within-pass variance s_w²: b = max(0, Var(m_p) − s_w²·mean(1/n_p)) (two passes:
/// (m1 − m2)²/2 − s_w²(1/n1 + 1/n2)/2), shrunk toward the run's median b (S) with d0 pseudo-degrees of freedom,
/// s_b² = (d0·S + b)/(d0 + 1), and Var(mean d) = σ_w²/n + s_b²·Σ n_p²/n², where σ_w² is s_w² moderated as the paired
/// judge moderates its variance (2 df of the suite's median). Without pass counts: the paired judge's computation,
/// no term. Decision as the gate's: one-sided tests against 5 % at 2.5 %, Benjamini–Hochberg 5 %, error = Slower ≥ 20 % that survives it.
/// </summary>
internal static class BetweenPass
{
    private sealed record Bench(string Id, double[] D, int[] Pass, double BaseTypical);

    /// <summary>Per benchmark with both sides: the mean ln difference, its standard error and degrees of freedom, and the threshold (5 %, or the noise floor's share).</summary>
    internal sealed record Evidence(string Id, double Mean, double Se, double Df, double Relative, bool Tested);

    /// <param name="flagShare">The share of the threshold the interval must clear for a flag (below 1 the estimate must
    /// reach the whole threshold); the build-failing error needs the whole threshold whatever the share.</param>
    public static IReadOnlyDictionary<string, Call> Judge(InterleavedRun run, double? d0, double placement = 0, double flagShare = 1)
    {
        var settings = new StatisticalJudgeSettings();
        var evidence = Evidences(run, d0, settings, placement);
        var tested = evidence.Where(e => e.Tested).ToList();
        var pSlower = tested.Select(e => 1 - Distributions.StudentTCdf((e.Mean - Math.Log(1 + e.Relative)) / e.Se, e.Df)).ToList();
        var adjusted = MultipleComparisons.BenjaminiHochberg(pSlower);
        var calls = new Dictionary<string, Call>(StringComparer.Ordinal);
        var level = (1 - settings.IntervalLevel) / 2;
        for (var i = 0; i < tested.Count; i++)
        {
            var e = tested[i];
            var pFaster = e.Relative < 1 ? Distributions.StudentTCdf((e.Mean - Math.Log(1 - e.Relative)) / e.Se, e.Df) : 1;
            var tCrit = LogRatioInference.CriticalT(settings.IntervalLevel, e.Df);
            var (lower, upper) = LogRatioInference.Interval(e.Mean, e.Se, tCrit);
            var ratio = Math.Exp(e.Mean);
            var strictSlower = pSlower[i] < level;
            var slower = flagShare >= 1 ? strictSlower : ratio >= 1 + e.Relative && lower > 1 + (flagShare * e.Relative);
            var faster = flagShare >= 1 ? pFaster < level : ratio <= 1 - e.Relative && upper < 1 - (flagShare * e.Relative);
            var outcome = slower ? TimeOutcome.Slower
                : faster ? TimeOutcome.Faster
                : lower > 1 - e.Relative && upper < 1 + e.Relative ? TimeOutcome.Same
                : TimeOutcome.Unknown;
            var error = strictSlower && adjusted[i] < settings.FalseDiscoveryRate && ratio - 1 >= 0.20;
            var mde = LogRatioInference.MinimumDetectableEffect(e.Relative, e.Se, tCrit, Distributions.StudentTQuantile(settings.Power, e.Df), flagShare);
            calls[e.Id] = new Call(outcome, error, false, mde) { Judgement = new TimeJudgement(outcome, ratio) { RatioLower = lower, RatioUpper = upper } };
        }

        foreach (var e in evidence.Where(e => !e.Tested))
        {
            calls[e.Id] = new Call(TimeOutcome.Unknown, false, false, null);
        }

        return calls;
    }

    /// <param name="placement">σ_p of a run-level placement term (ln units), added as σ_p² to the variance of the mean; 0 = none.</param>
    internal static List<Evidence> Evidences(InterleavedRun run, double? d0, StatisticalJudgeSettings settings, double placement = 0)
    {
        var benches = new List<Bench>();
        foreach (var b in run.Benchmarks)
        {
            if (b.Current is null || b.Base is null)
            {
                continue;
            }

            var passOf = new List<int>();
            for (var p = 0; p < b.PassUnits.Count; p++)
            {
                passOf.AddRange(Enumerable.Repeat(p, b.PassUnits[p]));
            }

            var d = new List<double>();
            var pass = new List<int>();
            var baseLogs = new List<double>();
            for (var k = 0; k < b.Current.Nanoseconds.Count; k++)
            {
                double c = b.Current.Nanoseconds[k], a = b.Base.Nanoseconds[k];
                if (c > 0 && a > 0)
                {
                    d.Add(Math.Log(c) - Math.Log(a));
                    pass.Add(passOf.Count == b.Current.Nanoseconds.Count ? passOf[k] : 0);
                    baseLogs.Add(Math.Log(a));
                }
            }

            benches.Add(new Bench(b.Id, d.ToArray(), pass.ToArray(), baseLogs.Count == 0 ? double.NaN : Math.Exp(Descriptive.Median(baseLogs))));
        }

        bool Term(Bench b) => d0 is not null && b.Pass.Distinct().Count() >= 2;

        // The suite's typical variances, as the paired judge's suite prior: total, within-pass, and the between-pass b.
        var total = benches.Where(b => b.D.Length >= 2).Select(b => Ss(b.D) / (b.D.Length - 1)).ToList();
        var within = benches.Where(Term).Select(b => Within(b).Variance).Where(v => !double.IsNaN(v)).ToList();
        var between = benches.Where(Term).Select(b => Between(b, Within(b).Variance)).ToList();
        double? suiteTotal = total.Count >= 3 ? Descriptive.Median(total) : null;
        double? suiteWithin = within.Count >= 3 ? Descriptive.Median(within) : null;
        var s = between.Count > 0 ? Descriptive.Median(between) : 0;

        var evidence = new List<Evidence>();
        foreach (var b in benches)
        {
            var n = b.D.Length;
            if (n == 0)
            {
                evidence.Add(new Evidence(b.Id, double.NaN, double.NaN, 0, 0, false));
                continue;
            }

            var mean = b.D.Average();
            double ss, df0, se2;
            double priorDf = 0, priorVariance = 0;
            if (Term(b))
            {
                var (withinVariance, withinSs, withinDf) = Within(b);
                if (suiteWithin is { } sw)
                {
                    priorDf = settings.PriorDegreesOfFreedom;
                    priorVariance = sw;
                }

                ss = withinSs;
                df0 = withinDf;
                var df = df0 + priorDf;
                var sigma = Math.Max(settings.MinimumLogSpread, Math.Sqrt((ss + (priorDf * priorVariance)) / df));
                var bOwn = Between(b, withinVariance);
                var sb2 = double.IsPositiveInfinity(d0!.Value) ? s : ((d0.Value * s) + bOwn) / (d0.Value + 1);
                var weights = b.Pass.GroupBy(p => p).Sum(g => (double)g.Count() * g.Count()) / ((double)n * n);
                se2 = (sigma * sigma / n) + (sb2 * weights) + (placement * placement);
                evidence.Add(new Evidence(b.Id, mean, Math.Sqrt(se2), df, Relative(b, settings), df > 0));
            }
            else
            {
                if (suiteTotal is { } st)
                {
                    priorDf = settings.PriorDegreesOfFreedom;
                    priorVariance = st;
                }

                ss = Ss(b.D);
                var df = n - 1 + priorDf;
                if (df <= 0)
                {
                    evidence.Add(new Evidence(b.Id, mean, double.NaN, 0, 0, false));
                    continue;
                }

                var sigma = Math.Max(settings.MinimumLogSpread, Math.Sqrt((ss + (priorDf * priorVariance)) / df));
                evidence.Add(new Evidence(b.Id, mean, Math.Sqrt((sigma * sigma / n) + (placement * placement)), df, Relative(b, settings), true));
            }
        }

        return evidence;
    }

    private static double Relative(Bench b, StatisticalJudgeSettings settings) => Math.Max(0.05, settings.NoiseFloorNanoseconds / b.BaseTypical);

    /// <summary>The pooled within-pass variance s_w², its sum of squares and degrees of freedom (n − passes).</summary>
    private static (double Variance, double Ss, double Df) Within(Bench b)
    {
        var groups = Enumerable.Range(0, b.D.Length).GroupBy(k => b.Pass[k]).Select(g => g.Select(k => b.D[k]).ToList()).ToList();
        var ss = groups.Sum(g => Ss(g));
        var df = b.D.Length - groups.Count;
        return (df > 0 ? ss / df : double.NaN, ss, df);
    }

    /// <summary>b = max(0, Var(m_p) − s_w²·mean(1/n_p)): the between-pass variance beyond what the units' spread explains.</summary>
    internal static double Between(IReadOnlyList<double> means, IReadOnlyList<int> counts, double withinVariance)
    {
        var m = means.Average();
        var varMeans = means.Sum(x => (x - m) * (x - m)) / (means.Count - 1);
        return Math.Max(0, varMeans - (withinVariance * counts.Average(c => 1.0 / c)));
    }

    private static double Between(Bench b, double withinVariance)
    {
        var groups = Enumerable.Range(0, b.D.Length).GroupBy(k => b.Pass[k]).Select(g => g.Select(k => b.D[k]).ToList()).ToList();
        return double.IsNaN(withinVariance) ? 0 : Between(groups.Select(g => g.Average()).ToList(), groups.Select(g => g.Count).ToList(), withinVariance);
    }

    private static double Ss(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean));
    }
}
