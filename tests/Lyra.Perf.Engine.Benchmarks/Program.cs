using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Lyra.Perf.Engine.Benchmarks;

/// <summary>
/// Plain runs: BenchmarkDotNet's command line (<c>dotnet run -c Release -- --filter *Pipeline*</c>).
/// <c>--dry</c>: every benchmark once, in process, with BenchmarkDotNet's Dry job, on a tenth of the data, in any configuration; exit code 1
/// when any benchmark or its setup threw (.ci/run calls it so the benchmarks cannot rot).
/// <c>--report DIR [benchmarks]</c>: the compare-only gate's reports over a synthetic suite, copied to DIR.
/// <c>--stages [repeats]</c>: Stopwatch times per stage, 1 against 1,000 benchmarks (<see cref="StageTimes"/>). The gate's own build
/// (<c>dotnet build -t:PerfGate</c>) uses the SDK's entry point instead of this one.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--stages")
        {
            return StageTimes.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5, Console.Out);
        }

        if (args.Length > 1 && args[0] == "--report")
        {
            // The compare-only gate over a synthetic suite, its reports copied to args[1] (build/measure-html-render.sh).
            using var suite = SyntheticSuite.Create(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            var outcome = GateRunner.Gate(suite.Request());
            Directory.CreateDirectory(args[1]);
            foreach (var file in Directory.GetFiles(suite.ReportDirectory))
            {
                File.Copy(file, Path.Combine(args[1], Path.GetFileName(file)), overwrite: true);
            }

            Console.WriteLine($"{outcome.Result?.Verdicts.Count} benchmarks, {suite.HistoryRuns} history runs: reports in {args[1]}");
            return 0;
        }

        if (!args.Contains("--dry"))
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        // The dry run checks that every benchmark runs, not how fast: a tenth of the data keeps it to seconds.
        SyntheticSuite.Small = true;
        var artifacts = Path.Combine(Path.GetTempPath(), "lyra-engine-bench-dry-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = DefaultConfig.Instance
                .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
                .WithArtifactsPath(artifacts)
                .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
            var summaries = BenchmarkRunner.Run(EngineBenchmarkTypes.All.ToArray(), config);
            var reports = summaries.SelectMany(s => s.Reports).ToList();
            var failed = reports.Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo).ToList();
            var expected = summaries.Sum(s => s.BenchmarksCases.Length);
            if (summaries.Any(s => s.HasCriticalValidationErrors) || expected == 0 || reports.Count != expected || failed.Count > 0)
            {
                Console.Error.WriteLine($"Engine benchmarks dry run FAILED: {failed.Count} of {expected} benchmark(s) failed{(failed.Count > 0 ? ": " + string.Join("; ", failed) : "")}"
                    + (summaries.Any(s => s.HasCriticalValidationErrors) ? "; validation errors: " + string.Join("; ", summaries.SelectMany(s => s.ValidationErrors).Select(e => e.Message)) : "") + ".");
                return 1;
            }

            Console.WriteLine($"Engine benchmarks dry run: {reports.Count} of {expected} benchmark(s) ran once each without error.");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(artifacts, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
