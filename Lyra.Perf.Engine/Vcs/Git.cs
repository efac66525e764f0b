using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Vcs;

/// <summary>What one git command printed.</summary>
public sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    public string FirstLine => Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
}

/// <summary>Runs the git executable (PATH) in a folder. No repository state is read or written any other way.</summary>
public static class Git
{
    public static GitResult Run(string directory, IEnumerable<string> arguments) => Run(directory, arguments.ToArray());

    public static GitResult Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", string.Join(" ", arguments.Select(BenchmarkArguments.Quote)))
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        // Never prompt (credentials, editors) inside a build; plain messages in one language.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_EDITOR"] = "true";
        start.Environment["LC_ALL"] = "C";
        foreach (var name in start.Environment.Keys.Where(k => k is "GIT_DIR" or "GIT_WORK_TREE" or "GIT_INDEX_FILE").ToList())
        {
            start.Environment.Remove(name); // A hook's environment must not redirect us to another repository.
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            throw new GateException(new GateDiagnostic(DiagnosticCodes.GitNotFound, DiagnosticLevel.Error,
                $"PerfGateBaseRef needs the git executable, but it could not be started ({ex.Message}). Install git and put it on PATH (in GitHub Actions it is there by default), or remove PerfGateBaseRef to gate against the committed baseline."));
        }

        using (process)
        {
            var error = new StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (error)
                    {
                        error.AppendLine(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            lock (error)
            {
                return new GitResult(process.ExitCode, output, error.ToString().Trim());
            }
        }
    }

    /// <summary>Runs a command that must succeed; a failure is LPG0336 with git's own words.</summary>
    public static GitResult Require(string directory, string why, params string[] arguments)
    {
        var result = Run(directory, arguments);
        if (!result.Succeeded)
        {
            throw new GateException(new GateDiagnostic(DiagnosticCodes.BaseWorktreeFailed, DiagnosticLevel.Error,
                $"Could not {why}: `git {string.Join(" ", arguments)}` failed (exit {result.ExitCode}): {Shorten(result.Error)}. Delete the folder {directory} if it is damaged and run again."));
        }

        return result;
    }

    internal static string Shorten(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(4).ToList();
        return lines.Count == 0 ? "(no message)" : string.Join(" ", lines);
    }

    internal static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
}
