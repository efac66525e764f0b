using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Reports;

public class MachineShiftReportTests
{
    private static ReportContext With(SuiteDriftEstimate? drift, MachineShiftEstimate? shift)
    {
        var context = ReportFixture.Create();
        return context with { Result = context.Result with { SuiteDrift = drift, MachineShift = shift } };
    }

    private static readonly SuiteDriftEstimate Drift = new(3.02, 22, 21, 1.1e-5) { Faster = 1, RatioLower = 2.61, RatioUpper = 3.4 };

    private static readonly MachineShiftEstimate Shift = new(2.85, 1.5, 0.21, 22) { Explained = 20, BeyondSuite = 1 };

    [Fact]
    public void A_detected_shift_is_in_the_json_with_its_interval_sign_test_counts_and_boundary()
    {
        using var report = JsonDocument.Parse(JsonReportWriter.Write(With(Drift, Shift)));
        var shift = report.RootElement.GetProperty("machineShift");
        Assert.True(shift.GetProperty("detected").GetBoolean());
        Assert.Equal(1.5, shift.GetProperty("boundary").GetDouble());
        Assert.Equal(3.02, shift.GetProperty("suiteRatio").GetDouble());
        Assert.Equal(2.61, shift.GetProperty("suiteRatioLower").GetDouble());
        Assert.Equal(3.4, shift.GetProperty("suiteRatioUpper").GetDouble());
        Assert.Equal(1.1e-5, shift.GetProperty("signTestP").GetDouble(), 12);
        Assert.Equal(21, shift.GetProperty("slower").GetInt32());
        Assert.Equal(1, shift.GetProperty("faster").GetInt32());
        Assert.Equal(22, shift.GetProperty("benchmarks").GetInt32());
        Assert.Equal(2.85, shift.GetProperty("levelRatio").GetDouble());
        Assert.Equal(20, shift.GetProperty("explained").GetInt32());
        Assert.Equal(1, shift.GetProperty("beyondSuite").GetInt32());
    }

    [Fact]
    public void An_undetected_shift_says_so_and_no_suite_estimate_is_null_and_both_match_the_schema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "docs", "perf-report.schema.json")));
        var quiet = new SuiteDriftEstimate(1.02, 22, 12, 0.83) { Faster = 10, RatioLower = 0.99, RatioUpper = 1.04 };
        foreach (var (drift, shift, expected) in new[] { (quiet, (MachineShiftEstimate?)null, "false"), (Drift, Shift, "true"), ((SuiteDriftEstimate?)null, (MachineShiftEstimate?)null, "null") })
        {
            using var report = JsonDocument.Parse(JsonReportWriter.Write(With(drift, shift)));
            var node = report.RootElement.GetProperty("machineShift");
            Assert.Equal(expected, node.ValueKind == JsonValueKind.Null ? "null" : node.GetProperty("detected").GetBoolean() ? "true" : "false");
            if (expected == "false")
            {
                Assert.False(node.TryGetProperty("levelRatio", out _));
            }

            var errors = SchemaValidator.Validate(schema.RootElement, report.RootElement);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
    }

    [Fact]
    public void The_markdown_and_html_reports_state_a_detected_shift_once()
    {
        var context = With(Drift, Shift);
        var md = MarkdownReportWriter.Write(context);
        var html = HtmlReportWriter.Write(context);
        Assert.Single(Regex.Matches(md, "Machine-state shift \\(LPG0107\\)"));
        Assert.Contains("+202.0%, 95% CI +161.0% to +240.0%", md);
        Assert.Contains("21 of 22 benchmarks slower, 1 faster", md);
        Assert.Contains("×1.5 boundary", md);
        Assert.Single(Regex.Matches(html, "id=\"machine-shift\""));

        Assert.DoesNotContain("Machine-state shift", MarkdownReportWriter.Write(With(Drift, null)));
        Assert.DoesNotContain("machine-shift", HtmlReportWriter.Write(With(Drift, null)));
    }

    [Fact]
    public void The_suite_ratio_interval_is_the_sign_tests_order_statistics()
    {
        // n = 22: P(Bin(22, ½) ≤ 5) = 0.0085 ≤ 2.5 % < P(≤ 6) = 0.0262, so [x₍₆₎, x₍₁₇₎].
        Assert.Equal((6.0, 17.0), SuiteDrift.MedianInterval(Enumerable.Range(1, 22).Select(i => (double)i).Reverse().ToList()));
        // n = 5 is too few for any inner pair: the full range.
        Assert.Equal((1.0, 5.0), SuiteDrift.MedianInterval(new[] { 3.0, 1, 5, 2, 4 }));
    }
}
