using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Building;

/// <summary>
/// Builds the base commit's copy of the project as the gate builds the current one (Release, the gate's output
/// folders and properties), in a `dotnet build` process of its own: its errors belong to another checkout, so they
/// are gathered into one LPG0334 instead of being logged as the user's own.
/// </summary>
public static class BaseBuild
{
    private static readonly Regex ErrorLine = new(@":\s+error\s+[A-Za-z]+\d+\s*:", RegexOptions.CultureInvariant);

    /// <param name="properties">Global properties as Name=Value, the same the gate's own build gets.</param>
    /// <returns>The built benchmark assembly.</returns>
    public static string Run(string dotnetHost, string projectFile, IEnumerable<string> properties, string logFile, TimeSpan timeout)
    {
        var arguments = new List<string> { "build", projectFile, "-t:Build", "-nologo", "-nodeReuse:false", "-tl:off", "-getProperty:TargetPath" };
        arguments.AddRange(properties.Where(p => p.Contains("=")).Select(p => "-p:" + p.Trim()));
        var start = new ProcessStartInfo(dotnetHost, string.Join(" ", arguments.Select(BenchmarkArguments.Quote)))
        {
            WorkingDirectory = Path.GetDirectoryName(projectFile)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        // The outer MSBuild's variables would steer this build into the outer build's SDK parts.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "MSBUILD_EXE_PATH").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            throw Failed($"could not start '{dotnetHost}': {ex.Message}", projectFile, Array.Empty<string>(), logFile);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
        {
            try
            {
#if NET
                process.Kill(entireProcessTree: true);
#else
                process.Kill();
#endif
            }
            catch (InvalidOperationException)
            {
            }

            process.WaitForExit(10000);
            throw Failed($"it ran longer than {timeout.TotalSeconds:0} s and was stopped", projectFile, Array.Empty<string>(), logFile);
        }

        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        File.WriteAllText(logFile, text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var errors = FirstErrors(lines, 5);
        if (process.ExitCode != 0 || errors.Count > 0)
        {
            throw Failed($"dotnet build exited with code {process.ExitCode}", projectFile, errors, logFile);
        }

        // -getProperty prints the value as the last line of a successful build.
        var assembly = lines.Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";
        if (!File.Exists(assembly))
        {
            throw Failed($"the built assembly '{assembly}' is not there", projectFile, errors, logFile);
        }

        return assembly;
    }

    /// <summary>The first distinct compiler/MSBuild error lines of a build's output.</summary>
    public static IReadOnlyList<string> FirstErrors(IEnumerable<string> lines, int count) =>
        lines.Where(l => ErrorLine.IsMatch(l)).Select(l => l.Trim()).Distinct(StringComparer.Ordinal).Take(count).ToList();

    private static GateException Failed(string why, string projectFile, IReadOnlyList<string> errors, string logFile) =>
        new(new GateDiagnostic(DiagnosticCodes.BaseBuildFailed, DiagnosticLevel.Error,
            $"The base commit's build of {Path.GetFileName(projectFile)} failed ({why})"
            + (errors.Count > 0 ? ": " + string.Join(" | ", errors) : "")
            + $". The whole output is in {logFile}. The A/B gate needs both sides to build: fix the base (or choose a base that builds with PerfGateBaseRef), or gate against the committed baseline without PerfGateBaseRef."));
}
