using System;
using System.Collections.Generic;
using System.IO;
using Lyra.Perf.Engine.Building;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks;

/// <summary>Finds the project's own entry point (a Main method or top-level statements) among its sources.</summary>
public sealed class DetectEntryPoint : Task
{
    [Required]
    public ITaskItem[] Sources { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Sources that hold an entry point.</summary>
    [Output]
    public ITaskItem[] EntryPointSources { get; private set; } = Array.Empty<ITaskItem>();

    /// <summary>Sources written as top-level statements (they cannot coexist with another Main).</summary>
    [Output]
    public ITaskItem[] TopLevelStatementSources { get; private set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        var entryPoints = new List<ITaskItem>();
        var topLevel = new List<ITaskItem>();
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
                topLevel.Add(source);
                entryPoints.Add(source);
            }
            else if (EntryPointScanner.HasMainMethod(text))
            {
                entryPoints.Add(source);
            }
        }

        EntryPointSources = entryPoints.ToArray();
        TopLevelStatementSources = topLevel.ToArray();
        return true;
    }
}
