using System;
using System.IO;
using System.Linq;

namespace Lyra.Perf.Engine.Vcs;

/// <summary>Reads the checked-out commit straight from .git, so recording it costs no process start.</summary>
public static class GitCommit
{
    public static string? TryRead(string directory)
    {
        try
        {
            var gitDir = FindGitDirectory(directory);
            if (gitDir is null)
            {
                return null;
            }

            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal))
            {
                return head;
            }

            var reference = head.Substring(5).Trim();
            var common = CommonDirectory(gitDir);
            foreach (var root in new[] { gitDir, common })
            {
                var loose = Path.Combine(root, reference.Replace('/', Path.DirectorySeparatorChar));
                if (File.Exists(loose))
                {
                    return File.ReadAllText(loose).Trim();
                }

                var packed = Path.Combine(root, "packed-refs");
                if (File.Exists(packed))
                {
                    var line = File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(" " + reference, StringComparison.Ordinal));
                    if (line is not null)
                    {
                        return line.Substring(0, line.IndexOf(' '));
                    }
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The working tree's root (the folder holding .git), or null outside a repository.</summary>
    public static string? TryFindRoot(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? FindGitDirectory(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            if (File.Exists(candidate))
            {
                // A worktree or submodule: ".git" is a file holding "gitdir: <path>".
                var text = File.ReadAllText(candidate).Trim();
                if (text.StartsWith("gitdir:", StringComparison.Ordinal))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, text.Substring(7).Trim()));
                }
            }
        }

        return null;
    }

    private static string CommonDirectory(string gitDir)
    {
        var file = Path.Combine(gitDir, "commondir");
        return File.Exists(file) ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(file).Trim())) : gitDir;
    }
}
