using System.Globalization;
using System.Text.RegularExpressions;

namespace Lyra.Perf.Engine.Running;

/// <summary>Recognises BenchmarkDotNet's console lines that tell how far a run is.</summary>
public static class BenchmarkOutput
{
    private static readonly Regex Found = new(@"^// \*{5} Found (\d+) benchmark\(s\) in total \*{5}", RegexOptions.CultureInvariant);
    // The job part has no colon; a parameter list can ("Run(N: 10)"), so split at the last ": ".
    private static readonly Regex Started = new(@"^// Benchmark: (.+): [^:]*$", RegexOptions.CultureInvariant);

    /// <summary>"// ***** Found 12 benchmark(s) in total *****" → 12.</summary>
    public static int? TotalBenchmarks(string line)
    {
        var match = Found.Match(line);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>"// Benchmark: Type.Method: Job-X(…)" → "Type.Method".</summary>
    public static string? StartedBenchmark(string line)
    {
        var match = Started.Match(line);
        return match.Success ? match.Groups[1].Value : null;
    }
}
