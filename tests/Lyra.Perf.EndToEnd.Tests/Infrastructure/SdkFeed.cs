using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Lyra.Perf.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Packs Lyra.Perf.Sdk once per test run into a private folder feed, under a version no earlier run used, and
/// gives each test a workspace whose nuget.config sees that feed and an isolated global packages folder, so a
/// rebuilt package is never served stale from a cache.
/// </summary>
public sealed class SdkFeed : IDisposable
{
    public SdkFeed()
    {
        RepositoryRoot = typeof(SdkFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        Root = Path.Combine(Path.GetTempPath(), "lyra-perf-e2e", DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Guid.NewGuid().ToString("N").Substring(0, 6));
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Version = "1.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        Directory.CreateDirectory(Feed);

        var pack = DotNet.Run(RepositoryRoot, new[]
        {
            "pack", Path.Combine(RepositoryRoot, "Lyra.Perf.Sdk", "Lyra.Perf.Sdk.csproj"), "-c", "Release", "-o", Feed,
            "-p:LyraPerfVersion=" + Version, "-tl:off", "-nologo",
        });
        if (pack.ExitCode != 0 || !File.Exists(Path.Combine(Feed, $"Lyra.Perf.Sdk.{Version}.nupkg")))
        {
            throw new InvalidOperationException("Packing Lyra.Perf.Sdk failed:\n" + pack);
        }
    }

    public string RepositoryRoot { get; }
    public string Root { get; }
    public string Feed { get; }
    public string Packages { get; }
    public string Version { get; }

    /// <summary>A fresh benchmark project named <paramref name="project"/> in a workspace of its own (<see cref="ProjectBuilder"/>).</summary>
    public ProjectBuilder NewProject(string workspace, string project) => new(this, workspace, project);

    /// <summary>A fresh folder with a nuget.config for the feed; the user's own package folder is only a fallback.</summary>
    public Workspace NewWorkspace(string name)
    {
        var directory = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N").Substring(0, 6));
        Directory.CreateDirectory(directory);
        var userPackages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Packages}" />
              </config>
              <fallbackPackageFolders>
                <add key="user" value="{userPackages}" />
              </fallbackPackageFolders>
              <packageSources>
                <add key="lyra-perf-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        // Keep the repository's own Directory.Build.props/global.json out of the way: these are users' projects.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        return new Workspace(directory, Version);
    }

    public void Dispose()
    {
        try
        {
            if (Environment.GetEnvironmentVariable("LYRA_PERF_E2E_KEEP") != "1")
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SdkFeedCollection : ICollectionFixture<SdkFeed>
{
    public const string Name = "Packed SDK";
}
