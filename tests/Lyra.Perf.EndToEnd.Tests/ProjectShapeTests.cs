using System.IO;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

[Collection(SdkFeedCollection.Name)]
public sealed class ProjectShapeTests
{
    private readonly SdkFeed _feed;

    public ProjectShapeTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void A_Main_that_ignores_args_still_runs_under_the_gates_settings_and_a_plain_build_runs_nothing()
    {
        var project = _feed.NewProject("ownmain", "OwnMain").Source("Work.cs", Workspace.LoopAndConcat)
            // Common in the wild: top-level statements that ignore args entirely.
            .Source("Program.cs", "BenchmarkDotNet.Running.BenchmarkRunner.Run<E2E.Work>();\n")
            .Property("PerfGateFilter", "*Concat*").Create().Directory;

        var plain = DotNet.Build(project);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.False(Directory.Exists(Path.Combine(project, "obj", "lyra-perf")), "a plain build must do no benchmark work");
        Assert.DoesNotContain("Lyra.Perf:", plain.Output);

        var gate = DotNet.Build(project, "-t:PerfGate");
        Assert.True(gate.ExitCode == 0, gate.ToString());
        var baseline = File.ReadAllText(Path.Combine(project, "perf-baseline.json"));
        Assert.Contains("\"E2E.Work.Concat\"", baseline);
        Assert.DoesNotContain("E2E.Work.Loop", baseline); // the filter reached BenchmarkDotNet
        Assert.False(Directory.Exists(Path.Combine(project, "BenchmarkDotNet.Artifacts")), "artifacts belong under obj/");
    }

    [Fact]
    public void A_library_project_is_told_to_become_an_executable()
    {
        var project = _feed.NewProject("library", "Lib").Source("Work.cs", Workspace.LoopAndConcat).Property("OutputType", "Library").Create().Directory;

        var gate = DotNet.Build(project, "-t:PerfGate");

        Assert.True(gate.ExitCode != 0, gate.ToString());
        Assert.Matches(@"Lib\.csproj : error LPG0401: PerfGate runs the project's benchmarks as a program: set <OutputType>Exe</OutputType>", gate.Output);
    }

    [Fact]
    public void A_solution_gate_runs_every_project_that_imports_the_sdk_and_skips_the_rest()
    {
        var workspace = _feed.NewProject("solution", "Bench").Source("Work.cs", Workspace.LoopAndConcat).Property("PerfGateFilter", "*Concat*").Create().Workspace;
        Directory.CreateDirectory(workspace.PathOf("Lib"));
        File.WriteAllText(workspace.PathOf("Lib", "Lib.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        File.WriteAllText(workspace.PathOf("Lib", "Class1.cs"), "namespace Lib; public static class Class1 { }");
        File.WriteAllText(workspace.PathOf("Directory.Solution.targets"),
            $"<Project>\n  <Import Project=\"Solution.targets\" Sdk=\"Lyra.Perf.Sdk\" Version=\"{workspace.SdkVersion}\" />\n</Project>\n");
        Assert.Equal(0, DotNet.Run(workspace.Directory, new[] { "new", "sln", "-n", "All", "--format", "sln" }).ExitCode);
        Assert.Equal(0, DotNet.Run(workspace.Directory, new[] { "sln", "All.sln", "add", "Bench/Bench.csproj", "Lib/Lib.csproj" }).ExitCode);

        var gate = DotNet.Build(workspace.Directory, "All.sln", "-t:PerfGate");

        Assert.True(gate.ExitCode == 0, gate.ToString());
        Assert.DoesNotContain("MSB4057", gate.Output);
        Assert.True(File.Exists(workspace.PathOf("Bench", "perf-baseline.json")));
        Assert.False(File.Exists(workspace.PathOf("Lib", "perf-baseline.json")));
    }
}
