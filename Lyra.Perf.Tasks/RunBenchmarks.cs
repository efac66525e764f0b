using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Running;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks;

/// <summary>
/// Runs the benchmark executable in its own processes, one per launch, each writing its full JSON results to
/// its own folder. BenchmarkDotNet never loads into MSBuild. A process over the timeout is killed with its tree.
/// A/B mode (<see cref="BaseAssembly"/> set): each launch runs both builds, alternating which goes first
/// (A B, B A, A B, …), so every launch of one side has a partner of the other measured right next to it in time;
/// the base side's folders carry the same names under <see cref="BaseArtifactsDirectory"/>.
/// </summary>
public sealed class RunBenchmarks : Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly SortedSet<string> _leftOut = new(StringComparer.Ordinal);
    private int _warmup;
    private int _iterations;
    private Logging.GateConsole _console = null!;

    /// <summary>The dotnet host; the benchmark assembly runs directly under it (no `dotnet run`: ~3 s saved).</summary>
    [Required]
    public string DotNetHost { get; set; } = "";

    [Required]
    public string BenchmarkAssembly { get; set; } = "";

    [Required]
    public string ArtifactsDirectory { get; set; } = "";

    public string WorkingDirectory { get; set; } = "";

    /// <summary>The benchmark project, where LPG0304/LPG0306 point.</summary>
    public string ProjectFile { get; set; } = "";

    // Raw property values; blank means the default of Engine.Options.Settings (no defaults of the task's own).
    public string Job { get; set; } = "";

    public string Filter { get; set; } = "";

    public string Launches { get; set; } = "";

    public string TimeoutSeconds { get; set; } = "";

    public string WarmupCount { get; set; } = "";

    public string IterationCount { get; set; } = "";

    public string IterationTimeMs { get; set; } = "";

    public string ExtraArguments { get; set; } = "";

    /// <summary>Names the folders ("run", "confirm") so a confirmation never overwrites the first results.</summary>
    public string Phase { get; set; } = "run";

    [Output]
    public ITaskItem[] ResultsDirectories { get; private set; } = Array.Empty<ITaskItem>();

    /// <summary>A/B mode: the base commit's built benchmark assembly, run alternately with <see cref="BenchmarkAssembly"/>.</summary>
    public string BaseAssembly { get; set; } = "";

    /// <summary>A/B mode: where the base side's launch folders go.</summary>
    public string BaseArtifactsDirectory { get; set; } = "";

    /// <summary>A/B mode: the base side's working directory (its copy of the project folder).</summary>
    public string BaseWorkingDirectory { get; set; } = "";

    [Output]
    public ITaskItem[] BaseResultsDirectories { get; private set; } = Array.Empty<ITaskItem>();

    private bool AlternatesWithBase => !string.IsNullOrEmpty(BaseAssembly);

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        _console = new Logging.GateConsole(this);
        try
        {
            return Run();
        }
        catch (GateException ex)
        {
            Log.Log(ex.Diagnostic.File is null ? ex.Diagnostic with { File = ProjectFileOrNull } : ex.Diagnostic);
            return false;
        }
        catch (Exception ex) when (TaskBoundary.IsRecoverable(ex))
        {
            Log.Log(TaskBoundary.Unexpected(ex, "running the benchmarks", BenchmarkAssembly));
            return false;
        }
    }

    private bool Run()
    {
        var job = Settings.Job.Parse(Job);
        var launches = Settings.Launches.Parse(Launches);
        var timeout = Settings.Timeout.Parse(TimeoutSeconds);
        var warmup = _warmup = Settings.WarmupCount.Parse(WarmupCount);
        var iterations = _iterations = Settings.IterationCount.Parse(IterationCount);
        var iterationTime = Settings.IterationTime.Parse(IterationTimeMs);
        if (!File.Exists(BenchmarkAssembly))
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkProcessFailed, DiagnosticLevel.Error, $"The benchmark assembly '{BenchmarkAssembly}' was not built.") { File = ProjectFileOrNull });
            return false;
        }

        if (AlternatesWithBase && !File.Exists(BaseAssembly))
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.BaseBuildFailed, DiagnosticLevel.Error, $"The base commit's benchmark assembly '{BaseAssembly}' was not built."));
            return false;
        }

        var sides = AlternatesWithBase
            ? new[] { (Assembly: BenchmarkAssembly, Artifacts: ArtifactsDirectory, WorkingDirectory, Label: "current"), (Assembly: BaseAssembly, Artifacts: BaseArtifactsDirectory, WorkingDirectory: BaseWorkingDirectory, Label: "base") }
            : new[] { (Assembly: BenchmarkAssembly, Artifacts: ArtifactsDirectory, WorkingDirectory, Label: "") };
        foreach (var side in sides.Where(s => Phase == "run" && Directory.Exists(s.Artifacts)))
        {
            // A new run replaces the last one entirely, so -t:PerfReport never mixes in launches of an older run.
            foreach (var stale in Directory.GetDirectories(side.Artifacts, "run-*").Concat(Directory.GetDirectories(side.Artifacts, "confirm-*")))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        var results = new List<ITaskItem>();
        var baseResults = new List<ITaskItem>();
        for (var launch = 1; launch <= launches; launch++)
        {
            // A B, then B A, …: whichever side a slow spell favours in one launch, it favours the other in the next.
            var order = launch % 2 == 1 ? sides : Enumerable.Reverse(sides).ToArray();
            foreach (var side in order)
            {
                var directory = Path.Combine(side.Artifacts, $"{Phase}-{launch}");
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                Directory.CreateDirectory(directory);
                var arguments = BenchmarkArguments.Compose(job, BenchmarkArguments.Filters(Settings.Filter.Parse(Filter)), directory, warmup, iterations, iterationTime, ExtraArguments);
                // A confirmation re-run says so, so its lines never read as a second run of the same benchmarks.
                var launchName = (Phase == "confirm" ? "confirmation launch" : "launch") + $" {launch} of {launches}";
                var what = side.Label.Length == 0 ? launchName : $"{launchName}, {side.Label}";
                if (!RunProcess(side.Assembly, side.WorkingDirectory, arguments, what, TimeSpan.FromSeconds(timeout), directory))
                {
                    return false;
                }

                (side.Label == "base" ? baseResults : results).Add(new TaskItem(directory));
                if (launch == 1 && Phase == "run" && _leftOut.Count > 0 && side == order[order.Length - 1])
                {
                    _console.Line($"Lyra.Perf: measured with the gate's job only; left out the job(s) declared on classes: {string.Join("; ", _leftOut)}. PerfGateJob=Declared runs them too.");
                }

                if (side.Label != "base" && launch == 1 && Phase == "run" && Engine.Ingest.BenchmarkDotNetReader.FindReports(directory).Count == 0)
                {
                    // Nothing matched: more launches would not help; say what exists so the filter can be fixed.
                    Log.Log(NothingSelected(BenchmarkArguments.Filters(Settings.Filter.Parse(Filter)), ListBenchmarks()) with { File = ProjectFileOrNull });
                    return false;
                }
            }
        }

        ResultsDirectories = results.ToArray();
        BaseResultsDirectories = baseResults.ToArray();
        return !Log.HasLoggedErrors;
    }

    private bool RunProcess(string assembly, string workingDirectory, IReadOnlyList<string> arguments, string launchName, TimeSpan remaining, string directory)
    {
        // MSBuild's own variables would steer any child build BenchmarkDotNet starts back into this MSBuild.
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "MSBUILD_EXE_PATH")
            .ToDictionary(k => k, k => (string?)null);
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The SDK's entry point keeps only the gate's job unless PerfGateJob=Declared (or a BenchmarkDotNet job) asks otherwise.
        environment[BenchmarkArguments.JobsVariable] = string.Equals(Job, "Gate", StringComparison.OrdinalIgnoreCase) ? $"Gate {_warmup} {_iterations}" : Job;
        var logPath = Path.Combine(directory, BenchmarkLog.FileName);
        var request = new ProcessLaunch
        {
            FileName = DotNetHost,
            Arguments = new[] { assembly }.Concat(arguments).ToList(),
            WorkingDirectory = string.IsNullOrEmpty(workingDirectory) ? Path.GetDirectoryName(assembly)! : workingDirectory,
            Environment = environment,
            LogPath = logPath,
            Timeout = remaining,
        };
        Log.LogMessage(MessageImportance.Normal, $"Lyra.Perf: {launchName}: {DotNetHost} {string.Join(" ", request.Arguments.Select(BenchmarkArguments.Quote))}");

        var total = 0;
        var started = 0;
        string? current = null;
        var gate = new object();
        void OnLine(string line, bool logged)
        {
            lock (gate)
            {
                if (logged)
                {
                    Log.LogMessage(MessageImportance.Low, line);
                }

                if (line.StartsWith(BenchmarkArguments.LeftOutPrefix, StringComparison.Ordinal))
                {
                    _leftOut.Add(line.Substring(BenchmarkArguments.LeftOutPrefix.Length));
                }
                else if (BenchmarkOutput.TotalBenchmarks(line) is { } n)
                {
                    total = n;
                }
                else if (BenchmarkOutput.StartedBenchmark(line) is { } name)
                {
                    started++;
                    current = name;
                    _console.Progress(started, Math.Max(total, started), name, launchName);
                }
            }
        }

        var result = BenchmarkProcess.Run(request, OnLine, _cancel.Token);
        if (result.LinesNotLogged > 0)
        {
            Log.LogMessage(MessageImportance.High, $"Lyra.Perf: {result.LinesNotLogged} line(s) of benchmark output beyond {BenchmarkProcess.DefaultLogLimitBytes / (1024 * 1024)} MB were not written to {logPath}.");
        }

        switch (result.End)
        {
            case ProcessEnd.FailedToStart:
                Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkProcessFailed, DiagnosticLevel.Error, $"Could not start the benchmark process '{DotNetHost}': {result.StartError}.") { File = ProjectFileOrNull });
                return false;
            case ProcessEnd.Cancelled:
                Log.LogMessage(MessageImportance.High, "Lyra.Perf: cancelled; the benchmark process was stopped.");
                return false;
            case ProcessEnd.TimedOut:
                Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkTimedOut, DiagnosticLevel.Error,
                    $"The benchmark process ran longer than PerfGateTimeout={TimeoutSeconds} s and was killed with its child processes ({launchName}, {started} benchmark(s) started{(current is null ? "" : ", the last one " + current)}; last output in {logPath}). Raise PerfGateTimeout, or find the benchmark that hangs.")
                { File = ProjectFileOrNull });
                return false;
        }

        if (result.ExitCode != 0)
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.BenchmarkProcessFailed, DiagnosticLevel.Error,
                $"The benchmark process exited with code {result.ExitCode} ({launchName}); its output is in {logPath}.")
            { File = ProjectFileOrNull });
            return false;
        }

        return true;
    }

    /// <summary>The benchmarks the assembly has (BenchmarkDotNet's --list flat: names without parameters), or null when it cannot say.</summary>
    private IReadOnlyList<string>? ListBenchmarks()
    {
        var start = new ProcessStartInfo(DotNetHost, BenchmarkArguments.Quote(BenchmarkAssembly) + " " + string.Join(" ", Engine.Sharding.BenchmarkList.Arguments(null).Select(BenchmarkArguments.Quote)))
        {
            WorkingDirectory = Path.GetDirectoryName(BenchmarkAssembly)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60000))
            {
                KillTree(process);
                return null;
            }

            return Engine.Sharding.BenchmarkList.Parse(output);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            Log.LogMessage(MessageImportance.Low, $"Lyra.Perf: could not list the benchmarks: {ex.Message}");
            return null;
        }
    }

    private static GateDiagnostic NothingSelected(IReadOnlyList<string> filters, IReadOnlyList<string>? available)
    {
        const int Shown = 40;
        var what = available is null ? "" : available.Count == 0 ? " The assembly has no benchmarks at all."
            : $" It has {available.Count}: {string.Join(", ", available.Take(Shown))}{(available.Count > Shown ? $", … ({available.Count - Shown} more)" : "")}.";
        return new GateDiagnostic(DiagnosticCodes.NoBenchmarks, DiagnosticLevel.Error,
            $"PerfGateFilter '{string.Join(";", filters)}' selects no benchmark.{what} A filter is a glob over the full name, with parameters as BenchmarkDotNet writes them (*Hash*(N: 1024)); separate several with ';'.");
    }

    private static void KillTree(Process process)
    {
        try
        {
#if NET
            process.Kill(entireProcessTree: true);
#else
            if (Environment.OSVersion.Platform == PlatformID.Win32NT)
            {
                using var taskkill = Process.Start(new ProcessStartInfo("taskkill", $"/T /F /PID {process.Id}") { UseShellExecute = false, CreateNoWindow = true });
                taskkill?.WaitForExit(10000);
            }
            else
            {
                process.Kill();
            }
#endif
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Where process diagnostics point: the benchmark project (not the SDK's targets file).</summary>
    private string? ProjectFileOrNull => string.IsNullOrEmpty(ProjectFile) ? null : ProjectFile;
}
