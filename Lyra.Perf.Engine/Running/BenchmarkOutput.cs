using System.Globalization;
using System.Text.RegularExpressions;

namespace Lyra.Perf.Engine.Running;

/// <summary>Recognises BenchmarkDotNet's console lines that tell how far a run is.</summary>
public static class BenchmarkOutput
{
    private static readonly Regex Found = new(@"^// \*{5} Found (\d+) benchmark\(s\) in total \*{5}", RegexOptions.CultureInvariant);

    /// <summary>"// ***** Found 12 benchmark(s) in total *****" → 12.</summary>
    public static int? TotalBenchmarks(string line)
    {
        var match = Found.Match(line);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// "// Benchmark: Type.Method: Job-X(…) [N=16]" → "Type.Method [N=16]": the name with its parameters, so the cases of
    /// one method tell apart; a declared job's name follows ("Type.Method (ShortRun)"), never the gate's or a random id.
    /// </summary>
    public static string? StartedBenchmark(string line)
    {
        const string Prefix = "// Benchmark: ";
        if (!line.StartsWith(Prefix, System.StringComparison.Ordinal))
        {
            return null;
        }

        var rest = line.Substring(Prefix.Length).TrimEnd();
        var parameters = TrailingBrackets(rest);
        var head = parameters is null ? rest : rest.Substring(0, rest.Length - parameters.Length - 1);
        var colon = head.LastIndexOf(": ", System.StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var job = head.Substring(colon + 2);
        var open = job.IndexOf('(');
        var jobId = open >= 0 ? job.Substring(0, open) : job;
        var name = head.Substring(0, colon) + (parameters is null ? "" : " " + parameters);
        if (jobId.StartsWith("Job-", System.StringComparison.Ordinal))
        {
            // BenchmarkDotNet's random id says nothing: the gate's own in-process job goes unnamed, a declared
            // anonymous job (PerfGateJob=Declared) by its settings, so its lines never read as the gate's.
            var settings = open >= 0 && job.EndsWith(")", System.StringComparison.Ordinal) ? job.Substring(open + 1, job.Length - open - 2) : "";
            return settings.Length == 0 || settings.Contains("Toolchain=InProcess") ? name : $"{name} ({settings})";
        }

        return jobId.Length == 0 || jobId == "PerfGate" ? name : $"{name} ({jobId})";
    }

    /// <summary>"… [N=1, S=a [b]]" → "[N=1, S=a [b]]" (brackets balanced from the end), or null.</summary>
    private static string? TrailingBrackets(string text)
    {
        if (!text.EndsWith("]", System.StringComparison.Ordinal))
        {
            return null;
        }

        var depth = 0;
        for (var i = text.Length - 1; i > 0; i--)
        {
            depth += text[i] == ']' ? 1 : text[i] == '[' ? -1 : 0;
            if (depth == 0)
            {
                return text[i - 1] == ' ' ? text.Substring(i) : null;
            }
        }

        return null;
    }
}
