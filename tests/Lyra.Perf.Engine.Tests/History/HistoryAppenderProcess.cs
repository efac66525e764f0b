using System;
using System.Diagnostics;
using System.IO;
using Lyra.Perf.Engine.History;

namespace Lyra.Perf.Engine.Tests.History;

/// <summary>Builds a tiny console app that appends history records from its own process, for the cross-process test.</summary>
internal static class HistoryAppenderProcess
{
    private const string Program = """
        using System;
        using System.IO;
        using System.Threading;
        using Lyra.Perf.Engine.History;

        var path = args[0];
        var prefix = args[1];
        var count = int.Parse(args[2]);
        var go = args[3];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(go) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        for (var i = 0; i < count; i++)
        {
            HistoryStore.Append(path, new HistoryRecord
            {
                Time = DateTimeOffset.UtcNow,
                Commit = prefix + "-" + i,
                Benchmarks = new[] { new HistoryBenchmark("Ns.Type.Method") { TypicalNanoseconds = 100 + i, AllocatedBytesPerOperation = 24 } },
            }, 1000);
        }
        """;

    /// <summary>Returns the path of the built helper dll.</summary>
    public static string Build(string workDirectory) => Build(workDirectory, "Appender", Program);

    /// <summary>Builds <paramref name="program"/> (top-level statements over Lyra.Perf.Engine) as NAME.dll; returns its path.</summary>
    public static string Build(string workDirectory, string name, string program)
    {
        var directory = Path.Combine(workDirectory, name.ToLowerInvariant());
        Directory.CreateDirectory(directory);
        var engine = typeof(HistoryStore).Assembly.Location;
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>disable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <UseAppHost>false</UseAppHost>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="Lyra.Perf.Engine" HintPath="{engine}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);

        // Keep the repository's Directory.Build.props/packages out of this throwaway project.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");

        var output = Path.Combine(directory, "out");
        using var build = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "build", Path.Combine(directory, name + ".csproj"), "-c", "Release", "-o", output, "-nologo", "-v:q", "-nodeReuse:false", "-tl:off" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEnd();
        if (!build.WaitForExit(300_000) || build.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the {name} helper failed:\n{stdout.Result}\n{stderr}");
        }

        return Path.Combine(output, name + ".dll");
    }
}
