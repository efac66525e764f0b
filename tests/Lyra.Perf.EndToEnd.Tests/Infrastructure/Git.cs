using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace Lyra.Perf.EndToEnd.Tests.Infrastructure;

/// <summary>git as a user runs it in their own repository, with a committer of its own and no signing.</summary>
public static class Git
{
    /// <summary>Runs git in <paramref name="directory"/>; a non-zero exit fails the test. Returns its output.</summary>
    public static string Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(" ", arguments)}: {error}");
        return output;
    }

    /// <summary>Makes <paramref name="directory"/> a fresh repository on main (build output ignored) with everything in
    /// it as the first commit.</summary>
    public static void InitAndCommit(string directory, string message)
    {
        File.WriteAllText(Path.Combine(directory, ".gitignore"), "bin/\nobj/\n");
        Run(directory, "init", "-q", "-b", "main");
        Run(directory, "add", "-A");
        Run(directory, "commit", "-q", "-m", message);
    }
}
