using BenchmarkDotNet.Attributes;

namespace E2E.Suite;

public class Parsing
{
    [Benchmark]
    [Arguments(1, "a,b")]
    [Arguments(2, "c d")]
    public int Split(int count, string text) => text.Split(',').Length + count;
}
