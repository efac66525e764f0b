using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Running;
using Lyra.Perf.Engine.Sharding;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks;

/// <summary>
/// PerfGateShard=K/N: lists the suite's benchmarks (BenchmarkDotNet's --list flat, nothing runs), splits them with the
/// engine's planner, writes the shard manifest beside the results and returns the filter for this shard's benchmarks.
/// </summary>
public sealed class SelectShard : Task
{
    [Required]
    public string DotNetHost { get; set; } = "";

    [Required]
    public string BenchmarkAssembly { get; set; } = "";

    [Required]
    public string Shard { get; set; } = "";

    /// <summary>Where the manifest goes (the artifacts folder a CI job uploads).</summary>
    [Required]
    public string ManifestFile { get; set; } = "";

    public string WorkingDirectory { get; set; } = "";

    public string Filter { get; set; } = "*";

    /// <summary>PerfGateExclude: the listing leaves these out too (the entry point applies it), so no shard plans them.</summary>
    public string Exclude { get; set; } = "";

    /// <summary>The committed baseline: its measured times balance the shards.</summary>
    public string BaselineFile { get; set; } = "";

    public string IterationTimeMs { get; set; } = "";

    /// <summary>PerfClaim items: a claim's two sides share a shard (they are compared within one run).</summary>
    public ITaskItem[] Claims { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>This shard's BenchmarkDotNet filter globs (';'-separated); empty when the shard owns no benchmark.</summary>
    [Output]
    public string RunFilter { get; private set; } = "";

    public override bool Execute()
    {
        try
        {
            var shard = ShardSpec.Parse(Shard);
            var iterationTime = Settings.IterationTime.Parse(IterationTimeMs);
            var names = List();
            if (names is null)
            {
                return false;
            }

            var baseline = !string.IsNullOrEmpty(BaselineFile) && File.Exists(BaselineFile) ? BaselineSerializer.Read(BaselineFile) : null;
            var claims = Claims.Where(c => c.GetMetadata("Baseline").Length > 0).Select(c => new PerfClaim(c.ItemSpec, c.GetMetadata("Baseline"))).ToList();
            var plan = ShardPlanner.Plan(names, shard.Count, ShardPlanner.Costs(baseline, iterationTime * 1e6), ShardPlanner.ClaimGroups(names, claims));
            var manifest = ShardManifest.FromPlan(plan, shard, Filter, Settings.Exclude.Parse(Exclude));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ManifestFile))!);
            AtomicFile.WriteAllText(ManifestFile, manifest.Serialize());

            var owned = manifest.Owned;
            var share = plan.Loads.Sum() > 0 ? plan.Loads[shard.Index - 1] / plan.Loads.Sum() : 0;
            Log.LogMessage(MessageImportance.High,
                $"Lyra.Perf: {shard.Label}: {owned.Count} of {names.Count} benchmark methods (about {share:P0} of the suite's estimated time{(baseline is null ? ", split by count: no baseline yet" : "")}); plan in {ManifestFile}.");
            RunFilter = string.Join(";", manifest.RunFilters());
        }
        catch (GateException ex)
        {
            Log.Log(ex.Diagnostic);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The benchmark names from --list flat, or null after logging why they could not be listed.</summary>
    private System.Collections.Generic.IReadOnlyList<string>? List()
    {
        if (!File.Exists(BenchmarkAssembly))
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkProcessFailed, DiagnosticLevel.Error, $"The benchmark assembly '{BenchmarkAssembly}' was not built."));
            return null;
        }

        var commandLine = BenchmarkArguments.Quote(BenchmarkAssembly) + " " + string.Join(" ", BenchmarkList.Arguments(Filter).Select(BenchmarkArguments.Quote));
        var start = new ProcessStartInfo(DotNetHost, commandLine)
        {
            WorkingDirectory = string.IsNullOrEmpty(WorkingDirectory) ? Path.GetDirectoryName(BenchmarkAssembly)! : WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment[ProcessSettings.ExcludeVariable] = Settings.Exclude.Parse(Exclude);

        Log.LogMessage(MessageImportance.Normal, $"Lyra.Perf: listing the benchmarks: {DotNetHost} {commandLine}");
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Append(e.Data).Append('\n'); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Log.LogMessage(MessageImportance.Low, e.Data); } };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkProcessFailed, DiagnosticLevel.Error, $"Could not start '{DotNetHost}' to list the benchmarks: {ex.Message}."));
            return null;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Listing loads the assembly and reflects over it: seconds, even for large suites.
        if (!process.WaitForExit(5 * 60 * 1000))
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkProcessFailed, DiagnosticLevel.Error, $"Listing the benchmarks ({commandLine}) did not finish within 5 minutes."));
            return null;
        }

        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        if (process.ExitCode != 0)
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkProcessFailed, DiagnosticLevel.Error, $"Listing the benchmarks exited with code {process.ExitCode}: {text.Trim()}"));
            return null;
        }

        var names = BenchmarkList.Parse(text);
        if (names.Count == 0)
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.NoBenchmarks, DiagnosticLevel.Error,
                $"BenchmarkDotNet listed no benchmarks for PerfGateFilter='{Filter}', so there is nothing to split into shards. Check the filter, and that the project's Main passes args to BenchmarkSwitcher (or let the SDK supply the entry point)."));
            return null;
        }

        return names;
    }
}
