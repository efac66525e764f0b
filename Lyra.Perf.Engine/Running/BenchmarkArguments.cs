using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Running;

/// <summary>Composes the benchmark process's command line from the gate's properties.</summary>
public static class BenchmarkArguments
{
    /// <summary>The gate's own job: in-process (no child build, ~3 s a benchmark), warmed up past tier-up
    /// (FACTS: 2 warmups leaked 3–6× slow iterations), short iterations; noise is handled by launches.</summary>
    public static IReadOnlyList<string> GateJob(int warmupCount, int iterationCount, int iterationTimeMs) => new[]
    {
        "--inProcess",
        "--warmupCount", warmupCount.ToString(CultureInfo.InvariantCulture),
        "--iterationCount", iterationCount.ToString(CultureInfo.InvariantCulture),
        "--iterationTime", iterationTimeMs.ToString(CultureInfo.InvariantCulture),
        "--launchCount", "1",
    };

    /// <summary>PerfGateJob=Declared: the gate's settings, and the jobs declared on classes run too.</summary>
    public const string DeclaredJobs = "Declared";

    /// <summary>The variable that tells the SDK's entry point which jobs to keep ("Gate": the gate's own only).</summary>
    public const string JobsVariable = "LYRA_PERF_JOBS";

    /// <summary>The entry point's line for a declared job it left out: "// Lyra.Perf: left out declared job ShortRun of Ns.Type".</summary>
    public const string LeftOutPrefix = "// Lyra.Perf: left out declared job ";

    /// <param name="job">"Gate", "Declared" or a BenchmarkDotNet job name (Dry, Short, Medium, Long, Default).</param>
    /// <param name="filters">BenchmarkDotNet globs.</param>
    public static IReadOnlyList<string> Compose(string job, IEnumerable<string> filters, string artifactsDirectory, int warmupCount, int iterationCount, int iterationTimeMs, string? extra = null)
    {
        var arguments = new List<string> { "--filter" };
        arguments.AddRange(filters);
        if (string.Equals(job, "Gate", StringComparison.OrdinalIgnoreCase) || string.Equals(job, DeclaredJobs, StringComparison.OrdinalIgnoreCase))
        {
            arguments.AddRange(GateJob(warmupCount, iterationCount, iterationTimeMs));
        }
        else
        {
            arguments.Add("--job");
            arguments.Add(job.ToLowerInvariant());
        }

        // Full JSON carries the raw samples; --memory turns on the MemoryDiagnoser for allocation gating.
        arguments.AddRange(new[] { "--memory", "--exporters", "fulljson", "--artifacts", artifactsDirectory });
        if (!string.IsNullOrWhiteSpace(extra))
        {
            arguments.AddRange(SplitCommandLine(extra!));
        }

        return arguments;
    }

    public static string Validate(string job)
    {
        var known = new[] { "Gate", DeclaredJobs, "Dry", "Short", "Medium", "Long", "Default", "VeryLong" };
        return known.FirstOrDefault(k => string.Equals(k, job?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw SettingParser.Invalid("PerfGateJob", job, "Gate, Declared (the gate's settings, and the jobs declared on classes run too), or a BenchmarkDotNet job name: Short, Medium, Long, Default, Dry");
    }

    /// <summary>Filters from a property value: globs separated by ';' (a glob may hold spaces: "*(N: 1024)").</summary>
    public static IReadOnlyList<string> Filters(string? filter) => BenchmarkNames.Filters(filter);

    /// <summary>Quotes for a process command line (Windows rules; also what .NET's Process parses on Unix).</summary>
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\n' }) < 0)
        {
            return argument;
        }

        var text = new System.Text.StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                text.Append('\\', (backslashes * 2) + 1);
            }
            else
            {
                text.Append('\\', backslashes);
            }

            backslashes = 0;
            text.Append(c);
        }

        text.Append('\\', backslashes * 2).Append('"');
        return text.ToString();
    }

    /// <summary>Splits PerfGateRunArguments as a Windows command line is split (what <see cref="Quote"/> undoes):
    /// whitespace separates, "…" groups, \" is a literal quote, and backslashes are literal unless they precede a quote
    /// (so C:\dir\ stays as written).</summary>
    public static IReadOnlyList<string> SplitCommandLine(string text)
    {
        var result = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                var backslashes = 0;
                while (i < text.Length && text[i] == '\\')
                {
                    backslashes++;
                    i++;
                }

                if (i < text.Length && text[i] == '"')
                {
                    current.Append('\\', backslashes / 2);
                    if (backslashes % 2 == 1)
                    {
                        current.Append('"');
                    }
                    else
                    {
                        quoted = !quoted;
                    }
                }
                else
                {
                    current.Append('\\', backslashes);
                    i--;
                }

                any = true;
            }
            else if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            result.Add(current.ToString());
        }

        return result;
    }
}
