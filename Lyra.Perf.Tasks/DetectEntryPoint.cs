using System;
using System.Collections.Generic;
using System.IO;
using Lyra.Perf.Engine.Building;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks;

/// <summary>
/// Finds the project's own entry point (a Main method or top-level statements) among its hand-written sources and
/// writes the answer to two files in obj/, which later builds read back without loading this assembly.
/// </summary>
public sealed class DetectEntryPoint : Task
{
    /// <summary>The project's own sources; files the build generates are left out by the caller.</summary>
    public ITaskItem[] Sources { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Receives one line per source that holds an entry point.</summary>
    [Required]
    public string EntryPointsFile { get; set; } = "";

    /// <summary>Receives one line per source written as top-level statements (they cannot coexist with another Main).</summary>
    [Required]
    public string TopLevelStatementsFile { get; set; } = "";

    public override bool Execute()
    {
        var entryPoints = new List<string>();
        var topLevel = new List<string>();
        foreach (var source in Sources)
        {
            var path = source.GetMetadata("FullPath");
            if (!path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
            {
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.LogMessage(MessageImportance.Low, $"Lyra.Perf: could not read {path}: {ex.Message}");
                continue;
            }

            if (EntryPointScanner.HasTopLevelStatements(text))
            {
                topLevel.Add(source.ItemSpec);
                entryPoints.Add(source.ItemSpec);
            }
            else if (EntryPointScanner.HasMainMethod(text))
            {
                entryPoints.Add(source.ItemSpec);
            }
        }

        // Always rewritten (even unchanged), so the files are newer than the sources and the next build skips this task.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(EntryPointsFile))!);
        File.WriteAllLines(EntryPointsFile, entryPoints);
        File.WriteAllLines(TopLevelStatementsFile, topLevel);
        return true;
    }
}
