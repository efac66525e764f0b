using System;
using System.IO;
using System.Linq;
using System.Threading;
using Lyra.Perf.Engine.Diagnostics;

namespace Lyra.Perf.Engine.Vcs;

/// <summary>A commit as reports name it: short sha and subject.</summary>
public sealed record CommitInfo(string Sha, string ShortSha, string Subject)
{
    /// <summary>True when the working tree has uncommitted changes to tracked files (the current side is then more than this commit).</summary>
    public bool Modified { get; init; }

    public override string ToString() => $"{ShortSha} \"{Subject}\"" + (Modified ? " with uncommitted changes" : "");
}

/// <summary>The base commit checked out for an A/B run, and where its copy of the project is.</summary>
public sealed record BaseCheckout(CommitInfo Base, CommitInfo? Current, string RepositoryRoot, string WorktreeDirectory, string ProjectFile);

/// <summary>
/// The A/B mode's git side: resolves the base ref in the project's repository and keeps a detached worktree of it
/// in a folder of the gate's own. The user's working tree, index and stash are never written: every command either
/// only reads the repository or runs inside that worktree (git worktree add/prune write only .git/worktrees/).
/// The folder is reused and moved with `checkout --detach`, so the base build stays incremental; a folder left
/// half-made by a killed run is removed and made again.
/// </summary>
public static class BaseWorktree
{
    public static BaseCheckout Prepare(string projectFile, string baseRef, string worktreeDirectory)
    {
        projectFile = Path.GetFullPath(projectFile);
        worktreeDirectory = Path.GetFullPath(worktreeDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var projectDirectory = Path.GetDirectoryName(projectFile)!;
        baseRef = baseRef.Trim();
        if (baseRef.Length == 0 || baseRef.StartsWith("-", StringComparison.Ordinal))
        {
            throw Error(DiagnosticCodes.InvalidSetting, $"PerfGateBaseRef='{baseRef}' is not a git ref. Give a branch, tag or commit, e.g. -p:PerfGateBaseRef=origin/main.", projectFile);
        }

        var top = Git.Run(projectDirectory, "rev-parse", "--show-toplevel", "--show-prefix");
        if (!top.Succeeded)
        {
            throw Error(DiagnosticCodes.NotAGitRepository,
                $"PerfGateBaseRef={baseRef} compares with a commit of the project's git repository, but {projectDirectory} is not inside one ({Git.Shorten(top.Error)}). Run the gate in a clone (in CI: actions/checkout with fetch-depth: 0), or remove PerfGateBaseRef to gate against the committed baseline.", projectFile);
        }

        var lines = Git.Lines(top.Output);
        var root = lines[0].Trim();
        var prefix = lines.Count > 1 ? lines[1].Trim() : "";
        var relativeProject = prefix + Path.GetFileName(projectFile);

        var resolved = Git.Run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", baseRef + "^{commit}");
        if (!resolved.Succeeded || resolved.FirstLine.Length == 0)
        {
            var shallow = Git.Run(root, "rev-parse", "--is-shallow-repository").FirstLine == "true";
            throw Error(DiagnosticCodes.BaseRefUnresolved,
                $"PerfGateBaseRef={baseRef} does not name a commit in {root}. "
                + (shallow
                    ? "This clone is shallow (CI checkouts fetch one commit by default): fetch the history, e.g. actions/checkout with fetch-depth: 0, or `git fetch --unshallow origin` / `git fetch origin main`."
                    : "Check the spelling, or fetch it first (`git fetch origin main` for origin/main; in CI: actions/checkout with fetch-depth: 0)."), projectFile);
        }

        var sha = resolved.FirstLine;
        if (!Git.Run(root, "cat-file", "-e", sha + ":" + relativeProject).Succeeded)
        {
            throw Error(DiagnosticCodes.BaseProjectMissing,
                $"The project file {relativeProject} does not exist at the base commit {Describe(root, sha)} (PerfGateBaseRef={baseRef}): the project is new or was moved since. Gate it against a later base, or without PerfGateBaseRef (its benchmarks are then New against the committed baseline).", projectFile);
        }

        var baseCommit = Describe(root, sha);
        var current = TryDescribeHead(root);
        CheckOut(root, worktreeDirectory, sha);
        return new BaseCheckout(baseCommit, current, root, worktreeDirectory,
            Path.Combine(worktreeDirectory, relativeProject.Replace('/', Path.DirectorySeparatorChar)));
    }

    /// <summary>Brings the worktree folder to <paramref name="sha"/>: reused when it is a sound worktree of this
    /// repository, otherwise (missing, half-created, foreign) made afresh.</summary>
    internal static void CheckOut(string root, string folder, string sha)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        // One gate at a time per folder; a lock left by a killed run is released by the OS with its process.
        using var hold = Hold(folder + ".lock");
        var noHooks = "core.hooksPath=" + Path.Combine(folder + ".no-hooks"); // the user's checkout hooks must not run here
        if (Directory.Exists(folder) && !IsWorktreeOf(root, folder))
        {
            DeleteFolder(folder);
        }

        if (Directory.Exists(folder))
        {
            // A checkout killed half-way leaves its index lock behind; nothing else uses this worktree.
            var gitDir = Git.Run(folder, "rev-parse", "--absolute-git-dir").FirstLine;
            if (gitDir.Length > 0)
            {
                TryDelete(Path.Combine(gitDir, "index.lock"));
                TryDelete(Path.Combine(gitDir, "HEAD.lock"));
            }

            var moved = Git.Run(folder, "-c", noHooks, "checkout", "--quiet", "--force", "--detach", sha);
            if (moved.Succeeded && Git.Run(folder, "rev-parse", "HEAD").FirstLine == sha)
            {
                return;
            }

            DeleteFolder(folder); // Beyond repair: start again.
        }

        // Forget worktrees whose folders are gone (ours from a killed run included); -f -f also takes over a path
        // that a killed `worktree add` left registered and locked.
        Git.Run(root, "worktree", "prune");
        Git.Require(root, "create the base worktree " + folder, "-c", noHooks, "worktree", "add", "--quiet", "--force", "--force", "--detach", folder, sha);
        var head = Git.Run(folder, "rev-parse", "HEAD").FirstLine;
        if (head != sha)
        {
            throw Error(DiagnosticCodes.BaseWorktreeFailed, $"The base worktree {folder} is at '{head}' instead of {sha} after checkout. Delete the folder and run again.", null);
        }
    }

