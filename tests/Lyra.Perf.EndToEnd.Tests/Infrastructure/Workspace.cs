using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Lyra.Perf.EndToEnd.Tests.Infrastructure;

/// <summary>A user's folder: benchmark projects that reference the packed SDK the way the README says.</summary>
public sealed class Workspace
{
    /// <summary>Fast measuring settings: the tests prove the paths, not the statistics.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastJob = new Dictionary<string, string>
    {
        ["PerfGateLaunches"] = "2",
        ["PerfGateWarmupCount"] = "3",
        ["PerfGateIterationCount"] = "5",
        ["PerfGateIterationTime"] = "25",
    };

    public Workspace(string directory, string sdkVersion)
    {
        Directory = directory;
        SdkVersion = sdkVersion;
    }

    public string Directory { get; }
    public string SdkVersion { get; }

    public string PathOf(params string[] parts) => Path.Combine(new[] { Directory }.Concat(parts).ToArray());

    /// <summary>Writes <c>name/name.csproj</c> importing the SDK, plus the given source files; returns the project folder.</summary>
    public string AddBenchmarkProject(string name, IReadOnlyDictionary<string, string> sources, IReadOnlyDictionary<string, string>? properties = null, string extraXml = "")
    {
        var folder = PathOf(name);
        System.IO.Directory.CreateDirectory(folder);
        var overrides = properties ?? new Dictionary<string, string>();
        // A project that multi-targets (TargetFrameworks) must not also set TargetFramework.
        var framework = overrides.ContainsKey("TargetFrameworks") ? "" : "<TargetFramework>net10.0</TargetFramework>";
        var allProperties = FastJob.Where(p => !overrides.ContainsKey(p.Key)).Concat(overrides)
            .Select(p => $"    <{p.Key}>{p.Value}</{p.Key}>");
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Lyra.Perf.Sdk" Version="{SdkVersion}" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                {framework}
                <Nullable>enable</Nullable>
            {string.Join("\n", allProperties)}
              </PropertyGroup>
            {extraXml}
            </Project>
            """);
        foreach (var source in sources)
        {
            File.WriteAllText(Path.Combine(folder, source.Key), source.Value);
        }

        return folder;
    }

    /// <summary>Two tiny benchmarks; LYRA_E2E_SLOW multiplies Loop's work, so a test can plant a real slowdown.</summary>
    public const string LoopAndConcat = """
        using System;
        using BenchmarkDotNet.Attributes;

        namespace E2E;

        [MemoryDiagnoser]
        public class Work
        {
            private static readonly int Count = (int)(20000 * double.Parse(Environment.GetEnvironmentVariable("LYRA_E2E_SLOW") ?? "1", System.Globalization.CultureInfo.InvariantCulture));

            [Benchmark]
            public int Loop()
            {
                var sum = 0;
                for (var i = 0; i < Count; i++)
                {
                    sum += i * 7 % 13;
                }

                return sum;
            }

            [Benchmark]
            public string Concat() => string.Concat("a", Count.ToString());
        }
        """;
}
