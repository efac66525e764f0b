using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lyra-reports-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Writes_every_report_atomically()
    {
        var written = ReportWriter.WriteAll(ReportFixture.Create(), _directory);
        Assert.Equal(new[] { "perf-report.json", "perf-report.md", "perf-report.html", "perf-report.sarif", "perf-report.comment.md" }, written.Select(Path.GetFileName));
        Assert.All(written, path => Assert.True(new FileInfo(path).Length > 100));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Json_report_is_valid_against_the_committed_schema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "docs", "perf-report.schema.json")));
        foreach (var context in new[] { ReportFixture.Create(), ReportFixture.Create() with { Baseline = null, History = Array.Empty<Lyra.Perf.Engine.History.HistoryRecord>(), Commit = null }, new ReportContext() })
        {
            using var report = JsonDocument.Parse(JsonReportWriter.Write(context));
            var errors = SchemaValidator.Validate(schema.RootElement, report.RootElement);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
    }

    [Fact]
    public void Schema_validator_rejects_a_broken_report()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReportFixture.RepositoryRoot(), "docs", "perf-report.schema.json")));
        var json = JsonReportWriter.Write(ReportFixture.Create()).Replace("\"outcome\": \"regressed\"", "\"outcome\": \"worse\"").Replace("\"schemaVersion\": 1", "\"schemaVersion\": 1, \"surprise\": true");
        using var report = JsonDocument.Parse(json);
        var errors = SchemaValidator.Validate(schema.RootElement, report.RootElement);
        Assert.Contains(errors, e => e.Contains("worse", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("surprise", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_report_carries_verdicts_in_order_with_locations()
    {
        using var report = JsonDocument.Parse(JsonReportWriter.Write(ReportFixture.Create()));
        var benchmarks = report.RootElement.GetProperty("benchmarks").EnumerateArray().ToList();
        Assert.Equal("failed", benchmarks[0].GetProperty("outcome").GetString());
        Assert.Equal("regressed", benchmarks[1].GetProperty("outcome").GetString());
        Assert.True(benchmarks[1].GetProperty("failsBuild").GetBoolean());
        Assert.Equal(12, benchmarks[1].GetProperty("location").GetProperty("line").GetInt32());
        Assert.Equal(ReportFixture.HostileId, benchmarks[2].GetProperty("id").GetString());
        Assert.Equal("failed", report.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, report.RootElement.GetProperty("counts").GetProperty("regressed").GetInt32());
    }

    [Fact]
    public void Sarif_has_the_required_structure()
    {
        var context = ReportFixture.Create();
        using var sarif = JsonDocument.Parse(SarifReportWriter.Write(context));
        var root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Contains("sarif", root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("Lyra.Perf", driver.GetProperty("name").GetString());
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        var ruleIds = rules.Select(r => r.GetProperty("id").GetString()!).ToList();
        foreach (var code in DiagnosticCodes.Titles.Keys)
        {
            Assert.Contains(code, ruleIds);
        }

        Assert.All(rules, rule =>
        {
            Assert.Matches("^LPG[0-9]{4}$", rule.GetProperty("id").GetString()!);
            Assert.False(string.IsNullOrEmpty(rule.GetProperty("name").GetString()));
            Assert.False(string.IsNullOrEmpty(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
            Assert.StartsWith(DiagnosticCodes.DocumentationUrl + "#lpg", rule.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal("TimeRegression", rules[ruleIds.IndexOf("LPG0101")].GetProperty("name").GetString());

        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(context.Result.Diagnostics.Count, results.Count);
        foreach (var (result, diagnostic) in results.Zip(context.Result.Diagnostics))
        {
            Assert.Equal(diagnostic.Code, result.GetProperty("ruleId").GetString());
            Assert.Equal(diagnostic.Code, ruleIds[result.GetProperty("ruleIndex").GetInt32()]);
            Assert.Contains(result.GetProperty("level").GetString(), new[] { "error", "warning", "note" });
            Assert.Equal(diagnostic.Message, result.GetProperty("message").GetProperty("text").GetString());
            if (diagnostic.File is null)
            {
                Assert.False(result.TryGetProperty("locations", out _));
                continue;
            }

            var physical = Assert.Single(result.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            Assert.False(string.IsNullOrEmpty(physical.GetProperty("artifactLocation").GetProperty("uri").GetString()));
            if (diagnostic.Line > 0)
            {
                Assert.Equal(diagnostic.Line, physical.GetProperty("region").GetProperty("startLine").GetInt32());
                Assert.Equal(diagnostic.Column, physical.GetProperty("region").GetProperty("startColumn").GetInt32());
            }
        }

        // Under the source root: relative URI with a base id, as code scanning wants.
        var first = results[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
        Assert.Equal("samples/Lyra.Core.Benchmarks/Strings.cs", first.GetProperty("uri").GetString());
        Assert.Equal("SRCROOT", first.GetProperty("uriBaseId").GetString());
        Assert.Equal("error", results[0].GetProperty("level").GetString());
        Assert.Equal("note", results.Single(r => r.GetProperty("ruleId").GetString() == DiagnosticCodes.Improvement).GetProperty("level").GetString());
    }

    [Fact]
    public void Markdown_is_a_well_formed_table_with_escaped_names()
    {
        var context = ReportFixture.Create();
        var markdown = MarkdownReportWriter.Write(context);
        var lines = markdown.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("| Benchmark |", StringComparison.Ordinal));
        Assert.True(header >= 0, markdown);
        Assert.Matches(@"^\|(:?-+:?\|)+$", lines[header + 1]);
        var columns = Cells(lines[header]).Count;
        Assert.Equal(8, columns);
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith("|", StringComparison.Ordinal)).ToList();
        Assert.Equal(context.Result.Verdicts.Count, rows.Count);
        Assert.All(rows, row => Assert.Equal(columns, Cells(row).Count));

        var regression = rows.Single(r => r.Contains("Intern", StringComparison.Ordinal));
        Assert.Contains("80.00 ns", regression, StringComparison.Ordinal);
        Assert.Contains("100.0 ns", regression, StringComparison.Ordinal);
        Assert.Contains("+25.0%", regression, StringComparison.Ordinal);
        Assert.Contains("+18.0% … +33.0%", regression, StringComparison.Ordinal);
        Assert.Contains("99.8%", regression, StringComparison.Ordinal);
        Assert.Contains("time regression +25.0% (Major), fails build", regression, StringComparison.Ordinal);
        Assert.Contains("24 B → 48 B (+24 B)", rows.Single(r => r.Contains("Parse", StringComparison.Ordinal)), StringComparison.Ordinal);

        Assert.DoesNotContain("<script>", markdown, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", markdown, StringComparison.Ordinal);
        Assert.Contains("### Claims", markdown, StringComparison.Ordinal);
        Assert.Contains("❌ not met", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Appends_to_the_GitHub_step_summary_when_set()
    {
        Directory.CreateDirectory(_directory);
        var summary = Path.Combine(_directory, "step-summary.md");
        File.WriteAllText(summary, "earlier step\n");
        var context = ReportFixture.Create();
        Assert.Null(ReportWriter.AppendGitHubStepSummary(context, _ => null));
        Assert.Equal(summary, ReportWriter.AppendGitHubStepSummary(context, name => name == "GITHUB_STEP_SUMMARY" ? summary : null));
        var text = File.ReadAllText(summary);
        Assert.StartsWith("earlier step\n## ", text, StringComparison.Ordinal);
        Assert.Contains("| Benchmark |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_escapes_every_name_and_embeds_safe_json()
    {
        var html = HtmlReportWriter.Write(ReportFixture.Create());
        Assert.DoesNotContain(ReportFixture.HostileParameter, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;document.title=&#39;PWNED&#39;", html, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(html, "<script"));
        Assert.Equal(2, CountOf(html, "</script>"));
        var data = html.Substring(html.IndexOf("id=\"perf-data\">", StringComparison.Ordinal));
        data = data.Substring(0, data.IndexOf("</script>", StringComparison.Ordinal));
        Assert.DoesNotContain("<", data.Substring(1), StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""), StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.Equal(ReportFixture.Create().Result.Verdicts.Count, CountOf(html, "<svg class=\"trend\""));
    }

    [Fact]
    public void Summary_fits_one_screen_and_names_the_worst()
    {
        var lines = SummaryFormatter.Format(ReportFixture.Create(), "/out/perf");
        Assert.True(lines.Count <= 24, string.Join("\n", lines));
        Assert.StartsWith("Performance gate Lyra.Core.Benchmarks: FAILED", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("1 unchanged, 2 regressed, 1 improved, 1 new, 1 removed, 1 failed", StringComparison.Ordinal));
        var regressions = lines.SkipWhile(l => !l.Contains("Regressions:", StringComparison.Ordinal)).Skip(1).Take(2).ToList();
        Assert.Contains("FAIL Lyra.Core.Benchmarks.Symbols.Intern(N: 1024): time regression +25.0% (Major): 80.00 ns → 100.0 ns", regressions[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("Claims not met:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(Path.Combine("/out/perf", "perf-report.html"), StringComparison.Ordinal));
    }

    private static List<string> Cells(string row)
    {
        // Split on unescaped pipes.
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] == '\\' && i + 1 < row.Length)
            {
                current.Append(row[i]).Append(row[++i]);
            }
            else if (row[i] == '|')
            {
                cells.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(row[i]);
            }
        }

        return cells;
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
