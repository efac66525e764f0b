using System;
using System.Collections.Generic;

namespace Lyra.Perf.Engine.Model;

/// <summary>Where and how a run was measured. Times only compare fairly within one fingerprint.</summary>
public sealed record RunEnvironment
{
    public string Os { get; init; } = "";
    public string Cpu { get; init; } = "";
    public int LogicalCores { get; init; }
    public string Runtime { get; init; } = "";
    public string Architecture { get; init; } = "";
    public string BenchmarkDotNetVersion { get; init; } = "";

    /// <summary>The measuring job's settings (toolchain, iterations, iteration time, launches), without BenchmarkDotNet's random job id.</summary>
    public string Job { get; init; } = "";

    /// <summary>The parts that differ from <paramref name="other"/>, as "name: ours → theirs"; empty when the fingerprints match.</summary>
    public IReadOnlyList<string> Differences(RunEnvironment other)
    {
        var differences = new List<string>();
        Compare("OS", Os, other.Os);
        Compare("CPU", Cpu, other.Cpu);
        Compare("logical cores", LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture), other.LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare("runtime", Runtime, other.Runtime);
        Compare("architecture", Architecture, other.Architecture);
        Compare("BenchmarkDotNet", BenchmarkDotNetVersion, other.BenchmarkDotNetVersion);
        Compare("job", Job, other.Job);
        return differences;

        void Compare(string name, string mine, string theirs)
        {
            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                differences.Add($"{name}: '{mine}' → '{theirs}'");
            }
        }
    }
}