    private static bool IsWorktreeOf(string root, string folder)
    {
        if (!File.Exists(Path.Combine(folder, ".git")))
        {
            return false; // Without its .git file, git would answer for the enclosing repository.
        }

        var here = Git.Run(folder, "rev-parse", "--show-prefix", "--git-common-dir");
        var theirs = Git.Run(root, "rev-parse", "--git-common-dir");
        if (!here.Succeeded || !theirs.Succeeded)
        {
            return false;
        }

        var lines = here.Output.Split('\n').Select(l => l.Trim()).ToList();
        return lines.Count >= 2 && lines[0].Length == 0
               && SamePath(Absolute(folder, lines[1]), Absolute(root, theirs.FirstLine));
    }

    private static string Absolute(string directory, string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(directory, path));

    private static bool SamePath(string a, string b) =>
        string.Equals(Real(a), Real(b), Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static string Real(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
#if NET
        try
        {
            var info = new DirectoryInfo(full);
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
#else
        return full;
#endif
    }

    /// <summary>Short sha and subject of a commit, for reports.</summary>
    public static CommitInfo Describe(string root, string sha)
    {
        var log = Git.Run(root, "log", "-1", "--format=%H%x09%h%x09%s", sha, "--");
        var parts = log.FirstLine.Split(new[] { '\t' }, 3);
        return parts.Length == 3 ? new CommitInfo(parts[0], parts[1], parts[2]) : new CommitInfo(sha, sha.Substring(0, Math.Min(7, sha.Length)), "");
    }

    private static CommitInfo? TryDescribeHead(string root)
    {
        var head = Git.Run(root, "rev-parse", "--verify", "--quiet", "HEAD");
        if (!head.Succeeded)
        {
            return null;
        }

        // --no-optional-locks: a status must not refresh (rewrite) the user's index.
        var dirty = Git.Run(root, "--no-optional-locks", "status", "--porcelain", "--untracked-files=no");
        return Describe(root, head.FirstLine) with { Modified = dirty.Succeeded && dirty.Output.Trim().Length > 0 };
    }

    private static FileStream Hold(string path)
    {
        var until = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(250); // Another gate of this project is preparing the same worktree.
            }
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Environment.OSVersion.Platform == PlatformID.Win32NT)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal); // Windows will not delete git's read-only files.
            }
        }

        Directory.Delete(folder, recursive: true);
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static GateException Error(string code, string message, string? file) =>
        new(new GateDiagnostic(code, DiagnosticLevel.Error, message) { File = file });
}
