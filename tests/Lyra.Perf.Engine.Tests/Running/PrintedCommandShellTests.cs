using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Running;
using Lyra.Perf.Engine.Tests.Reports;
using Xunit.Abstractions;

namespace Lyra.Perf.Engine.Tests.Running;

/// <summary>
/// Every command the gate prints for the user to copy (LPG0101's "accept it with", LPG0204's "record it with": both are
/// <see cref="ShellCommand.AcceptBaseline"/>) runs as printed in bash and in PowerShell, and MSBuild receives exactly the
/// intended filter: the printed text is run unchanged through `bash -c` and `pwsh -NoProfile -Command` in a folder whose
/// project only has the target, and MSBuild prints the property it got (-getProperty). PowerShell comes from .ci/run
/// (a dotnet tool in .ci/tools/pwsh); under CI=true a missing pwsh fails, elsewhere the PowerShell half says it did not run.
/// </summary>
public sealed class PrintedCommandShellTests : IDisposable
{
    private static readonly string Root = ReportFixture.RepositoryRoot();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-shell-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _output;

    public PrintedCommandShellTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_dir);
        // The printed command names no project: dotnet build finds this one; Restore is what `dotnet build` runs first.
        File.WriteAllText(Path.Combine(_dir, "P.proj"), "<Project><Target Name=\"Restore\" /><Target Name=\"PerfBaseline\" /></Project>");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Benchmark ids as the gate names them: parameters with spaces, commas and quotes, several jobs, shell metacharacters.</summary>
    public static TheoryData<string[]> Benchmarks() => new()
    {
        new[] { "Ns.Hash.Hash64(N: 1024, Mode: \"a,b\")" },
        new[] { "Ns.Fmt.Format(Text: \"a, b; c\", Count: 3) [IterationCount=5, WarmupCount=3]", "Ns.Fmt.Format(Text: \"a, b; c\", Count: 3) [ShortRun]", "Ns.Fmt.Pad" },
        new[] { "Ns.Gen<Int32, String>.M(s: 'x $HOME `id` $(whoami) 50% @(1) & | > ;')" },
    };

    [Theory]
    [MemberData(nameof(Benchmarks))]
    public void The_printed_accept_command_gives_MSBuild_the_intended_filter_in_bash(string[] ids)
    {
        var command = ShellCommand.AcceptBaseline(ids);
        Assert.Equal(Intended(ids), Received(Run("bash", "-c", command + " -getProperty:PerfGateFilter -nologo")));
    }

    [Theory]
    [MemberData(nameof(Benchmarks))]
    public void The_printed_accept_command_gives_MSBuild_the_intended_filter_in_PowerShell(string[] ids)
    {
        if (PowerShell() is not { } pwsh)
        {
            return;
        }

        var command = ShellCommand.AcceptBaseline(ids);
        Assert.Equal(Intended(ids), Received(Run(pwsh, "-NoProfile", "-NonInteractive", "-Command", command + " -getProperty:PerfGateFilter -nologo")));
    }

    /// <summary>What the SDK must see: one glob per benchmark (jobs dropped), ';'-separated.</summary>
    private static string Intended(IEnumerable<string> ids) => string.Join(";", ids.Select(BenchmarkNames.FilterFor).Distinct(StringComparer.Ordinal));

    /// <summary>-getProperty prints the value alone on the last line.</summary>
    private static string Received(string output) => output.TrimEnd('\r', '\n').Split('\n').Last().TrimEnd('\r');

    private string Run(string shell, params string[] arguments)
    {
        var start = new ProcessStartInfo(shell) { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would steer the nested build; PowerShell's telemetry and update check stay off.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH" || k.StartsWith("VSTEST", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), $"{shell} did not finish within 2 minutes");
        Assert.True(process.ExitCode == 0, $"{shell} {string.Join(" ", arguments)} exited with {process.ExitCode}:\n{output}{error.Result}");
        return output;
    }

    /// <summary>pwsh from LYRA_PWSH, .ci/tools/pwsh (where .ci/run installs it) or the PATH; null (the test says so) only off CI.</summary>
    private string? PowerShell()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("LYRA_PWSH"),
            Path.Combine(Root, ".ci", "tools", "pwsh", "pwsh"),
        }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "pwsh")));
        var found = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
        if (found is null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("pwsh is not installed, so the printed commands cannot be run in PowerShell: run `dotnet tool install PowerShell --version 7.6.9 --tool-path .ci/tools/pwsh` (.ci/run does) or set LYRA_PWSH.");
        }

        if (found is null)
        {
            _output.WriteLine("PowerShell half not run: pwsh is not installed (.ci/run installs it into .ci/tools/pwsh; or set LYRA_PWSH).");
        }

        return found;
    }
}
