using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Reports;

public sealed class PullRequestCommentTests
{
    private const string RunUrl = "https://github.com/o/r/actions/runs/42";

    private static ReportContext Large(int benchmarks)
    {
        var context = ReportFixture.Create();
        var verdicts = Enumerable.Range(0, benchmarks)
            .Select(i => new BenchmarkVerdict($"Very.Long.Namespace.Of.A.Large.Suite.Benchmarks{i % 40}.Method{i}(size: {i}, text: \"{new string('x', 40)}\")", i == 7 ? Outcome.Regressed : Outcome.Unchanged)
            {
                Decision = i == 7 ? new Decision(Severity.Critical, true, "Critical time regression, fails the build (PerfGateFailOn=Major)") : Decision.None, BaselineNanoseconds = 100 + i, CurrentNanoseconds = i == 7 ? 300 : 101 + i,
            })
            .ToList();
        return context with { Result = context.Result with { Verdicts = verdicts } };
    }

    [Fact]
    public void A_small_report_is_the_whole_Markdown_report_under_the_marker()
    {
        var context = ReportFixture.Create();
        var body = PullRequestCommentWriter.Write(context, RunUrl);

        Assert.Equal(PullRequestCommentWriter.Marker(context.ProjectName) + "\n" + MarkdownReportWriter.Write(context), body);
        Assert.StartsWith("<!-- lyra-perf-comment: ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("not shown", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_report_is_cut_to_GitHubs_limit_keeping_the_worst_rows_and_linking_the_full_report()
    {
        var context = Large(5000);
        Assert.True(MarkdownReportWriter.Write(context).Length > PullRequestCommentWriter.MaxLength, "the fixture must exceed the limit");

        var body = PullRequestCommentWriter.Write(context, RunUrl);

        Assert.InRange(body.Length, PullRequestCommentWriter.MaxLength - 2000, PullRequestCommentWriter.MaxLength);
        Assert.StartsWith(PullRequestCommentWriter.Marker(context.ProjectName) + "\n## ", body, StringComparison.Ordinal);
        var rows = body.Split('\n').Count(l => l.StartsWith("| Very.Long", StringComparison.Ordinal));
        Assert.InRange(rows, 100, 4999);
        Assert.Contains($"_{5000 - rows} benchmarks not shown: the full report is perf-report.md in the [workflow run's artifacts]({RunUrl})._", body, StringComparison.Ordinal);
        // The regression is ranked first, so it survives the cut.
        Assert.Contains("Method7(", body.Split('\n').First(l => l.StartsWith("| Very.Long", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("5000 benchmarks", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5000, PullRequestCommentWriter.MaxLength)]
    [InlineData(1000, 30_000)]
    [InlineData(300, 9_000)]
    public void The_cut_keeps_the_most_rows_that_fit(int benchmarks, int maxLength)
    {
        var context = Large(benchmarks);
        var marker = PullRequestCommentWriter.Marker(context.ProjectName) + "\n";

        var body = PullRequestCommentWriter.Write(context, RunUrl, maxLength);

        var rows = body.Split('\n').Count(l => l.StartsWith("| Very.Long", StringComparison.Ordinal));
        Assert.Equal(marker + MarkdownReportWriter.Write(context, new MarkdownLimit(rows, RunUrl)), body);
        Assert.True((marker + MarkdownReportWriter.Write(context, new MarkdownLimit(rows + 1, RunUrl))).Length > maxLength, $"{rows + 1} rows would fit in {maxLength}");
    }

    [Fact]
    public void Without_a_run_url_it_points_at_the_jobs_artifacts()
    {
        var body = PullRequestCommentWriter.Write(Large(5000), null);
        Assert.Contains("the full report is perf-report.md in the job's artifacts._", body, StringComparison.Ordinal);
        Assert.True(body.Length <= PullRequestCommentWriter.MaxLength);
    }

    [Fact]
    public void Even_a_report_too_long_without_rows_stays_within_the_limit()
    {
        var context = ReportFixture.Create();
        var huge = context with { ProjectName = new string('p', 100), Result = context.Result with { Claims = Enumerable.Range(0, 500).Select(i => new ClaimResult(new PerfClaim("A" + new string('a', 200) + i, "B") { Faster = 2 }, "A", "B", false, new string('d', 200))).ToList() } };

        var body = PullRequestCommentWriter.Write(huge, RunUrl, maxLength: 20_000);

        Assert.True(body.Length <= 20_000, body.Length.ToString());
        Assert.StartsWith(PullRequestCommentWriter.Marker(huge.ProjectName), body, StringComparison.Ordinal);
        Assert.EndsWith($"_The rest is not shown: the full report is perf-report.md in the [workflow run's artifacts]({RunUrl})._\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipes_and_backticks_in_benchmark_names_do_not_break_the_table_or_open_code_spans()
    {
        var context = ReportFixture.Create();
        const string Id = "Ns.T.M(pattern: \"a|b`c`|d\")";
        var hostile = context with { Result = context.Result with { Verdicts = new[] { new BenchmarkVerdict(Id, Outcome.Unchanged) { BaselineNanoseconds = 1, CurrentNanoseconds = 1 } } } };

        var body = PullRequestCommentWriter.Write(hostile, RunUrl);

        var row = body.Split('\n').Single(l => l.StartsWith("| Ns.T.M", StringComparison.Ordinal));
        Assert.Contains("a\\|b\\`c\\`\\|d", row, StringComparison.Ordinal);
        Assert.Equal(9, Regex.Matches(row, @"(?<!\\)\|").Count); // 8 cells
    }

    [Theory]
    [InlineData("Lyra.Core.Benchmarks", "<!-- lyra-perf-comment: Lyra.Core.Benchmarks -->")]
    [InlineData("a--> <b", "<!-- lyra-perf-comment: a-b -->")]
    [InlineData("", "<!-- lyra-perf-comment: gate -->")]
    public void The_marker_names_the_project_and_cannot_end_the_comment_early(string project, string marker) =>
        Assert.Equal(marker, PullRequestCommentWriter.Marker(project));

    [Fact]
    public void The_link_is_the_Actions_run_page_or_the_override()
    {
        var github = new Dictionary<string, string> { ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "o/r", ["GITHUB_RUN_ID"] = "42" };
        Assert.Equal(RunUrl, PullRequestCommentWriter.FullReportUrl(n => github.TryGetValue(n, out var v) ? v : null));
        Assert.Null(PullRequestCommentWriter.FullReportUrl(_ => null));
        github[PullRequestCommentWriter.ReportUrlVariable] = "https://ci.example/artifacts/7";
        Assert.Equal("https://ci.example/artifacts/7", PullRequestCommentWriter.FullReportUrl(n => github.TryGetValue(n, out var v) ? v : null));
    }
}
