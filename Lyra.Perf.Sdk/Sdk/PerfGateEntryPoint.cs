// Supplied by Lyra.Perf.Sdk: the entry point of a benchmark project that has none of its own, and of every
// gate build, so the gate's filter, job, exporters and artifacts always reach BenchmarkDotNet.
namespace Lyra.Perf.Generated
{
    internal static class PerfGateEntryPoint
    {
        public static int Main(string[] args)
        {
            BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(PerfGateEntryPoint).Assembly).Run(args);
            return 0;
        }
    }
}
