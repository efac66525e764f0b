using System;
using System.IO;
using Lyra.Perf.Engine.Building;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Vcs;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks;

/// <summary>
/// A/B mode (PerfGateBaseRef): checks the base commit out into the gate's own worktree and builds the same project
/// there as the gate builds the current one. Everything is the engine's (<see cref="BaseWorktree"/>,
/// <see cref="BaseBuild"/>); this task passes paths in and the results out.
/// </summary>
public sealed class PrepareBase : Task
{
    [Required]
    public string ProjectFile { get; set; } = "";

    [Required]
    public string BaseRef { get; set; } = "";

    /// <summary>The worktree folder (under the gate's artifacts folder).</summary>
    [Required]
    public string WorktreeDirectory { get; set; } = "";

    [Required]
    public string DotNetHost { get; set; } = "";

    /// <summary>Global properties for the base build, Name=Value;…: the gate build's own plus the current SDK's.</summary>
    public string BuildProperties { get; set; } = "";

    public string TimeoutSeconds { get; set; } = "1800";

    [Output]
    public string BaseAssembly { get; private set; } = "";

    [Output]
    public string BaseProjectDirectory { get; private set; } = "";

    /// <summary>The base commit's sha, with metadata ShortSha, Subject and the current side's CurrentSha,
    /// CurrentShortSha, CurrentSubject, CurrentModified, for the reports.</summary>
    [Output]
    public ITaskItem? Commits { get; private set; }

    public override bool Execute()
    {
        try
        {
            var timeout = Engine.Options.SettingParser.WholeNumber("PerfGateTimeout", TimeoutSeconds, 1, 7 * 24 * 3600);
            var checkout = BaseWorktree.Prepare(ProjectFile, BaseRef, WorktreeDirectory);
            Log.LogMessage(MessageImportance.High, $"Lyra.Perf: A/B against {checkout.Base} (PerfGateBaseRef={BaseRef}); building it in {checkout.WorktreeDirectory}");
            BaseAssembly = BaseBuild.Run(DotNetHost, checkout.ProjectFile, BuildProperties.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries),
                Path.Combine(WorktreeDirectory + ".build.log"), TimeSpan.FromSeconds(timeout));
            BaseProjectDirectory = Path.GetDirectoryName(checkout.ProjectFile)!;
            var item = new TaskItem(checkout.Base.Sha);
            item.SetMetadata("ShortSha", checkout.Base.ShortSha);
            item.SetMetadata("Subject", checkout.Base.Subject);
            if (checkout.Current is { } current)
            {
                item.SetMetadata("CurrentSha", current.Sha);
                item.SetMetadata("CurrentShortSha", current.ShortSha);
                item.SetMetadata("CurrentSubject", current.Subject);
                item.SetMetadata("CurrentModified", current.Modified ? "true" : "false");
            }

            Commits = item;
        }
        catch (GateException ex)
        {
            Log.Log(ex.Diagnostic with { File = ex.Diagnostic.File ?? ProjectFile });
        }

        return !Log.HasLoggedErrors;
    }
}
