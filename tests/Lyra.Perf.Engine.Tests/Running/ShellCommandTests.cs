using System.Diagnostics;
using System.Linq;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Tests.Running;

public sealed class ShellCommandTests
{
    [Theory]
    [InlineData("Ns.Hash.Hash64(N: 1024)")]
    [InlineData("Ns.Fmt.Format(Text: \"a, b; c\", Count: 3) [IterationCount=5, WarmupCount=3]")]
    [InlineData("Ns.Gen<Int32, String>.M(s: 'x $HOME `id` 50%')")]
    public void The_accept_command_is_one_shell_argument_that_MSBuild_turns_back_into_the_benchmark_name(string id)
    {
        var command = ShellCommand.AcceptBaseline(new[] { id });

        // bash parses the printed text into exactly: dotnet build -t:PerfBaseline -p:PerfGateFilter=<escaped>
        var words = Bash("printf '%s\\n' " + command).TrimEnd('\n').Split('\n');
        Assert.Equal(new[] { "dotnet", "build", "-t:PerfBaseline" }, words.Take(3));
        var property = Assert.Single(words.Skip(3));
        Assert.StartsWith("-p:PerfGateFilter=", property);
        var value = property.Substring("-p:PerfGateFilter=".Length);
        Assert.DoesNotContain(value, c => c is ' ' or ',' or ';' or '"' or '\''); // nothing MSBuild's -p: parser splits at
        Assert.Equal(BenchmarkNames.WithoutJob(id), System.Uri.UnescapeDataString(value));
    }

    [Fact]
    public void Several_benchmarks_are_one_filter_value_MSBuild_unescapes_into_separate_globs()
    {
        var command = ShellCommand.AcceptBaseline(new[] { "A.B.C(N: 1)", "A.B.C(N: 1) [Job2]", "A.B.D" });
        var value = System.Uri.UnescapeDataString(command.Split('=')[1].TrimEnd('\''));

        Assert.Equal(new[] { "A.B.C(N: 1)", "A.B.D" }, BenchmarkNames.Filters(value));
    }

    [Theory]
    [InlineData("*Hash64*(N: 1024)", "Ns.T.Hash64(N: 1024)", true)]
    [InlineData("*Hash64*(N: 1024)", "Ns.T.Hash64(N: 16)", false)]
    [InlineData("*Hash64*", "Ns.T.Hash64(N: 16) [IterationCount=5]", true)]
    [InlineData("Ns.T.Hash64", "Ns.T.Hash64(N: 16)", true)]
    [InlineData("*Other*", "Ns.T.Hash64(N: 16)", false)]
    public void Filters_select_as_BenchmarkDotNet_does_with_parameters_and_without(string filter, string id, bool selected) =>
        Assert.Equal(selected, BenchmarkNames.Selects(filter, id));

    private static string Bash(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
