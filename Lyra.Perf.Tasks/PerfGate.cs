using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Options;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SettingsTable = Lyra.Perf.Engine.Options.Settings;

namespace Lyra.Perf.Tasks;

/// <summary>
/// Judges benchmark results against the baseline (or records the baseline). All decisions are the engine's;
/// this task only turns MSBuild parameters into options and engine diagnostics into logged events.
/// </summary>
public sealed class PerfGate : Task
{
    /// <summary>Gate: judge and report. Report: the same from earlier results, without adding to the history.
    /// Baseline: (re)write the baseline from the results.</summary>
    public string Mode { get; set; } = "Gate";

    [Required]
    public ITaskItem[] ResultsDirectories { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>One item whose metadata carries the PerfGate* properties (BaselineFile, Threshold, FailOn, …),
    /// composed once in Sdk.targets so every call of this task sees the same settings.</summary>
    [Required]
    public ITaskItem Settings { get; set; } = new TaskItem("settings");

    /// <summary>The built benchmark assembly; its PDB places diagnostics at the benchmark methods.</summary>
    public string BenchmarkAssembly { get; set; } = "";

    /// <summary>A/B mode: the base commit's launch folders (named like <see cref="ResultsDirectories"/>).</summary>
    public ITaskItem[] BaseResultsDirectories { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>A/B mode: the commits (PrepareBase's Commits output).</summary>
    public ITaskItem? Commits { get; set; }

    public ITaskItem[] Rules { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] Claims { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>True on the first pass when confirmation is on: failing regressions are not logged yet but
    /// returned in <see cref="ToConfirm"/> so the target re-runs just those.</summary>
    public bool Preliminary { get; set; }

    /// <summary>BenchmarkDotNet filter globs for the benchmarks to re-run; empty when nothing needs confirming.</summary>
    [Output]
    public string ToConfirm { get; private set; } = "";

    public override bool Execute()
    {
        try
        {
            var options = ReadOptions();
            string Setting(string name) => Settings.GetMetadata(name);
            var request = new GateRequest
            {
                ResultsDirectories = ResultsDirectories.Select(d => d.GetMetadata("FullPath")).ToList(),
                BaselinePath = Path.GetFullPath(Setting("BaselineFile")),
                ProjectDirectory = Setting("ProjectDirectory"),
                ProjectName = Setting("ProjectName"),
                ProjectFile = Setting("ProjectFile") is { Length: > 0 } projectFile ? projectFile : null,
                Options = options,
                ReportDirectory = string.IsNullOrEmpty(Setting("ReportDirectory")) ? null : Path.GetFullPath(Setting("ReportDirectory")),
                HistoryFile = string.IsNullOrEmpty(Setting("HistoryFile")) ? null : Path.GetFullPath(Setting("HistoryFile")),
                HistoryLimit = SettingsTable.HistoryLimit.Parse(Setting("HistoryLimit")),
                BaselineRuns = SettingsTable.BaselineRuns.Parse(Setting("BaselineRuns")),
                RequireBaseline = SettingsTable.RequireBaseline.Parse(Setting("RequireBaseline")),
                BenchmarkAssembly = string.IsNullOrEmpty(BenchmarkAssembly) ? null : BenchmarkAssembly,
                Preliminary = Preliminary,
                AppendHistory = !string.Equals(Mode, "Report", StringComparison.OrdinalIgnoreCase),
                Now = DateTimeOffset.UtcNow,
                BaseResultsDirectories = BaseResultsDirectories.Select(d => d.GetMetadata("FullPath")).ToList(),
                AbSides = Commits is null ? null : new Engine.Comparison.AbSides(
                    new Engine.Vcs.CommitInfo(Commits.ItemSpec, Commits.GetMetadata("ShortSha"), Commits.GetMetadata("Subject")),
                    Commits.GetMetadata("CurrentSha") is { Length: > 0 } head
                        ? new Engine.Vcs.CommitInfo(head, Commits.GetMetadata("CurrentShortSha"), Commits.GetMetadata("CurrentSubject")) { Modified = Commits.GetMetadata("CurrentModified") == "true" }
                        : null),
                // MSBuild's own promotion (WarningsAsErrors, -warnaserror) decides too: the reports must agree with the exit code.
                TreatsWarningAsError = BuildEngine is IBuildEngine8 engine ? engine.ShouldTreatWarningAsError : null,
            };

            var outcome = string.Equals(Mode, "Baseline", StringComparison.OrdinalIgnoreCase)
                ? GateRunner.RecordBaseline(request)
                : GateRunner.Gate(request);
            foreach (var diagnostic in outcome.Diagnostics)
            {
                Log.Log(diagnostic);
            }

            new Logging.GateConsole(this).Lines(outcome.Summary);

            ToConfirm = string.Join(";", outcome.ToConfirm);
            return !outcome.Fails;
        }
        catch (GateException ex)
        {
            // A diagnostic with no file of its own points at the project, not at the SDK's targets file.
            Log.Log(ex.Diagnostic.File is null && Settings.GetMetadata("ProjectFile") is { Length: > 0 } project ? ex.Diagnostic with { File = project } : ex.Diagnostic);
            return false;
        }
        catch (Exception ex) when (TaskBoundary.IsRecoverable(ex))
        {
            Log.Log(TaskBoundary.Unexpected(ex, "judging the results against the baseline", Settings.GetMetadata("BaselineFile")));
            return false;
        }
    }

    private GateOptions ReadOptions()
    {
        // Raw strings from the settings item; blanks and defaults are the table's (Engine.Options.Settings).
        string Setting(string name) => Settings.GetMetadata(name);
        return new GateOptions
        {
            Threshold = SettingsTable.Threshold.Parse(Setting("Threshold")),
            CriticalThreshold = SettingsTable.CriticalThreshold.Parse(Setting("CriticalThreshold")),
            FailOn = SettingsTable.FailOn.Parse(Setting("FailOn")),
            AllocationThreshold = SettingsTable.AllocationThreshold.Parse(Setting("AllocationThreshold")),
            BaselineMaxAgeDays = SettingsTable.BaselineMaxAgeDays.Parse(Setting("BaselineMaxAgeDays")),
            Enabled = SettingsTable.Enabled.Parse(Setting("Enabled")),
            StrictEnvironment = SettingsTable.StrictEnvironment.Parse(Setting("StrictEnvironment")),
            Filter = SettingsTable.Filter.Parse(Setting("Filter")),
            Exclude = SettingsTable.Exclude.Parse(Setting("Exclude")),
            Shard = Setting("ShardManifest") is { Length: > 0 } manifest && File.Exists(manifest) ? Engine.Sharding.ShardManifest.Read(manifest) : null,
            Rules = Rules.Select(r => AtDefinition(r, ReadRule)).ToList(),
            Claims = Claims.Select(c => AtDefinition(c, ReadClaim) with { DefinedIn = c.GetMetadata("DefiningProjectFullPath") }).ToList(),
        };
    }

    private static PerfRule ReadRule(ITaskItem item)
    {
        var name = $"PerfGateRule '{item.ItemSpec}'";
        return new PerfRule(item.ItemSpec)
        {
            Threshold = Optional(item, "Threshold", v => SettingParser.Percent(name + " Threshold", v, max: 1000)),
            AllocationThreshold = Optional(item, "AllocationThreshold", v => SettingParser.Percent(name + " AllocationThreshold", v, max: 100000)),
            FailOn = Optional(item, "FailOn", v => (Severity?)SettingParser.FailOn(name + " FailOn", v)),
        };
    }

    private static PerfClaim ReadClaim(ITaskItem item)
    {
        var name = $"PerfClaim '{item.ItemSpec}'";
        var baseline = item.GetMetadata("Baseline");
        if (string.IsNullOrWhiteSpace(baseline))
        {
            throw SettingParser.Invalid(name + " Baseline", baseline, "the benchmark (glob) the claim compares against, e.g. Baseline=\"*.StringKeyed\"");
        }

        var claim = new PerfClaim(item.ItemSpec, baseline)
        {
            Faster = Optional(item, "Faster", v => (double?)SettingParser.Factor(name + " Faster", v)),
            LessAllocated = Optional(item, "LessAllocated", v => (double?)SettingParser.Percent(name + " LessAllocated", v, max: 100)),
        };
        if (claim.Faster is null && claim.LessAllocated is null)
        {
            throw SettingParser.Invalid(name, "", "Faster=\"1.5x\" and/or LessAllocated=\"40%\"");
        }

        return claim;
    }

    /// <summary>A bad item value is reported at the file that declares the item.</summary>
    private static T AtDefinition<T>(ITaskItem item, Func<ITaskItem, T> read)
    {
        try
        {
            return read(item);
        }
        catch (GateException ex) when (ex.Diagnostic.File is null)
        {
            throw new GateException(ex.Diagnostic with { File = item.GetMetadata("DefiningProjectFullPath") });
        }
    }

    private static T? Optional<T>(ITaskItem item, string metadata, Func<string, T> parse)
    {
        var value = item.GetMetadata(metadata);
        return string.IsNullOrWhiteSpace(value) ? default : parse(value);
    }
}
