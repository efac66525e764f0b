using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Lyra.Perf.AbProbe;

/// <summary>
/// One probe run: loads both sides, pairs their benchmark cases by id and measures each in turn, streaming one TSV
/// (format: <see cref="RunFile"/>). A = the change (current), B = the base: ratios are A / B as in the gate.
/// </summary>
internal static class ProbeRun
{
    public sealed record Options(string FolderA, string FolderB, string Output, string? AssemblyName, IReadOnlyList<string> Filters, MeasureSettings Settings, IReadOnlyList<string> Statics);

    public sealed record Result(Side A, Side B, IReadOnlyList<BenchmarkSummary> Benchmarks);

    public static Result Run(Options options, TextWriter log)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LYRA_CORE_SLOWDOWN")))
        {
            // Both sides read the same process environment: the variable would slow A and B alike.
            log.WriteLine("warning: LYRA_CORE_SLOWDOWN is set; it applies to both sides alike (plant the factor in the source instead)");
        }

        var a = Side.Open("A", options.FolderA, options.AssemblyName);
        var b = Side.Open("B", options.FolderB, options.AssemblyName);
        var (casesA, skippedA) = Discovery.Find(a.MainAssembly);
        var (casesB, skippedB) = Discovery.Find(b.MainAssembly);
        var filter = Glob(options.Filters);
        var byIdB = casesB.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var pairs = casesA.Where(c => filter(c.Id) && byIdB.ContainsKey(c.Id)).Select(c => (A: c, B: byIdB[c.Id])).ToList();
        var onlyA = casesA.Where(c => filter(c.Id) && !byIdB.ContainsKey(c.Id)).Select(c => c.Id).ToList();
        var idsA = casesA.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var onlyB = casesB.Where(c => filter(c.Id) && !idsA.Contains(c.Id)).Select(c => c.Id).ToList();
        if (pairs.Count == 0)
        {
            throw new ProbeException($"no benchmark found on both sides matches the filter ({casesA.Count} on A, {casesB.Count} on B)");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        using var output = new StreamWriter(options.Output, append: false) { NewLine = "\n" };
        var file = new RunFile(output);
        var settings = options.Settings;
        file.Meta("probe", "Lyra.Perf.AbProbe (in-process A/B: one AssemblyLoadContext per side)");
        file.Meta("started_utc", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        file.Meta("side_A", a.MainAssemblyPath, a.MainAssembly.ManifestModule.ModuleVersionId.ToString());
        file.Meta("side_B", b.MainAssemblyPath, b.MainAssembly.ManifestModule.ModuleVersionId.ToString());
        file.Meta("settings", $"iteration_ms={Num(settings.IterationMilliseconds)}", $"min_warmup={settings.MinimumWarmup}", $"quiet_warmup={settings.QuietWarmup}", $"block={settings.BlockSize}",
            $"rounds={settings.Rounds}", $"schemes={string.Join(",", settings.Schemes)}", $"budget_s={Num(settings.BudgetSeconds)}", $"force_gc={settings.ForceGc}");
        file.Meta("machine", $"cores={Environment.ProcessorCount}", RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, $"load={LoadAverage()}",
            $"tiered_pgo={Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "default"}", $"tiered_compilation={Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "default"}");
        file.Meta("benchmarks", pairs.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var s in skippedA.Select(s => "A: " + s).Concat(skippedB.Select(s => "B: " + s)).Distinct())
        {
            file.Meta("skipped", s);
        }

        foreach (var id in onlyA)
        {
            file.Meta("only_A", id);
        }

        foreach (var id in onlyB)
        {
            file.Meta("only_B", id);
        }

        file.Columns();
        output.Flush();

        // LYRA_AB_PROBE_NO_PRIORITY=1: research switch, to measure what the raised priority does to multi-threaded benchmarks.
        if (Environment.GetEnvironmentVariable("LYRA_AB_PROBE_NO_PRIORITY") != "1")
        {
            Host.TryRaisePriority(log);
        }

        var clock = Stopwatch.StartNew();
        var measurer = new Measurer(settings, clock);
        var summaries = new List<BenchmarkSummary>();
        for (var k = 0; k < pairs.Count; k++)
        {
            // Each benchmark gets an equal share of what is left, so an overrun early is paid back later.
            var share = Math.Max(1.0, (settings.BudgetSeconds - clock.Elapsed.TotalSeconds) / (pairs.Count - k));
            var (ca, cb) = pairs[k];
            log.WriteLine($"[{k + 1}/{pairs.Count}] {ca.Id} ({Num(share)} s)");
            var summary = measurer.Measure(ca, cb, share, file.Iteration);
            file.Benchmark(summary, settings.Schemes);
            output.Flush();
            summaries.Add(summary);
            if (summary.Failure is { } failure)
            {
                log.WriteLine($"  failed: {failure}");
            }
        }

        foreach (var member in options.Statics)
        {
            file.Meta("static", member, "A=" + (a.ReadStatic(member) ?? "(absent)"), "B=" + (b.ReadStatic(member) ?? "(absent)"));
        }

        foreach (var side in new[] { a, b })
        {
            foreach (var (name, mvid, location) in side.LoadedAssemblies())
            {
                file.Meta("loaded_" + side.Label, name, mvid.ToString(), location);
            }
        }

        file.Meta("finished_s", Num(clock.Elapsed.TotalSeconds));
        return new Result(a, b, summaries);
    }

    /// <summary>BenchmarkDotNet-style globs on the case id (<c>*</c> any run of characters); none = everything.</summary>
    public static Func<string, bool> Glob(IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return _ => true;
        }

        var regexes = patterns.Select(p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant)).ToList();
        return id => regexes.Any(r => r.IsMatch(id));
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>
/// The probe's TSV: <c>#key\tvalue…</c> header and trailer lines, then one <c>iter</c> row per timed iteration and one
/// <c>bench</c> row per benchmark (its N, warm-up, and the machine seconds each scheme used).
/// </summary>
internal sealed class RunFile
{
    public const string IterationColumns = "iter\tbenchmark\tscheme\tround\tunit\torder\tside\tstart_s\tns_per_op\tops\tjit";
    public const string BenchmarkColumns = "bench\tbenchmark\tinvocations\tops_per_invoke\twarmup_pairs\twarmup_quiet\toverhead_s\tscheme_seconds\ttotal_s\tfailure";

