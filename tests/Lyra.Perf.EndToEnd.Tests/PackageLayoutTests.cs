using System.IO;
using System.IO.Compression;
using System.Linq;
using Lyra.Perf.EndToEnd.Tests.Infrastructure;

namespace Lyra.Perf.EndToEnd.Tests;

/// <summary>The NuGet SDK resolver ignores package dependencies: the package must carry its tasks, and nothing MSBuild already has.</summary>
[Collection(SdkFeedCollection.Name)]
public sealed class PackageLayoutTests
{
    private readonly SdkFeed _feed;

    public PackageLayoutTests(SdkFeed feed) => _feed = feed;

    [Fact]
    public void The_package_is_an_MSBuild_SDK_carrying_one_task_build_per_MSBuild_runtime_and_the_in_process_AB_runner()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_feed.Feed, $"Lyra.Perf.Sdk.{_feed.Version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToList();

        foreach (var expected in new[]
        {
            "Sdk/Sdk.props", "Sdk/Sdk.targets", "Sdk/Solution.targets", "Sdk/PerfGateEntryPoint.cs", "Sdk/PerfGateCpuDiagnoser.cs", "Sdk/PerfGateResultsExporter.cs",
            "tasks/net10.0/Lyra.Perf.Tasks.dll", "tasks/net10.0/Lyra.Perf.Tasks.deps.json", "tasks/net10.0/Lyra.Perf.Engine.dll",
            "tasks/net472/Lyra.Perf.Tasks.dll", "tasks/net472/Lyra.Perf.Engine.dll",
            // The in-process A/B runner (PerfGateAbScheme=interleaved), started as `dotnet Lyra.Perf.AbRunner.dll`.
            "tools/net10.0/Lyra.Perf.AbRunner.dll", "tools/net10.0/Lyra.Perf.AbRunner.runtimeconfig.json",
            "tools/net10.0/Lyra.Perf.AbRunner.deps.json", "tools/net10.0/Lyra.Perf.Engine.dll",
        })
        {
            Assert.Contains(expected, entries);
        }

        // MSBuild supplies these (Visual Studio's redirects System.Text.Json to its own copy): shipping them would conflict.
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.Build") || e.EndsWith("System.Text.Json.dll") || e.EndsWith("System.Memory.dll"));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/"));
        // Where Sdk.targets looks for the runner; no native apphost (it is started with dotnet).
        using (var targets = new StreamReader(package.Entries.Single(e => e.FullName == "Sdk/Sdk.targets").Open()))
        {
            Assert.Contains("$(MSBuildThisFileDirectory)../tools/net10.0/Lyra.Perf.AbRunner.dll", targets.ReadToEnd());
        }

        Assert.DoesNotContain(entries, e => e == "tools/net10.0/Lyra.Perf.AbRunner" || e == "tools/net10.0/Lyra.Perf.AbRunner.exe");

        using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        var text = nuspec.ReadToEnd();
        Assert.Contains("<packageType name=\"MSBuildSdk\" />", text);
        Assert.DoesNotContain("<dependency ", text);
    }
}
