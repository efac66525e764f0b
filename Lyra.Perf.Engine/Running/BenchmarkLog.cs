using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Lyra.Perf.Engine.Running;

/// <summary>Where a launch's console output is: the gate writes it to <see cref="FileName"/> in the launch's folder
/// (obj/lyra-perf/run-N/), and BenchmarkDotNet writes its results below that folder (results/*-report-full.json).</summary>
public static class BenchmarkLog
{
    public const string FileName = "benchmark-output.log";

    /// <summary>The log that belongs to a results file: the gate's <see cref="FileName"/>, else BenchmarkDotNet's own
    /// *.log (results made elsewhere, PerfGateResults), in the file's folder or, for BenchmarkDotNet's results/ folder,
    /// the artifacts folder above it; null when there is none.</summary>
    public static string? For(string resultsFile)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(resultsFile));
            if (folder is null)
            {
                return null;
            }

            var folders = new List<string> { folder };
            if (string.Equals(Path.GetFileName(folder), "results", StringComparison.OrdinalIgnoreCase) && Path.GetDirectoryName(folder) is { } artifacts)
            {
                folders.Add(artifacts);
            }

            var existing = folders.Where(Directory.Exists).ToList();
            return existing.Select(f => Path.Combine(f, FileName)).FirstOrDefault(File.Exists)
                ?? existing.Select(f => Directory.EnumerateFiles(f, "*.log").OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault()).FirstOrDefault(n => n is not null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>"its output (with the exception) is in /…/run-1/benchmark-output.log", for a failure message.</summary>
    public static string Pointer(string resultsFile) => For(resultsFile) is { } log
        ? "its output (with any exception) is in " + log
        : "see the console output of the run that wrote " + Path.GetFullPath(resultsFile);
}
