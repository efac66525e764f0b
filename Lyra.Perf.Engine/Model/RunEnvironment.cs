using System;
using System.Collections.Generic;
using System.Linq;

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

    /// <summary>The measuring jobs' settings (toolchain, iterations, iteration time, launches), without BenchmarkDotNet's
    /// random job id or any benchmark's parameters; several jobs are sorted and joined by <see cref="JobSeparator"/>.</summary>
    public string Job { get; init; } = "";

    public const string JobSeparator = " | ";

    /// <summary>The fingerprint's job field for these jobs: distinct, sorted, so the order benchmarks ran in does not matter.</summary>
    public static string JoinJobs(IEnumerable<string> jobs) =>
        string.Join(JobSeparator, jobs.Where(j => j.Length > 0).Distinct(StringComparer.Ordinal).OrderBy(j => j, StringComparer.Ordinal));

    /// <summary>The jobs of a fingerprint's job field (<see cref="JoinJobs"/> undone).</summary>
    public static IEnumerable<string> SplitJobs(string job) => job.Split(new[] { JobSeparator }, StringSplitOptions.RemoveEmptyEntries);

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
        // A filtered run may use only some of the baseline's jobs (one class's [Config]): that is the same job, not a new one.
        if (!Jobs(other.Job).All(Jobs(Job).Contains))
        {
            differences.Add($"job: '{Job}' → '{other.Job}'");
        }

        return differences;

        static HashSet<string> Jobs(string job) =>
            new(job.Split(new[] { JobSeparator }, StringSplitOptions.RemoveEmptyEntries).Select(Settings), StringComparer.Ordinal);

        // Older baselines kept "Job-ABCDEF(settings) [N=1024]" for parameterised benchmarks.
        static string Settings(string job)
        {
            var end = job.IndexOf(") [", StringComparison.Ordinal);
            var open = job.IndexOf('(');
            return end > open && open >= 0 ? job.Substring(open + 1, end - open - 1) : job;
        }

        void Compare(string name, string mine, string theirs)
        {
            if (!string.Equals(mine, theirs, StringComparison.Ordinal))
            {
                differences.Add($"{name}: '{mine}' → '{theirs}'");
            }
        }
    }
}
