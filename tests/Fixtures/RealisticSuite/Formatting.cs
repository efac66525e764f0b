using BenchmarkDotNet.Attributes;

namespace E2E.Suite;

// A class-level job: the gate measures with its own job only and says it left this one out.
[ShortRunJob]
[MemoryDiagnoser]
public class Formatting
{
    [Params("a b", "x, y")]
    public string Text = "";

    [Benchmark]
    public string Pad() => Text.PadLeft(24, '.');
}
