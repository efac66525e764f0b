using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.AbRunner;

/// <summary>
/// The gate's in-process A/B runner (PerfGateAbScheme=interleaved). RunBenchmarks starts it in a process of its own
/// with tiered compilation off; it loads the current build and the base build side by side (one
/// AssemblyLoadContext each, <see cref="Side"/>), finds their benchmark cases (<see cref="Discovery"/>),
/// measures each selected case with the two sides' iterations alternated A B, B A, … (<see cref="Measurer"/>) for the
/// time <c>--seconds</c> gives it, and writes <see cref="InterleavedResults"/>' file when it is done (a runner stopped
/// early leaves none: the gate then measures everything in alternated launches, LPG0339).
/// What it cannot measure it lists as fallback, for the gate to measure in alternated processes.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Lyra.Perf.AbRunner --current A.dll --base B.dll --out FILE.json --seconds S [--phase run|confirm] [--filter "g1;g2"] [--exclude "g3"]
          Both benchmark builds in one process, iterations alternated; started by the gate's RunBenchmarks (PerfGateAbScheme=interleaved).
          It measures with the current build first, then starts itself again (--order base-first) for the other order
          and writes both passes' units into FILE.json; S is each benchmark's time over both passes.
        """;

    private const string BaseFirst = "base-first";

    public static int Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            return Run(options, Console.Out);
        }
        catch (RunnerException e)
        {
            Console.Error.WriteLine("Lyra.Perf.AbRunner: " + e.Message);
            return 2;
        }
    }

    internal sealed record Options(string Current, string Base, string Output, double Seconds, string Phase, string Filter, string Exclude, string Order = "")
    {
        /// <summary>The second pass, started by the first: the base build set up, compiled and run first.</summary>
        public bool IsBaseFirst => Order == BaseFirst;

        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new RunnerException($"unexpected argument '{args[i]}'\n{Usage}");
                }

                values[args[i][2..]] = args[++i];
            }

            string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new RunnerException($"--{name} is required\n{Usage}");
            var seconds = double.TryParse(Required("seconds"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && double.IsFinite(s)
                ? s : throw new RunnerException("--seconds must be a positive number");
            var order = values.GetValueOrDefault("order", "");
            if (order.Length > 0 && order != BaseFirst)
            {
                throw new RunnerException($"--order must be '{BaseFirst}'\n{Usage}");
            }

            return new Options(Required("current"), Required("base"), Required("out"), seconds, values.GetValueOrDefault("phase", "run"),
                values.GetValueOrDefault("filter", ""), values.GetValueOrDefault("exclude", ""), order);
        }
    }

    internal static int Run(Options options, TextWriter log)
    {
        var current = Open("current", options.Current);
        var @base = Open("base", options.Base);
        var (casesA, skippedA) = Discovery.Find(current.MainAssembly);
        var (casesB, skippedB) = Discovery.Find(@base.MainAssembly);
        bool Selected(string name) => BenchmarkNames.Selects(options.Filter, name) && !BenchmarkNames.Excludes(options.Exclude, name);

        // A method either side cannot measure is measured the other way on both sides, so its two sides stay comparable.
        var fallback = new List<InterleavedFallback>();
        var unmeasured = skippedA.Concat(skippedB).Where(s => !s.Measured).ToList();
        // A skipped method is named without parameters; a filter naming one of its cases ("Ns.T.M(N: 1)", as a
        // confirmation does) selects it too.
        var globs = BenchmarkNames.Filters(options.Filter);
        bool SelectedMethod(string name) => (Selected(name) || globs.Any(g => g.StartsWith(name + "(", StringComparison.Ordinal))) && !BenchmarkNames.Excludes(options.Exclude, name);
        foreach (var skip in unmeasured.Where(s => SelectedMethod(s.Name)).GroupBy(s => s.Name, StringComparer.Ordinal))
        {
            fallback.Add(new InterleavedFallback(skip.Key, skip.First().Reason));
        }

        var skippedNames = new HashSet<string>(unmeasured.Select(s => s.Name), StringComparer.Ordinal);
        bool Measurable(BenchmarkCase c) => Selected(c.Id) && !skippedNames.Contains(Discovery.FilterName(c.Type, c.Method));
        var byIdB = casesB.Where(Measurable).GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var idsA = new HashSet<string>(StringComparer.Ordinal);
        var work = new List<(BenchmarkCase? A, BenchmarkCase? B)>();
        foreach (var a in casesA.Where(Measurable))
        {
            if (idsA.Add(a.Id))
            {
                work.Add((a, byIdB.GetValueOrDefault(a.Id)));
            }
        }

        work.AddRange(byIdB.Values.Where(b => !idsA.Contains(b.Id)).Select(b => ((BenchmarkCase?)null, (BenchmarkCase?)b)));

        var environment = Environment(current);
        var results = new List<InterleavedBenchmark>();
        InterleavedRun Snapshot(bool complete) => new()
        {
            Phase = options.Phase,
            Complete = complete,
            SecondsPerBenchmark = options.Seconds,
            Environment = environment,
            Benchmarks = results.ToList(),
            Fallback = fallback.ToList(),
        };
        void Save(bool complete) => AtomicFile.WriteAllBytes(options.Output, InterleavedResults.ToJson(Snapshot(complete)));

        // "benchmarks N P": N cases, each measured in P passes of half the time (the gate's progress lines count both).
        var passes = work.Any(w => w.A is not null && w.B is not null) ? AbSchemes.InterleavedPasses : 1;
        var secondsPerPass = options.Seconds / passes;
        if (!options.IsBaseFirst)
        {
            log.WriteLine(InterleavedResults.CountPrefix + work.Count.ToString(CultureInfo.InvariantCulture) + " " + passes.ToString(CultureInfo.InvariantCulture));
            foreach (var f in fallback)
            {
                log.WriteLine($"{InterleavedResults.OutputPrefix}fallback {f.Filter}: {f.Reason}");
            }
        }

        Host.TryRaisePriority(log);
        var clock = Stopwatch.StartNew();
        var measurer = new Measurer(new MeasureSettings { Schemes = new[] { Scheme.Interleaved }, Rounds = 1, BudgetSeconds = options.Seconds * work.Count }, clock);
        for (var k = 0; k < work.Count; k++)
        {
            var (a, b) = work[k];
            var one = (a ?? b)!;
            log.WriteLine(InterleavedResults.StartedPrefix + one.Id);
            var iterations = new List<Iteration>();

            // A case on one side only needs no pairing, just a reading for New or Removed: a shorter time.
            var summary = a is not null && b is not null ? measurer.Measure(a, b, secondsPerPass, iterations.Add, baseFirst: options.IsBaseFirst)
                : a is not null ? measurer.Measure(a, null, secondsPerPass / 2, iterations.Add, 'A')
                : measurer.Measure(b!, null, secondsPerPass / 4, iterations.Add, 'B');
            if (summary.Failure is { } failure)
            {
                // BenchmarkDotNet runs it in alternated launches and reports the failure there as it would (LPG0303, its log).
                fallback.Add(new InterleavedFallback(BenchmarkNames.FilterFor(one.Id), "threw in the in-process runner: " + failure));
                log.WriteLine($"{InterleavedResults.OutputPrefix}fallback {one.Id}: threw: {failure}");
            }
            else
            {
                results.Add(Result(one, summary, iterations, hasA: a is not null, hasB: b is not null));
            }
        }

        if (passes > 1 && !options.IsBaseFirst)
        {
            var second = SecondPass(options, log);
            if (second is null)
            {
                return 1;
            }

            Merge(results, fallback, second);
        }

        Save(complete: true);
        log.WriteLine($"{InterleavedResults.OutputPrefix}done: {results.Count} measured, {fallback.Count} left to alternated launches, {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>Runs this runner again with the base build first and reads what it measured; null (said in the log)
    /// when it failed, so the gate measures in alternated launches rather than with one order only.</summary>
    private static InterleavedRun? SecondPass(Options options, TextWriter log)
    {
        var output = options.Output + "." + BaseFirst + ".part";
        var start = new ProcessStartInfo(System.Environment.ProcessPath ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[]
        {
            typeof(Program).Assembly.Location, "--current", options.Current, "--base", options.Base, "--out", output,
            "--seconds", options.Seconds.ToString("R", CultureInfo.InvariantCulture), "--phase", options.Phase,
            "--filter", options.Filter, "--exclude", options.Exclude, "--order", BaseFirst,
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null)
            {
                log.WriteLine(line);
            }

            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                log.WriteLine($"{InterleavedResults.OutputPrefix}the base-first pass failed (exit code {process.ExitCode})");
                return null;
            }

            return InterleavedResults.Read(output);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or Lyra.Perf.Engine.Diagnostics.GateException)
        {
            log.WriteLine($"{InterleavedResults.OutputPrefix}the base-first pass failed: {e.Message}");
            return null;
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Appends the second pass's units to the first's, benchmark by benchmark; its fallbacks join ours.</summary>
    internal static void Merge(List<InterleavedBenchmark> results, List<InterleavedFallback> fallback, InterleavedRun second)
    {
        static InterleavedSide? Join(InterleavedSide? x, InterleavedSide? y) =>
            x is null ? y : y is null ? x : new InterleavedSide(x.Nanoseconds.Concat(y.Nanoseconds).ToList(), x.Bytes.Concat(y.Bytes).ToList());

        var secondById = second.Benchmarks.ToDictionary(b => b.Id, StringComparer.Ordinal);
        for (var i = 0; i < results.Count; i++)
        {
            if (secondById.TryGetValue(results[i].Id, out var other))
            {
                results[i] = results[i] with
                {
                    Current = Join(results[i].Current, other.Current),
                    Base = Join(results[i].Base, other.Base),
                    PassUnits = results[i].PassUnits.Concat(other.PassUnits).ToList(),
                    WarmupPairs = results[i].WarmupPairs + other.WarmupPairs,
                    Seconds = results[i].Seconds + other.Seconds,
                };
            }
        }

        // A pair measured in one order only (it threw in the other pass, whose fallback names it) is measured in
        // alternated launches instead; what only the second pass measured (the first's fallback names it) is dropped.
        var measuredSecond = new HashSet<string>(second.Benchmarks.Select(b => b.Id), StringComparer.Ordinal);
        results.RemoveAll(r => !measuredSecond.Contains(r.Id));
        foreach (var f in second.Fallback.Where(f => fallback.All(g => g.Filter != f.Filter)))
        {
            fallback.Add(f);
        }
    }

    private static Side Open(string label, string assemblyPath)
    {
        var full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full))
        {
            throw new RunnerException($"{label}: '{full}' does not exist");
        }

        return Side.Open(label, Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full));
    }

    /// <summary>One benchmark's units: unit k of each side, in the order measured.</summary>
    private static InterleavedBenchmark Result(BenchmarkCase c, BenchmarkSummary summary, List<Iteration> iterations, bool hasA, bool hasB)
    {
        InterleavedSide? SideOf(char side, bool has)
        {
            if (!has)
            {
                return null;
            }

            var mine = iterations.Where(i => i.Side == side).OrderBy(i => i.Unit).ToList();
            return new InterleavedSide(mine.Select(i => i.NanosecondsPerOperation).ToList(), mine.Select(i => double.IsNaN(i.BytesPerOperation) ? 0 : Math.Max(0, i.BytesPerOperation)).ToList());
        }

        var current = SideOf('A', hasA);
        var @base = SideOf('B', hasB);
        var parameters = c.Method.GetParameters().Select((p, k) => (p.Name ?? "", c.Arguments[k]))
            .Concat(c.Parameters.Select(p => (p.Member.Name, p.Value))).ToList();
        return new InterleavedBenchmark
        {
            Id = c.Id,
            Namespace = c.Type.Namespace,
            Type = c.Type.IsNested ? (c.Type.FullName ?? c.Type.Name)[((c.Type.Namespace?.Length + 1) ?? 0)..].Replace('+', '.') : c.Type.Name,
            Method = c.Method.Name,
            Parameters = parameters.Count == 0 ? null : string.Join("&", parameters.Select(p => p.Item1 + "=" + Convert.ToString(p.Item2, CultureInfo.InvariantCulture))),
            Operations = summary.Invocations * (double)summary.OperationsPerInvoke,
            WarmupPairs = summary.WarmupPairs,
            Seconds = summary.TotalSeconds,
            PassUnits = new[] { (current ?? @base)!.Nanoseconds.Count },
            Current = current,
            Base = @base,
        };
    }

    /// <summary>The machine as the reports name it; the job says how it was measured.</summary>
    private static RunEnvironment Environment(Side current)
    {
        var benchmarkDotNet = current.MainAssembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "BenchmarkDotNet")?.Version;
        var tiered = System.Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "default";
        return new RunEnvironment
        {
            Os = RuntimeInformation.OSDescription,
            Cpu = CpuName(),
            LogicalCores = System.Environment.ProcessorCount,
            Runtime = RuntimeInformation.FrameworkDescription,
            Architecture = RuntimeInformation.ProcessArchitecture.ToString(),
            BenchmarkDotNetVersion = benchmarkDotNet is null ? "" : benchmarkDotNet.ToString(3),
            Job = $"Lyra.Perf.AbRunner interleaved, IterationTime={new MeasureSettings().IterationMilliseconds.ToString(CultureInfo.InvariantCulture)}ms, TieredCompilation={tiered}",
        };
    }

    private static string CpuName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.IndexOf(':') is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return "";
    }
}

/// <summary>Process-wide settings of a measuring process.</summary>
internal static class Host
{
    /// <summary>As BenchmarkDotNet does; refused without privileges on Linux, which only matters against other processes.</summary>
    public static void TryRaisePriority(TextWriter log)
    {
        try
        {
            Thread.CurrentThread.Priority = ThreadPriority.Highest;
            using var process = Process.GetCurrentProcess();
            process.PriorityClass = ProcessPriorityClass.High;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            log.WriteLine($"note: could not raise the process priority ({e.GetType().Name})");
        }
    }
}
