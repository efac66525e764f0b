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
}
