using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Lyra.Perf.Engine.Tests.Ingest;

/// <summary>Builds small BenchmarkDotNet full-JSON reports with exactly the traps the reader must handle.</summary>
internal static class BdnJson
{
    public static string Report(params string[] benchmarks) => $$"""
        {
          "Title": "t",
          "HostEnvironmentInfo": { "BenchmarkDotNetVersion": "0.15.8", "OsVersion": "Linux", "ProcessorName": "CPU X", "LogicalCoreCount": 2, "RuntimeVersion": ".NET 10.0.12", "Architecture": "X64" },
          "Benchmarks": [
            {{string.Join(",\n", benchmarks)}}
          ]
        }
        """;

    public static string Benchmark(string method, IReadOnlyList<double[]> launches, string job = "Job-ABCDEF(IterationCount=5, WarmupCount=3)", string parameters = "", double allocated = 24, bool failed = false, string ns = "Ns")
    {
        var fullName = $"{ns}.Type.{method}" + (parameters.Length > 0 ? $"({parameters.Replace("=", ": ")})" : "");
        var measurements = launches.SelectMany((samples, launch) =>
            samples.Select((s, i) => $$"""{ "IterationMode": "Workload", "IterationStage": "Result", "LaunchIndex": {{launch}}, "IterationIndex": {{i + 1}}, "Operations": 1000, "Nanoseconds": {{(s * 1000).ToString(CultureInfo.InvariantCulture)}} }""")
            .Concat(new[] { $$"""{ "IterationMode": "Workload", "IterationStage": "Warmup", "LaunchIndex": {{launch}}, "IterationIndex": 1, "Operations": 1000, "Nanoseconds": 99999999 }""" }));
        // As BenchmarkCase.DisplayInfo: the parameters follow the job, as "[N=1024, M=2]".
        var displayParameters = parameters.Length > 0 ? " [" + parameters.Replace("&", ", ") + "]" : "";
        var statistics = failed ? "null" : """{ "OriginalValues": [1, 2, 3], "N": 3, "Median": 2, "Mean": "" }""";
        return $$"""
            {
              "DisplayInfo": "Type.{{method}}: {{job}}{{displayParameters}}",
              "Namespace": "{{ns}}",
              "Type": "Type",
              "Method": "{{method}}",
              "MethodTitle": "{{method}}",
              "Parameters": "{{parameters}}",
              "FullName": "{{fullName}}",
              "Statistics": {{statistics}},
              "Memory": { "Gen0Collections": 2, "Gen1Collections": 0, "Gen2Collections": 0, "TotalOperations": 4000, "BytesAllocatedPerOperation": {{allocated.ToString(CultureInfo.InvariantCulture)}} },
              "Measurements": [ {{string.Join(",\n", measurements)}} ]
            }
            """;
    }
}
