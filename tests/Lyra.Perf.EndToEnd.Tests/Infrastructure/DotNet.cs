using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace Lyra.Perf.EndToEnd.Tests.Infrastructure;

public sealed record CommandResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public IEnumerable<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r'));

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0}s\n{Output}";
}

/// <summary>Runs the dotnet CLI as a user would, in a clean environment (no variables from the test host's MSBuild).</summary>
public static class DotNet
{
    /// <summary>The variables by which Sdk.targets recognises a CI machine (PerfGateRequireBaseline's default).</summary>
    public static readonly string[] CiVariables = { "CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "TEAMCITY_VERSION", "BUILDKITE", "APPVEYOR" };

    public static CommandResult Run(string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        Execute("dotnet", workingDirectory, arguments, environment, timeout);

    /// <summary>
    /// Runs dotnet under a pseudo-terminal with the Terminal Logger forced on: MSBuild's auto mode turns it off
    /// when CI variables (CI, GITHUB_ACTIONS, ...) are set or TERM is dumb/unset, which is exactly how CI runs us.
    /// </summary>
    public static CommandResult RunInTerminal(string workingDirectory, string dotnetArguments) =>
        Execute("script", workingDirectory, new[] { "-qec", "stty rows 50 cols 160; dotnet " + dotnetArguments + " -tl:on", "/dev/null" },
            new Dictionary<string, string> { ["TERM"] = "xterm" }, null);

    private static CommandResult Execute(string executable, string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string>? environment, TimeSpan? timeout)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` runs us under MSBuild-set variables that would steer a nested build into the wrong SDK parts;
        // a CI job's step summary must not collect the reports of the test projects' gates.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal) || k == "DOTNET_HOST_PATH" || k.StartsWith("VSTEST", StringComparison.Ordinal) || k == "GITHUB_STEP_SUMMARY").ToList())
        {
            start.Environment.Remove(key);
        }

        // The gate treats a CI machine differently (a missing baseline is an error there): child builds see a
        // developer's machine unless a test sets these variables itself.
        foreach (var key in CiVariables)
        {
            start.Environment.Remove(key);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                start.Environment[pair.Key] = pair.Value;
            }
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(8)).TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(" ", arguments)} did not finish in time:\n{output}");
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, output.ToString(), clock.Elapsed);
    }

    /// <summary>Runs a command line in bash, exactly as a user pastes it, in the same clean environment (stderr into stdout).</summary>
    public static CommandResult Bash(string workingDirectory, string command, IDictionary<string, string>? environment = null) =>
        Execute("bash", workingDirectory, new[] { "-c", command + " 2>&1" }, environment, null);

    public static CommandResult Build(string workingDirectory, params string[] arguments) =>
        Build(workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>A build; one that measures benchmarks starts once the machine is quiet (<see cref="QuietMachine"/>).</summary>
    public static CommandResult Build(string workingDirectory, IDictionary<string, string> environment, params string[] arguments)
    {
        if (QuietMachine.Measures(arguments))
        {
            QuietMachine.Wait();
        }

        return Run(workingDirectory, new[] { "build" }.Concat(arguments).Concat(new[] { "-tl:off", "-nologo" }), environment);
    }
}