    private readonly TextWriter _writer;

    public RunFile(TextWriter writer) => _writer = writer;

    public void Meta(string key, params string[] values) => _writer.WriteLine("#" + key + "\t" + string.Join("\t", values.Select(Clean)));

    public void Columns()
    {
        Meta("columns", IterationColumns);
        Meta("columns", BenchmarkColumns);
    }

    public void Iteration(Iteration i) => _writer.WriteLine(string.Join("\t", "iter", i.Benchmark, i.Scheme, I(i.Round), I(i.Unit), I(i.Order), i.Side.ToString(),
        i.StartSeconds.ToString("0.000000", CultureInfo.InvariantCulture), i.NanosecondsPerOperation.ToString("R", CultureInfo.InvariantCulture), i.Operations.ToString(CultureInfo.InvariantCulture), i.Jit.ToString(CultureInfo.InvariantCulture)));

    public void Benchmark(BenchmarkSummary s, IEnumerable<string> schemes) => _writer.WriteLine(string.Join("\t", "bench", s.Benchmark, s.Invocations.ToString(CultureInfo.InvariantCulture),
        I(s.OperationsPerInvoke), I(s.WarmupPairs), s.WarmupQuiet ? "yes" : "no", ProbeRun.Num(s.OverheadSeconds),
        string.Join(",", schemes.Select(k => k + "=" + ProbeRun.Num(s.SchemeSeconds.TryGetValue(k, out var v) ? v : 0))), ProbeRun.Num(s.TotalSeconds), Clean(s.Failure ?? "")));

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
