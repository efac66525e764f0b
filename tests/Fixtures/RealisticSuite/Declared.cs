using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace E2E.Suite;

// A class-level config that adds its own job, as many suites do.
[Config(typeof(QuickConfig))]
public class Declared
{
    private readonly int[] _values = Enumerable.Range(0, 256).ToArray();

    [Benchmark]
    public int Sum() => _values.Sum();

    private sealed class QuickConfig : ManualConfig
    {
        public QuickConfig() => AddJob(Job.Dry.WithId("Quick"));
    }
}
