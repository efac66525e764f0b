using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>Opens the HTML report in headless Chromium (Debian's /usr/bin/chromium; .ci/run installs it).
/// Fails, never skips, when Chromium is missing: set LYRA_CHROMIUM to use another binary.</summary>
public sealed class HtmlChromiumTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lyra-html-" + Guid.NewGuid().ToString("N"));

    public HtmlChromiumTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Report_renders_in_headless_chromium_with_table_charts_no_errors_and_inert_names()
    {
        var context = ReportFixture.Create();
        ReportWriter.WriteAll(context, _directory);
        var page = Path.Combine(_directory, ReportWriter.HtmlFileName);

        var (dom, domLog) = RunChromium(page, "--dump-dom");
        Assert.Contains("<table id=\"results\"", dom, StringComparison.Ordinal);
        var rows = Regex.Matches(dom, "<tr class=\"o-").Count;
        Assert.Equal(context.Result.Verdicts.Count, rows);
        Assert.Equal(context.Result.Verdicts.Count, Regex.Matches(dom, "<svg class=\"trend\"").Count);
        Assert.Equal(context.Result.Verdicts.Count, Regex.Matches(dom, "<figure class=\"chart\"").Count);

        // Every chart with history has its series, baseline and band.
        Assert.True(Regex.Matches(dom, "class=\"baseline\"").Count >= 4);
        Assert.True(Regex.Matches(dom, "class=\"band\"").Count >= 4);
        Assert.True(Regex.Matches(dom, "<polyline class=\"series\"").Count >= 5);

        // Our script ran (it marks the root element) and the hostile name's script did not.
        Assert.Contains("data-status=\"failed\"", dom, StringComparison.Ordinal);
        Assert.Contains($"data-benchmarks=\"{context.Result.Verdicts.Count}\"", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("PWNED</title>", dom, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(dom, "<script").Count);
        Assert.Contains("&lt;script&gt;document.title='PWNED'", dom, StringComparison.Ordinal);
        Assert.Empty(ConsoleErrors(domLog));

        var screenshot = Path.Combine(_directory, "perf-report.png");
        var (_, shotLog) = RunChromium(page, "--screenshot=" + screenshot, "--window-size=1280,2000");
        Assert.True(File.Exists(screenshot) && new FileInfo(screenshot).Length > 10_000, "no screenshot: " + shotLog);
        Assert.Empty(ConsoleErrors(shotLog));

        // Keep the screenshot next to the test output for a human to look at.
        var keep = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(keep);
        File.Copy(screenshot, Path.Combine(keep, "perf-report.png"), overwrite: true);
        File.Copy(page, Path.Combine(keep, "perf-report.html"), overwrite: true);
    }

    [Fact]
    public void Console_error_detection_works()
    {
        // Negative control: a page that throws must be caught by the same check.
        var page = Path.Combine(_directory, "broken.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>");
        var (_, log) = RunChromium(page, "--dump-dom");
        Assert.NotEmpty(ConsoleErrors(log));
    }

    internal static string Chromium()
    {
        var configured = Environment.GetEnvironmentVariable("LYRA_CHROMIUM");
        var candidates = new[] { configured, "/usr/bin/chromium", "/usr/bin/chromium-browser" }.Where(c => !string.IsNullOrEmpty(c)).ToList();
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium not found (looked for " + string.Join(", ", candidates) + "). Install it: apt-get update && apt-get install -y chromium, or set LYRA_CHROMIUM.");
    }

    private (string Stdout, string Stderr) RunChromium(string page, params string[] extra)
    {
        var profile = Path.Combine(_directory, "profile-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Chromium())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
            "--user-data-dir=" + profile,
        }.Concat(extra).Append(new Uri(page).AbsoluteUri))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(90_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 90 s");
        }

        process.WaitForExit();
        return (stdout.Result, stderr.Result);
    }

    /// <summary>Chromium logs page console messages as "INFO:CONSOLE(line)] "text", source: …"; errors include "Uncaught".</summary>
    private static List<string> ConsoleErrors(string log) => log.Split('\n')
        .Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal) || l.Contains("Refused to", StringComparison.Ordinal))
        .Where(l => l.Contains("Uncaught", StringComparison.Ordinal) || l.Contains("Error", StringComparison.Ordinal) || l.Contains("Refused", StringComparison.Ordinal) || l.Contains("ERROR:CONSOLE", StringComparison.Ordinal))
        .ToList();
}
