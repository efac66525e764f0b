using System.Text.RegularExpressions;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>The Terminal Logger (on by default in a terminal) hides ordinary messages; the gate's progress and summary must still show.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class TerminalOutputTests
{
    private readonly SdkFeed _feed;

    public TerminalOutputTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void Progress_and_summary_show_under_the_Terminal_Logger_and_with_it_off()
    {
        var project = _feed.NewProject("terminal", "Term").Source("Work.cs", Workspace.LoopAndConcat).Property("PerfGateLaunches", "1").Property("PerfGateFailOn", "None").Create().Directory;

        var plain = DotNet.Build(project, "-t:PerfGate");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("Running benchmark 1 of 2: Work.Loop (launch 1 of 1)", plain.Output);

        var terminal = DotNet.RunInTerminal(project, "build -t:PerfGate");
        var text = Regex.Replace(terminal.Output, @"\x1B(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][A-Z0-9])", "");
        Assert.True(terminal.ExitCode == 0, text);
        Assert.Matches(@"running Work\.(Loop|Concat) \(launch 1 of 1\)", text);
        Assert.Contains("Performance gate Term:", text);
        Assert.Matches(@"2 benchmarks", text);

        var off = DotNet.Build(project, "-t:PerfGate");
        Assert.Contains("Running benchmark 2 of 2: Work.Concat (launch 1 of 1)", off.Output);
        Assert.Contains("Performance gate Term:", off.Output);
    }
}
