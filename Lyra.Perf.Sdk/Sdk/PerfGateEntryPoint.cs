// Supplied by Lyra.Perf.Sdk: the entry point of a benchmark project that has none of its own, and of every
// gate build, so the gate's filter, job, exporters and artifacts always reach BenchmarkDotNet.
namespace Lyra.Perf.Generated
{
    internal static class PerfGateEntryPoint
    {
        /// <summary>The gate's own job. Its settings come from the command line, which BenchmarkDotNet applies to every job.</summary>
        private const string GateJobId = "PerfGate";

        /// <summary>Set by the gate's RunBenchmarks: "Gate" = measure with the gate's job only.</summary>
        private const string JobsVariable = "LYRA_PERF_JOBS";

        private static readonly System.Collections.Generic.HashSet<string> LeftOut = new System.Collections.Generic.HashSet<string>();

        public static int Main(string[] args)
        {
            BenchmarkDotNet.Configs.IConfig config = BenchmarkDotNet.Configs.DefaultConfig.Instance;
            if (System.Environment.GetEnvironmentVariable(JobsVariable) == "Gate")
            {
                // Jobs declared on classes ([Config], [ShortRunJob] …) would run beside the gate's: keep the gate's only
                // and say once per class which declared job was left out (PerfGateJob=Declared keeps them).
                config = BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance)
                    .AddJob(new BenchmarkDotNet.Jobs.Job(GateJobId))
                    .AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(IsGateJob));
            }

            BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(PerfGateEntryPoint).Assembly).Run(args, config);
            return 0;
        }

        private static bool IsGateJob(BenchmarkDotNet.Running.BenchmarkCase benchmark)
        {
            var job = benchmark.Job.ResolvedId;
            if (job == GateJobId)
            {
                return true;
            }

            var type = benchmark.Descriptor.Type.FullName;
            if (LeftOut.Add(type + " " + job))
            {
                System.Console.WriteLine("// Lyra.Perf: left out declared job " + job + " of " + type);
            }

            return false;
        }
    }
}
