using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Tests.Running;

public class BenchmarkArgumentsTests
{
    [Fact]
    public void The_gate_job_is_in_process_with_full_json_memory_and_its_own_artifacts()
    {
        var args = BenchmarkArguments.Compose("gate", new[] { "*Parse*", "Ns.T.M" }, "/tmp/a b", warmupCount: 8, iterationCount: 10, iterationTimeMs: 50);

        Assert.Equal(new[] { "--filter", "*Parse*", "Ns.T.M", "--inProcess", "--warmupCount", "8", "--iterationCount", "10", "--iterationTime", "50", "--launchCount", "1", "--memory", "--exporters", "fulljson", "--artifacts", "/tmp/a b" }, args);
    }

    [Fact]
    public void A_named_job_is_passed_through_with_extra_arguments()
    {
        var args = BenchmarkArguments.Compose("Short", new[] { "*" }, "/a", 8, 10, 100, extra: "--disasm \"--envVars X:1\"");

        Assert.Contains("short", args);
        Assert.DoesNotContain("--inProcess", args);
        Assert.Equal(new[] { "--disasm", "--envVars X:1" }, args.Skip(args.Count - 2));
    }

    [Theory]
    [InlineData("gate", "Gate")]
    [InlineData("MEDIUM", "Medium")]
    public void Job_names_are_case_insensitive(string text, string expected) => Assert.Equal(expected, BenchmarkArguments.Validate(text));

    [Fact]
    public void An_unknown_job_is_LPG0401() =>
        Assert.Equal(DiagnosticCodes.InvalidSetting, Assert.Throws<GateException>(() => BenchmarkArguments.Validate("Turbo")).Diagnostic.Code);

    [Theory]
    [InlineData("", new[] { "*" })]
    [InlineData("*A*;*B*", new[] { "*A*", "*B*" })]
    [InlineData(" *A* ; *B* ", new[] { "*A*", "*B*" })]
    [InlineData("*Hash64*(N: 1024)", new[] { "*Hash64*(N: 1024)" })]
    public void Filters(string text, string[] expected) => Assert.Equal(expected, BenchmarkArguments.Filters(text));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("dir\\ x\\", "\"dir\\ x\\\\\"")]
    public void Quoting_follows_the_process_command_line_rules(string argument, string expected) =>
        Assert.Equal(expected, BenchmarkArguments.Quote(argument));

    [Theory]
    [InlineData("// ***** Found 12 benchmark(s) in total *****", 12)]
    [InlineData("// ***** Building 1 exe(s) in Parallel: Start   *****", null)]
    public void Counts_the_benchmarks_BenchmarkDotNet_found(string line, int? expected) => Assert.Equal(expected, BenchmarkOutput.TotalBenchmarks(line));

    [Theory]
    [InlineData("// Benchmark: Work.Loop: Job-ABCDEF(Toolchain=InProcessEmitToolchain)", "Work.Loop")]
    [InlineData("// Benchmark: Work.Run(N: 10): DefaultJob", "Work.Run(N: 10) (DefaultJob)")]
    [InlineData("// Benchmark: Hashing.Hash: PerfGate(Toolchain=InProcessEmitToolchain, IterationTime=25ms) [N=16]", "Hashing.Hash [N=16]")]
    [InlineData("// Benchmark: Fmt.Pad: ShortRun(Toolchain=InProcessEmitToolchain) [Text=x, y: [z]]", "Fmt.Pad [Text=x, y: [z]] (ShortRun)")]
    [InlineData("// Benchmark: Work.Loop: Job-QWERTY(IterationCount=3, WarmupCount=1) [N=16]", "Work.Loop [N=16] (IterationCount=3, WarmupCount=1)")]
    [InlineData("// Benchmark Process Environment Information:", null)]
    public void Recognises_a_starting_benchmark(string line, string? expected) => Assert.Equal(expected, BenchmarkOutput.StartedBenchmark(line));
}
