using System;
using System.Diagnostics;
using System.IO;

namespace Lyra.Perf.Engine.Tests.Sdk;

/// <summary>Evaluates Sdk.targets (no build) to read the paths it composes from the user's properties.</summary>
public sealed class SdkPropertyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-sdk-" + Guid.NewGuid().ToString("N"));

    public SdkPropertyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string SdkTargets()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "Lyra.Perf.Sdk", "Sdk", "Sdk.targets");
            if (File.Exists(file))
            {
                return file;
            }
        }

        throw new FileNotFoundException("Lyra.Perf.Sdk/Sdk/Sdk.targets not found above " + AppContext.BaseDirectory);
    }

    private string Property(string name, params string[] properties)
    {
        var project = Path.Combine(_dir, "P.proj");
        File.WriteAllText(project, $"<Project><Import Project=\"{SdkTargets()}\" /></Project>");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-nodeReuse:false", "-getProperty:" + name })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var property in properties)
        {
            start.ArgumentList.Add("-p:" + property);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
        return output.Trim();
    }

    // Repro 7: PerfGateReportDirectory without a trailing slash put the history next to the folder.
    [Fact]
    public void Repro07_a_report_directory_without_a_trailing_slash_still_holds_the_history()
    {
        var history = Property("PerfGateHistoryFile", "PerfGateReportDirectory=" + Path.Combine(_dir, "reports"));

        Assert.Equal(Path.Combine(_dir, "reports") + Path.DirectorySeparatorChar + "perf-history.jsonl", history);
    }

    // A command-line (global) directory property cannot be rewritten by the project, so each path composed from one
    // adds the slash itself: the A/B side's folder stays inside the artifacts folder.
    [Fact]
    public void Repro07_an_artifacts_directory_without_a_trailing_slash_still_holds_the_base_side()
    {
        var ab = Property("_PerfGateAbDirectory", "PerfGateArtifactsDirectory=" + Path.Combine(_dir, "artifacts"));

        Assert.Equal(Path.Combine(_dir, "artifacts") + Path.DirectorySeparatorChar + "ab/", ab);
    }

    /// <summary>Runs the gate build's BenchmarkDotNet check (Sdk.targets' _PerfGateCheckBenchmarkDotNet, after
    /// ResolvePackageAssets) over the package version NuGet resolved, as ResolvePackageAssets reports it from
    /// project.assets.json: a RuntimeCopyLocalItems item with NuGetPackageId/NuGetPackageVersion.</summary>
    private string CheckBenchmarkDotNet(string resolvedVersion)
    {
        var project = Path.Combine(_dir, "Check.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{SdkTargets()}" />
              <ItemGroup>
                <RuntimeCopyLocalItems Include="/packages/benchmarkdotnet/{resolvedVersion}/lib/net8.0/BenchmarkDotNet.dll" NuGetPackageId="BenchmarkDotNet" NuGetPackageVersion="{resolvedVersion}" />
                <RuntimeCopyLocalItems Include="/packages/perfolizer/0.6.0/lib/net8.0/Perfolizer.dll" NuGetPackageId="Perfolizer" NuGetPackageVersion="0.6.0" />
              </ItemGroup>
              <Target Name="ResolvePackageAssets" />
              <Target Name="RunBenchmarksNow" DependsOnTargets="ResolvePackageAssets">
                <Message Importance="High" Text="benchmarks would run now" />
              </Target>
            </Project>
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-nodeReuse:false", "-tl:off", "-t:RunBenchmarksNow", "-p:_PerfGateBuild=true" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
        return output;
    }

    // Issue #10 item 9: an old BenchmarkDotNet pin loaded an incompatible Perfolizer and the benchmark process died.
    [Theory]
    [InlineData("0.13.12")]
    [InlineData("0.16.0-nightly.20260101.1")]
    [InlineData("1.0.0")]
    public void A_BenchmarkDotNet_outside_the_supported_range_is_LPG0211_naming_the_range_before_benchmarks_run(string version)
    {
        var output = CheckBenchmarkDotNet(version);

        var warning = Assert.Single(output.Split('\n'), l => l.Contains("warning LPG0211", StringComparison.Ordinal));
        Assert.Contains($"resolves BenchmarkDotNet {version}", warning, StringComparison.Ordinal);
        Assert.Contains("supports 0.15.0 up to (not including) 0.16.0", warning, StringComparison.Ordinal);
        Assert.Contains("Check.proj", warning, StringComparison.Ordinal);
        Assert.True(output.IndexOf("warning LPG0211", StringComparison.Ordinal) < output.IndexOf("benchmarks would run now", StringComparison.Ordinal), output);
    }

    [Theory]
    [InlineData("0.15.0")]
    [InlineData("0.15.9-nightly.20260101.1")]
    public void A_supported_BenchmarkDotNet_passes_the_check(string version) =>
        Assert.DoesNotContain("LPG0211", CheckBenchmarkDotNet(version), StringComparison.Ordinal);
}
