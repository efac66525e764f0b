// Supplied by Lyra.Perf.Sdk: the entry point of a benchmark project that has none of its own, and of every
// gate build, so the gate's filter, job, exporters and artifacts always reach BenchmarkDotNet.
namespace Lyra.Perf.Generated
{
    internal static class PerfGateEntryPoint
    {
        /// <summary>Set by the gate's RunBenchmarks: "Gate WARMUPS ITERATIONS" = measure with the gate's job only, the
        /// in-process job the command line describes (BenchmarkDotNet runs it beside the jobs declared on classes).</summary>
        private const string JobsVariable = "LYRA_PERF_JOBS";

        private static int _warmups;
        private static int _iterations;

        private static readonly System.Collections.Generic.HashSet<string> LeftOut = new System.Collections.Generic.HashSet<string>();

        public static int Main(string[] args)
        {
            BenchmarkDotNet.Configs.IConfig config = BenchmarkDotNet.Configs.DefaultConfig.Instance;
            var jobs = (System.Environment.GetEnvironmentVariable(JobsVariable) ?? "").Split(' ');
            if (jobs.Length == 3 && jobs[0] == "Gate" && int.TryParse(jobs[1], out _warmups) && int.TryParse(jobs[2], out _iterations))
            {
                // Jobs declared on classes ([Config], [ShortRunJob] …) would run beside the gate's: keep the gate's only
                // and say once per class which declared job was left out (PerfGateJob=Declared keeps them).
                config = BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance)
                    .AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(IsGateJob));
            }

            config = BenchmarkDotNet.Configs.ConfigExtensions.AddDiagnoser(config, new PerfGateCpuDiagnoser()); // cores used and other load (LPG0225)
            BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(PerfGateEntryPoint).Assembly).Run(args, config);
            return 0;
        }

        private static bool IsGateJob(BenchmarkDotNet.Running.BenchmarkCase benchmark)
        {
            var job = benchmark.Job;
            if (job.Infrastructure.Toolchain is BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain
                && job.Run.WarmupCount == _warmups && job.Run.IterationCount == _iterations)
            {
                return true;
            }

            var type = benchmark.Descriptor.Type.Namespace + "." + benchmark.Descriptor.Type.Name;
            if (LeftOut.Add(type + " " + job.ResolvedId))
            {
                System.Console.WriteLine("// Lyra.Perf: left out declared job " + job.ResolvedId + " of " + type);
            }

            return false;
        }
    }
}
