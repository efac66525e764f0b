using System;
using System.Collections.Generic;

namespace Lyra.Perf.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The one way the tests make a fresh user's project: a workspace of its own (<see cref="SdkFeed.NewWorkspace"/>)
/// holding one benchmark project that imports the packed SDK, on the fast job unless a property says otherwise
/// (<see cref="Workspace.AddBenchmarkProject"/>), optionally committed as a fresh git repository.
/// </summary>
public sealed class ProjectBuilder
{
    private readonly SdkFeed _feed;
    private readonly string _workspace;
    private readonly string _project;
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
    private string? _commitMessage;

    public ProjectBuilder(SdkFeed feed, string workspace, string project)
    {
        _feed = feed;
        _workspace = workspace;
        _project = project;
    }

    /// <summary>A source file of the project (file name → text).</summary>
    public ProjectBuilder Source(string file, string text)
    {
        _sources[file] = text;
        return this;
    }

    public ProjectBuilder Sources(IReadOnlyDictionary<string, string> files)
    {
        foreach (var file in files)
        {
            Source(file.Key, file.Value);
        }

        return this;
    }

    /// <summary>An MSBuild property of the project; a PerfGate* one overrides the fast job's.</summary>
    public ProjectBuilder Property(string name, string value)
    {
        _properties[name] = value;
        return this;
    }

    /// <summary>The workspace becomes a git repository with everything committed (<see cref="Git.InitAndCommit"/>).</summary>
    public ProjectBuilder Committed(string message)
    {
        _commitMessage = message;
        return this;
    }

    public FreshProject Create()
    {
        var workspace = _feed.NewWorkspace(_workspace);
        var directory = workspace.AddBenchmarkProject(_project, _sources, _properties);
        if (_commitMessage is not null)
        {
            Git.InitAndCommit(workspace.Directory, _commitMessage);
        }

        return new FreshProject(workspace, directory);
    }
}

/// <summary>A project made by <see cref="ProjectBuilder"/>: its workspace and its folder.</summary>
public sealed record FreshProject(Workspace Workspace, string Directory);
