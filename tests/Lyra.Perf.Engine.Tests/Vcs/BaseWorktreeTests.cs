using System;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Vcs;

namespace Lyra.Perf.Engine.Tests.Vcs;

/// <summary>The A/B mode's git side on throwaway repositories: errors, reuse, recovery, and the user's checkout untouched.</summary>
public sealed class BaseWorktreeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lyra-perf-git-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public BaseWorktreeTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string G(string directory, params string[] arguments)
    {
        var result = Git.Run(directory, new[] { "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false" }.Concat(arguments));
        Assert.True(result.Succeeded, $"git {string.Join(" ", arguments)}: {result.Error}");
        return result.Output.Trim();
    }

    /// <summary>A repository with bench/Bench.csproj: commit 1 "base", commit 2 "change"; a stash and an uncommitted edit.</summary>
    private string Repository(out string first, out string second)
    {
        var repo = Path.Combine(_root, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "bench"));
        G(repo, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(repo, ".gitignore"), "bin/\nobj/\n");
        File.WriteAllText(Path.Combine(repo, "bench", "Bench.csproj"), "<Project />\n");
        File.WriteAllText(Path.Combine(repo, "bench", "Work.cs"), "// v1\n");
        G(repo, "add", "-A");
        G(repo, "commit", "-q", "-m", "base");
        first = G(repo, "rev-parse", "HEAD");
        File.WriteAllText(Path.Combine(repo, "bench", "Work.cs"), "// v2\n");
        G(repo, "commit", "-q", "-am", "change");
        second = G(repo, "rev-parse", "HEAD");
        File.WriteAllText(Path.Combine(repo, "bench", "Work.cs"), "// stashed\n");
        G(repo, "stash", "-q");
        File.WriteAllText(Path.Combine(repo, "bench", "Work.cs"), "// uncommitted\n");
        File.WriteAllText(Path.Combine(repo, "untracked.txt"), "x");
        return repo;
    }

    private static (string Status, string Stash, string Index) UserState(string repo) =>
        (G(repo, "status", "--porcelain"), G(repo, "stash", "list"), Convert.ToBase64String(File.ReadAllBytes(Path.Combine(repo, ".git", "index"))));

    private static string Worktree(string repo) => Path.Combine(repo, "bench", "obj", "lyra-perf", "ab", "worktree");

    [Fact]
    public void Checks_out_the_base_reuses_the_worktree_and_leaves_the_users_checkout_alone()
    {
        var repo = Repository(out var first, out var second);
        var before = UserState(repo);

        var checkout = BaseWorktree.Prepare(Path.Combine(repo, "bench", "Bench.csproj"), "HEAD~1", Worktree(repo));
        Assert.Equal(first, checkout.Base.Sha);
        Assert.Equal("base", checkout.Base.Subject);
        Assert.Equal(first.Substring(0, checkout.Base.ShortSha.Length), checkout.Base.ShortSha);
        Assert.Equal("change", checkout.Current!.Subject);
        Assert.True(checkout.Current.Modified); // the uncommitted edit
        Assert.Equal(Path.Combine(Worktree(repo), "bench", "Bench.csproj"), checkout.ProjectFile);
        Assert.Equal("// v1\n", File.ReadAllText(Path.Combine(Worktree(repo), "bench", "Work.cs")));

        // A base build's outputs survive the move to another base: the folder is reused, not made again.
        File.WriteAllText(Path.Combine(Worktree(repo), "bench", "obj.marker"), "kept");
        var moved = BaseWorktree.Prepare(Path.Combine(repo, "bench", "Bench.csproj"), "main", Worktree(repo));
        Assert.Equal(second, moved.Base.Sha);
        Assert.Equal("// v2\n", File.ReadAllText(Path.Combine(Worktree(repo), "bench", "Work.cs")));
        Assert.True(File.Exists(Path.Combine(Worktree(repo), "bench", "obj.marker")));

        Assert.Equal(before, UserState(repo));
        Assert.Equal("// uncommitted\n", File.ReadAllText(Path.Combine(repo, "bench", "Work.cs")));
    }

    [Fact]
    public void Recovers_a_worktree_left_half_made_locked_or_deleted_by_a_killed_run()
    {
        var repo = Repository(out var first, out _);
        var project = Path.Combine(repo, "bench", "Bench.csproj");
        var before = UserState(repo);
        var folder = Worktree(repo);
        BaseWorktree.Prepare(project, "HEAD~1", folder);

        // Killed during a checkout: its index lock is left behind, files half-written.
        var gitDir = G(folder, "rev-parse", "--absolute-git-dir");
        File.WriteAllText(Path.Combine(gitDir, "index.lock"), "");
        File.WriteAllText(Path.Combine(folder, "bench", "Work.cs"), "// half");
        Assert.Equal(first, BaseWorktree.Prepare(project, "HEAD~1", folder).Base.Sha);
        Assert.Equal("// v1\n", File.ReadAllText(Path.Combine(folder, "bench", "Work.cs")));

        // Killed during `worktree add`: a folder without its .git file (git would answer for the enclosing repository).
        File.Delete(Path.Combine(folder, ".git"));
        Assert.Equal(first, BaseWorktree.Prepare(project, "HEAD~1", folder).Base.Sha);
        Assert.Equal(first, G(folder, "rev-parse", "HEAD"));

        // The folder deleted while still registered (and locked, as `worktree add` leaves it while initialising).
        G(repo, "worktree", "lock", folder);
        Directory.Delete(folder, recursive: true);
        Assert.Equal(first, BaseWorktree.Prepare(project, "HEAD~1", folder).Base.Sha);
        Assert.Equal("// v1\n", File.ReadAllText(Path.Combine(folder, "bench", "Work.cs")));

        Assert.Equal(before, UserState(repo));
    }

    [Fact]
    public void Not_a_repository_is_LPG0330()
    {
        var folder = Path.Combine(_root, "plain");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Bench.csproj"), "<Project />");
        var error = Assert.Throws<GateException>(() => BaseWorktree.Prepare(Path.Combine(folder, "Bench.csproj"), "origin/main", Path.Combine(folder, "wt")));
        Assert.Equal(DiagnosticCodes.NotAGitRepository, error.Diagnostic.Code);
        Assert.Contains("not inside one", error.Diagnostic.Message);
        Assert.Equal(Path.Combine(folder, "Bench.csproj"), error.Diagnostic.File);
    }

    [Fact]
    public void An_unknown_ref_is_LPG0332_and_a_shallow_clone_is_told_to_fetch_the_history()
    {
        var repo = Repository(out _, out _);
        var error = Assert.Throws<GateException>(() => BaseWorktree.Prepare(Path.Combine(repo, "bench", "Bench.csproj"), "origin/nope", Worktree(repo)));
        Assert.Equal(DiagnosticCodes.BaseRefUnresolved, error.Diagnostic.Code);
        Assert.Contains("git fetch origin main", error.Diagnostic.Message);
        Assert.False(Directory.Exists(Worktree(repo)));

        var shallow = Path.Combine(_root, "shallow");
        G(_root, "clone", "-q", "--depth", "1", "file://" + repo, shallow);
        var shallowError = Assert.Throws<GateException>(() => BaseWorktree.Prepare(Path.Combine(shallow, "bench", "Bench.csproj"), "HEAD~1", Worktree(shallow)));
        Assert.Equal(DiagnosticCodes.BaseRefUnresolved, shallowError.Diagnostic.Code);
        Assert.Contains("shallow", shallowError.Diagnostic.Message);
        Assert.Contains("fetch-depth: 0", shallowError.Diagnostic.Message);
    }

    [Fact]
    public void A_project_that_does_not_exist_at_the_base_is_LPG0333()
    {
        var repo = Repository(out _, out _);
        Directory.CreateDirectory(Path.Combine(repo, "other"));
        File.WriteAllText(Path.Combine(repo, "other", "Other.csproj"), "<Project />");
        G(repo, "add", "other");
        G(repo, "commit", "-q", "-m", "add other");
        var error = Assert.Throws<GateException>(() => BaseWorktree.Prepare(Path.Combine(repo, "other", "Other.csproj"), "HEAD~1", Path.Combine(repo, "other", "obj", "wt")));
        Assert.Equal(DiagnosticCodes.BaseProjectMissing, error.Diagnostic.Code);
        Assert.Contains("other/Other.csproj", error.Diagnostic.Message);
    }

    [Fact]
    public void An_option_like_ref_is_rejected_as_an_invalid_setting()
    {
        var repo = Repository(out _, out _);
        var error = Assert.Throws<GateException>(() => BaseWorktree.Prepare(Path.Combine(repo, "bench", "Bench.csproj"), "--output=/tmp/x", Worktree(repo)));
        Assert.Equal(DiagnosticCodes.InvalidSetting, error.Diagnostic.Code);
    }
}
