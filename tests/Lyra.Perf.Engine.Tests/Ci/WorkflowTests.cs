using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Reports;
using Lyra.Perf.Engine.Tests.Reports;

namespace Lyra.Perf.Engine.Tests.Ci;

/// <summary>The GitHub workflows in docs/ci (for users) and .github/workflows (this repository's copies), linted with
/// action-validator (the workflow JSON schema and expression checks, offline; .ci/run installs it from
/// .ci/tools/package-lock.json). Fails when the linter is missing under CI=true, so a green CI means it ran.</summary>
public sealed class WorkflowTests
{
    private static readonly string Root = ReportFixture.RepositoryRoot();

    public static TheoryData<string> Workflows() => new(
        Directory.GetFiles(Path.Combine(Root, "docs", "ci"), "*.yml").Concat(Directory.GetFiles(Path.Combine(Root, ".github", "workflows"), "*.yml"))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Workflows))]
    public void The_workflow_passes_the_linter(string workflow)
    {
        if (Linter() is not { } linter)
        {
            return;
        }

        var (exit, output) = Run(linter, Path.Combine(Root, workflow));
        Assert.True(exit == 0, $"action-validator rejected {workflow}:\n{output}");
    }

    [Fact]
    public void The_linter_rejects_a_broken_workflow()
    {
        if (Linter() is not { } linter)
        {
            return;
        }

        var broken = Path.Combine(Path.GetTempPath(), "lyra-broken-" + Guid.NewGuid().ToString("N") + ".yml");
        File.WriteAllText(broken, File.ReadAllText(Path.Combine(Root, "docs", "ci", "perf-gate.yml")).Replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest"));
        try
        {
            var (exit, output) = Run(linter, broken);
            Assert.True(exit != 0, "a job without runs-on must fail the lint:\n" + output);
            Assert.Contains("runs-onn", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Theory]
    [InlineData("perf-gate.yml")]
    [InlineData("perf-gate-ab.yml")]
    public void This_repositorys_workflow_is_the_documented_one_on_the_sample(string name)
    {
        var documented = File.ReadAllText(Path.Combine(Root, "docs", "ci", name)).Replace("\r\n", "\n");
        var own = File.ReadAllText(Path.Combine(Root, ".github", "workflows", name)).Replace("\r\n", "\n");

        var expected = documented
            .Replace("PERF_PROJECT: path/to/My.Benchmarks", "PERF_PROJECT: samples/Lyra.Core.Benchmarks")
            .Replace("shard: [1, 2, 3, 4]", "shard: [1, 2]");
        Assert.Equal(expected, own.Substring(own.IndexOf('\n') + 1));
        Assert.True(Directory.Exists(Path.Combine(Root, "samples", "Lyra.Core.Benchmarks")));
    }

    [Fact]
    public void The_matrix_workflow_shards_merges_comments_once_and_uploads_SARIF()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "ci", "perf-gate.yml"));
        Assert.Contains("-p:PerfGateShard=${{ matrix.shard }}/${{ strategy.job-total }}", text, StringComparison.Ordinal);
        Assert.Contains("-p:PerfGateResults=${{ runner.temp }}/perf-results", text, StringComparison.Ordinal);
        Assert.Contains("pattern: perf-shard-*", text, StringComparison.Ordinal);
        Assert.Contains(ReportWriter.CommentFileName, text, StringComparison.Ordinal);
        // The comment step finds its earlier comment by the marker the engine writes as the body's first line.
        Assert.Contains("marker=$(head -n 1 \"$BODY\")", text, StringComparison.Ordinal);
        Assert.StartsWith("<!-- lyra-perf-comment: ", PullRequestCommentWriter.Marker("P"), StringComparison.Ordinal);
        Assert.Contains("-X PATCH", text, StringComparison.Ordinal);
        Assert.Contains("github/codeql-action/upload-sarif", text, StringComparison.Ordinal);
        Assert.Contains("security-events: write", text, StringComparison.Ordinal);

        var ab = File.ReadAllText(Path.Combine(Root, "docs", "ci", "perf-gate-ab.yml"));
        Assert.Contains("fetch-depth: 0", ab, StringComparison.Ordinal);
        Assert.Contains("-p:PerfGateBaseRef=${{ github.event.pull_request.base.sha }}", ab, StringComparison.Ordinal);
    }

    /// <summary>action-validator from LYRA_ACTION_VALIDATOR, .ci/tools or the PATH; null (test passes vacuously) only off CI.</summary>
    private static string? Linter()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("LYRA_ACTION_VALIDATOR"),
            Path.Combine(Root, ".ci", "tools", "node_modules", ".bin", "action-validator"),
        }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "action-validator")));
        var found = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
        if (found is null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("action-validator is not installed, so the workflows cannot be linted: run `npm ci --prefix .ci/tools` (.ci/run does) or set LYRA_ACTION_VALIDATOR.");
        }

        return found;
    }

    private static (int Exit, string Output) Run(string linter, string file)
    {
        var start = new ProcessStartInfo(linter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "action-validator did not finish within 2 minutes");
        return (process.ExitCode, output.Result + error);
    }
}
