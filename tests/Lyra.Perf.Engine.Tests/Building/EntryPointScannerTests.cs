using Lyra.Perf.Engine.Building;

namespace Lyra.Perf.Engine.Tests.Building;

public class EntryPointScannerTests
{
    [Theory]
    [InlineData("class P { static void Main(string[] args) { } }")]
    [InlineData("class P { public static int Main() => 0; }")]
    [InlineData("class P { static async Task Main(string[] a) { } }")]
    [InlineData("class P { static async Task<int> Main() => 0; }")]
    public void Finds_Main_methods(string source) => Assert.True(EntryPointScanner.HasEntryPoint(source));

    [Theory]
    [InlineData("BenchmarkDotNet.Running.BenchmarkRunner.Run<E2E.Work>();\n")]
    [InlineData("using BenchmarkDotNet.Running;\n\nBenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);\n")]
    [InlineData("// comment\n/* block */\nvar x = 1;\n")]
    public void Finds_top_level_statements(string source) => Assert.True(EntryPointScanner.HasTopLevelStatements(source));

    [Theory]
    [InlineData("namespace N;\npublic class Bench { [Benchmark] public void Main2() { } }")]
    [InlineData("using System;\n[assembly: X]\nnamespace N { class C { } }")]
    [InlineData("// static void Main(string[] args)\nnamespace N;\nclass C { }")]
    [InlineData("/* static void Main() */ internal sealed class C { }")]
    [InlineData("")]
    [InlineData("file static class Helpers { }")]
    [InlineData("public record R(int X);")]
    public void Benchmark_classes_are_not_entry_points(string source) => Assert.False(EntryPointScanner.HasEntryPoint(source));
}
