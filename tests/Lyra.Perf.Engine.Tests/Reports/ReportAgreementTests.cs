using System;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Reports;
using static Lyra.Perf.Engine.Tests.Judging.TestData;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>Issue #10 items 10 and 12: every report agrees with itself — the arrow and the percent are one statistic,
/// what regressed is named with its own severity, an undecided time never reads as unchanged, LPG0106 is worded by
/// direction, and a mostly undecided run leads with what would decide it.</summary>
public sealed class ReportAgreementTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static GateResult Evaluate(IEnumerable<BenchmarkMeasurement> before, IEnumerable<BenchmarkMeasurement> after, GateOptions? options = null) =>
        new Gate().Evaluate(BaselineOf(before.ToArray()), "perf-baseline.json", RunOf(after.ToArray()), options ?? new GateOptions(), Now);

    private static ReportContext Context(GateResult result) => new() { Result = result, Options = new GateOptions(), ProjectName = "P", Time = Now };

    /// <summary>Each launch: one fast iteration, the rest slower (a shared machine's tail), so the fastest iteration and
    /// the median differ as in the issue ("116.0 µs → 116.1 µs, +3.2 %").</summary>
    private static BenchmarkMeasurement Tailed(string id, double fastest, double median, int launches = 3) =>
        Raw(id, Enumerable.Range(0, launches).Select(l => new[] { fastest }.Concat(Enumerable.Range(0, 9).Select(i => median * (1 + (0.001 * ((i + l) % 3))))).ToArray()).ToArray());

    [Fact]
    public void Baseline_and_current_are_the_levels_the_change_is_computed_from()
    {
        var result = Evaluate(new[] { Tailed("a", 100_000, 116_000) }, new[] { Tailed("a", 103_200, 116_100) });

        var verdict = Assert.Single(result.Verdicts);
        Assert.InRange(Tailed("a", 100_000, 116_000).TypicalNanoseconds!.Value, 115_000, 117_000); // the median is not what is compared
        Assert.Equal(100_000, verdict.BaselineNanoseconds!.Value, 6);
        Assert.Equal(103_200, verdict.CurrentNanoseconds!.Value, 6);
        Assert.Equal(verdict.CurrentNanoseconds!.Value / verdict.BaselineNanoseconds!.Value, verdict.Time!.Ratio, 9);
        Assert.Equal("+3.2%", ReportFormat.Change(verdict));

        var markdown = MarkdownReportWriter.Write(Context(result));
        Assert.Contains("| a | 100.0 µs | 103.2 µs | +3.2% |", markdown, StringComparison.Ordinal);
        Assert.Contains("fastest iteration of each launch", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("median of launch medians", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_paired_AB_change_is_exactly_current_over_base()
    {
        var judge = new PairedTimeJudge();
        BenchmarkMeasurement Side(double factor, int seed)
        {
            var m = Measure("a", 1000 * factor, 5, seed, launchSpread: 0.02, iterationSpread: 0.01);
            return m with { Launches = m.Launches.Select((l, i) => l with { Slot = "run-" + (i + 1) }).ToList() };
        }

        var time = judge.Judge(Side(1, 1), Side(1.3, 2), 0.05);

        Assert.Equal(time.CurrentLevelNanoseconds!.Value / time.BaselineLevelNanoseconds!.Value, time.Ratio, 9);
    }

    [Fact]
    public void An_allocation_only_failure_reads_as_an_allocation_regression_beside_the_time_as_it_came_out()
    {
        var result = Evaluate(
            new[] { Measure("a", 1000, 8, 1, launchSpread: 0.005, iterationSpread: 0.005, bytes: 0) },
            new[] { Scaled(Measure("a", 1000, 8, 2, launchSpread: 0.005, iterationSpread: 0.005, bytes: 24), 0.996) });

        var verdict = Assert.Single(result.Verdicts);
        Assert.True(verdict.FailsBuild);
        Assert.Equal(Severity.None, verdict.Decision.TimeSeverity);
        Assert.Equal(Severity.Critical, verdict.Decision.AllocationSeverity);
        Assert.Equal("allocation regression +24 B/op (Critical), fails build", ReportFormat.Verdict(verdict));
        Assert.Equal("FAILED: 1 allocation regression", ReportFormat.HeadLine(Context(result)));

        var lines = SummaryFormatter.Format(Context(result));
        var line = Assert.Single(lines, l => l.Contains(" a: ", StringComparison.Ordinal));
        Assert.Contains("FAIL a: allocation regression +24 B/op (Critical): allocated 0 B → 24 B; time ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Critical regression", string.Join("\n", lines), StringComparison.Ordinal);
        Assert.DoesNotContain("time regression", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Critical regression", MarkdownReportWriter.Write(Context(result)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_and_an_allocation_regression_each_carry_their_own_severity()
    {
        var result = Evaluate(
            new[] { Measure("a", 1000, 8, 1, launchSpread: 0.005, iterationSpread: 0.005, bytes: 1000) },
            new[] { Scaled(Measure("a", 1000, 8, 2, launchSpread: 0.005, iterationSpread: 0.005, bytes: 1150), 1.3) });

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(Severity.Major, verdict.Decision.TimeSeverity);
        Assert.Equal(Severity.Minor, verdict.Decision.AllocationSeverity);
        Assert.Matches(@"^time regression \+(29|30)\.\d% \(Major\) and allocation regression \+150 B/op \(Minor\), fails build$", ReportFormat.Verdict(verdict));
        Assert.Equal("FAILED: 1 time regression", ReportFormat.HeadLine(Context(result))); // the allocation is below FailOn=Major
    }

    [Fact]
    public void An_undecided_time_is_never_called_unchanged()
    {
        var rule = new GateOptions().For("a");
        var time = new TimeJudgement(TimeOutcome.Unknown, 0.996) { MinimumDetectableEffect = 0.38, Reason = "too noisy" };
        var allocation = new AllocationJudgement(0, 24, true, false) { Severity = Severity.Critical };
        var (outcome, decision) = GatePolicy.Decide(time, allocation, rule, new PolicyContext(), 5, 5);
        var verdict = new BenchmarkVerdict("a", outcome) { Decision = decision, Time = time, Allocation = allocation, BaselineAllocatedBytes = 0, CurrentAllocatedBytes = 24 };
        var result = GatePolicy.Conclude(new GateResult
        {
            Verdicts = new[] { verdict },
            Diagnostics = new[] { new GateDiagnostic(DiagnosticCodes.AllocationRegression, DiagnosticLevel.Error, "Critical allocation regression in a") { BenchmarkId = "a" } },
        }, enabled: true);

        Assert.Equal("time not decided (MDE 38%)", ReportFormat.TimeText(result.Verdicts[0]));
        var summary = string.Join("\n", SummaryFormatter.Format(Context(result)));
        Assert.Contains("time not decided (MDE 38%)", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("unchanged", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.86, "got faster", "sped everything up", "got slower", "slowed everything")]
    [InlineData(1.16, "got slower", "slowed everything", "got faster", "sped everything up")]
    public void The_suite_drift_warning_is_worded_by_its_direction(double factor, string moved, string cause, string notMoved, string notCause)
    {
        var ids = Enumerable.Range(1, 6).Select(i => "b" + i).ToList();
        var result = Evaluate(
            ids.Select((id, i) => Measure(id, 1000 * (i + 1), 5, 10 + i, launchSpread: 0.005, iterationSpread: 0.005)),
            ids.Select((id, i) => Scaled(Measure(id, 1000 * (i + 1), 5, 20 + i, launchSpread: 0.005, iterationSpread: 0.005), factor)));

        var drift = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.SuiteDrift).Message;
        Assert.Contains("6 of 6 benchmarks " + moved, drift, StringComparison.Ordinal);
        Assert.Contains(cause, drift, StringComparison.Ordinal);
        Assert.DoesNotContain(notMoved, drift, StringComparison.Ordinal);
        Assert.DoesNotContain(notCause, drift, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mostly_undecided_run_leads_with_what_would_decide_it_in_one_count()
    {
        var ids = Enumerable.Range(1, 8).Select(i => "Noisy.B" + i).ToList();
        var result = Evaluate(
            ids.Select((id, i) => Measure(id, 1000, 3, 100 + i, launchSpread: 0.25, iterationSpread: 0.2)),
            ids.Select((id, i) => Measure(id, 1000, 3, 200 + i, launchSpread: 0.25, iterationSpread: 0.2)));

        var undecided = UndecidedTimes.Of(result.Verdicts);
        Assert.NotNull(undecided);
        Assert.True(undecided!.Most, $"{undecided.Count} of {undecided.Compared}");
        var lines = SummaryFormatter.Format(Context(result));
        Assert.StartsWith($"  {undecided.Count} of 8 benchmarks not decided: median detectable change ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("  To decide: ", lines[2], StringComparison.Ordinal);
        Assert.Contains("launches", lines[2], StringComparison.Ordinal);
        Assert.Contains("-p:PerfGateBaseRef=origin/main", lines[2], StringComparison.Ordinal);
        Assert.Contains("quieter runner", lines[2], StringComparison.Ordinal);
        // No line per undecided benchmark (a regression the noise could not confirm is still listed as one).
        Assert.DoesNotContain(lines, l => undecided.Ids.Any(id => l.Contains(id, StringComparison.Ordinal)));

        // One warning for the run; the per-benchmark figures are details (reports, -v:n), not console lines.
        Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.VerdictUnknown && d.Level == DiagnosticLevel.Warning);
        var details = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.VerdictUnknown && d.Level == DiagnosticLevel.Message).ToList();
        Assert.Equal(undecided.Count, details.Count);
        Assert.All(details, d => Assert.True(d.Detail));
        Assert.Contains(undecided.CountLine, MarkdownReportWriter.Write(Context(result)), StringComparison.Ordinal);
        Assert.Contains(undecided.CountLine, HtmlReportWriter.Write(Context(result)), StringComparison.Ordinal);

        // In A/B mode A/B is not offered again.
        Assert.DoesNotContain("PerfGateBaseRef", undecided.WhatWouldDecide(abMode: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Launches_are_offered_only_within_practical_reach()
    {
        UndecidedTimes Of(int? needed) => new(8, 10, 0.3, 0.2, 0.4, needed, 0, 5, new[] { "a" });

        Assert.Contains("about 12 launches per side would decide the median one (-p:PerfGateLaunches=12", Of(12).WhatWouldDecide(abMode: false), StringComparison.Ordinal);
        Assert.DoesNotContain("PerfGateLaunches=", Of(LaunchesToDecide.MaximumLaunches + 1).WhatWouldDecide(abMode: false), StringComparison.Ordinal);
        Assert.Contains("no practical number of launches", Of(null).WhatWouldDecide(abMode: false), StringComparison.Ordinal);
        Assert.Contains("8 of 10 benchmarks not decided: median detectable change 30%", Of(12).CountLine, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_undecided_benchmarks_are_one_count_line_after_the_totals()
    {
        var quiet = Enumerable.Range(1, 6).Select(i => "Quiet.B" + i).ToList();
        var before = quiet.Select((id, i) => Measure(id, 1000, 5, 300 + i, launchSpread: 0.002, iterationSpread: 0.002)).Append(Measure("Noisy.X", 1000, 3, 400, launchSpread: 0.25, iterationSpread: 0.2));
        var after = quiet.Select((id, i) => Measure(id, 1000, 5, 500 + i, launchSpread: 0.002, iterationSpread: 0.002)).Append(Measure("Noisy.X", 1000, 3, 401, launchSpread: 0.25, iterationSpread: 0.2));
        var result = Evaluate(before, after);

        var undecided = UndecidedTimes.Of(result.Verdicts);
        Assert.Equal(1, undecided!.Count);
        Assert.False(undecided.Most);
        var lines = SummaryFormatter.Format(Context(result));
        Assert.DoesNotContain(lines, l => l.Contains("To decide:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  1 of 7 benchmarks not decided", StringComparison.Ordinal));
    }
}
