using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Running;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks;

/// <summary>
/// Runs the benchmark executable in its own processes, one per launch, each writing its full JSON results to
/// its own folder. BenchmarkDotNet never loads into MSBuild. A process over the timeout is killed with its tree.
/// A/B mode (<see cref="BaseAssembly"/> set), PerfGateAbScheme=processes: each launch runs both builds, alternating
/// which goes first (A B, B A, A B, …), so every launch of one side has a partner of the other measured right next to
/// it in time; the base side's folders carry the same names under <see cref="BaseArtifactsDirectory"/>.
/// PerfGateAbScheme=interleaved (the default): the in-process runner (<see cref="AbRunner"/>) measures both builds in
/// one process, iterations alternated, into one result file that both sides' results name; what it cannot measure
/// (LPG0338), or everything when it fails (LPG0339), is then run the processes way.
/// </summary>
public sealed class RunBenchmarks : Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly SortedSet<string> _leftOut = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _excluded = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<string>> _ownProcess = new(StringComparer.Ordinal);
    private int _warmup;
    private int _iterations;
    private int _iterationTime;
    private int _perLaunch;
    private int _startedInLaunch;
    private int _startedInRun;
    private RunEstimate? _estimate;
    private Stopwatch _clock = new();
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

    /// <summary>PerfGateExclude: globs of benchmarks the entry point does not run (listed once).</summary>
    public string Exclude { get; set; } = "";

    /// <summary>The committed baseline, read only for the run's time estimate (its operation times).</summary>
    public string BaselineFile { get; set; } = "";

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

    /// <summary>PerfGateAbScheme: interleaved (the in-process runner) or processes.</summary>
    public string AbScheme { get; set; } = "";

    /// <summary>The in-process runner, Lyra.Perf.AbRunner.dll (the SDK's tools/net10.0/).</summary>
    public string AbRunner { get; set; } = "";

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
        // Every value is parsed up front, so a bad one is LPG0401 before anything runs.
        Settings.Job.Parse(Job);
        Settings.Exclude.Parse(Exclude);
        var launches = Settings.Launches.Parse(Launches);
        var timeout = Settings.Timeout.Parse(TimeoutSeconds);
        var scheme = Settings.AbScheme.Parse(AbScheme);
        _warmup = Settings.WarmupCount.Parse(WarmupCount);
        _iterations = Settings.IterationCount.Parse(IterationCount);
        _iterationTime = Settings.IterationTime.Parse(IterationTimeMs);
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
        // A new run replaces the last one entirely, so -t:PerfReport never mixes in launches of an older run, nor
        // takes an earlier A/B run's base side for this run's (a stored-baseline run removes the base side's folders too).
        var artifacts = sides.Select(s => s.Artifacts).Concat(AlternatesWithBase || string.IsNullOrEmpty(BaseArtifactsDirectory) ? Array.Empty<string>() : new[] { BaseArtifactsDirectory });
        foreach (var folder in artifacts.Where(a => Phase == "run" && Directory.Exists(a)))
        {
            foreach (var stale in Directory.GetDirectories(folder, "run-*").Concat(Directory.GetDirectories(folder, "confirm-*")))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        var results = new List<ITaskItem>();
        var baseResults = new List<ITaskItem>();
        var filters = BenchmarkArguments.Filters(Settings.Filter.Parse(Filter));
        _clock = Stopwatch.StartNew();
        var fallingBack = false;
        if (AlternatesWithBase && scheme == AbSchemes.Interleaved)
        {
            var framework = TargetFrameworkOf(BenchmarkAssembly);
            if (Settings.Job.Parse(Job) != "Gate")
            {
                Log.Log(new GateDiagnostic(DiagnosticCodes.InterleavedFallback, DiagnosticLevel.Message,
                    $"Lyra.Perf: PerfGateJob={Settings.Job.Parse(Job)}: every benchmark is measured in alternated launches (the in-process runner measures the gate's job only).") { File = ProjectFileOrNull });
            }
            else if (framework != RunnerFramework)
            {
                // The runner would measure the build on its own runtime, not the one the project targets.
                Log.Log(new GateDiagnostic(DiagnosticCodes.InterleavedFallback, DiagnosticLevel.Message,
                    $"Lyra.Perf: the benchmarks target {(framework.Length == 0 ? "a framework other than .NET" : framework)} and the in-process runner runs on {RunnerFramework}: every benchmark is measured in alternated launches.") { File = ProjectFileOrNull });
            }
            else
            {
                var interleaved = RunInterleaved(filters, timeout, launches);
                if (interleaved.Stop)
                {
                    return false;
                }

                if (interleaved.Folder is { } folder)
                {
                    results.Add(new TaskItem(folder));
                    baseResults.Add(new TaskItem(folder));
                }

                if (interleaved.Fallback is { } rest)
                {
                    if (rest.Count == 0)
                    {
                        ResultsDirectories = results.ToArray();
                        BaseResultsDirectories = baseResults.ToArray();
                        return !Log.HasLoggedErrors;
                    }

                    filters = rest;
                    fallingBack = true;
                }
            }
        }

        var abandoned = false;
        for (var launch = 1; launch <= launches && !abandoned; launch++)
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
                // A confirmation re-run says so, so its lines never read as a second run of the same benchmarks.
                var launchName = (Phase == "confirm" ? "confirmation launch" : "launch") + $" {launch} of {launches}";
                var what = side.Label.Length == 0 ? launchName : $"{launchName}, {side.Label}";
                _startedInLaunch = 0;
                _ownProcess.Clear();
                if (!RunProcess(side.Assembly, side.WorkingDirectory, Compose(filters, directory), what, TimeSpan.FromSeconds(timeout), directory, "", launches, sides.Length))
                {
                    return false;
                }

                if (_estimate is null && _ownProcess.Count > 0)
                {
                    // Every benchmark needs a process of its own: the main process counted none.
                    _perLaunch = _ownProcess.Values.Sum(v => v.Count);
                    _estimate = Estimate(_perLaunch, launches, sides.Length);
                    _console.Line($"Lyra.Perf: {(Phase == "run" ? "" : "confirming: ")}{_estimate.Describe()}.");
                }

                // Benchmarks whose job needs start-up settings ([GcServer(true)], environment variables): one process
                // per distinct set, started with it, its results in a folder of its own inside this launch's.
                var index = 0;
                foreach (var needed in _ownProcess.Keys.ToList())
                {
                    var folder = Path.Combine(directory, $"process-{++index}");
                    Directory.CreateDirectory(folder);
                    Log.LogMessage(MessageImportance.Normal, $"Lyra.Perf: {what}: a process with {ProcessSettings.Describe(needed)} for {string.Join(", ", _ownProcess[needed])}");
                    if (!RunProcess(side.Assembly, side.WorkingDirectory, Compose(filters, folder), what, TimeSpan.FromSeconds(timeout), folder, needed, launches, sides.Length))
                    {
                        return false;
                    }
                }

                (side.Label == "base" ? baseResults : results).Add(new TaskItem(directory));
                if (launch == 1 && Phase == "run" && side == order[order.Length - 1])
                {
                    if (_leftOut.Count > 0)
                    {
                        _console.Line($"Lyra.Perf: measured with the gate's job only; left out the job(s) declared on classes: {string.Join("; ", _leftOut)}. PerfGateJob=Declared runs them too.");
                    }

                    if (_excluded.Count > 0)
                    {
                        _console.Line($"Lyra.Perf: PerfGateExclude left out {_excluded.Count} benchmark(s), not run and not judged: {string.Join(", ", _excluded)}.");
                    }
                }

                if (fallingBack && side.Label != "base" && launch == 1 && Engine.Ingest.BenchmarkDotNetReader.FindReports(directory).Count == 0)
                {
                    // What the runner left to launches ran nowhere: said, never dropped silently.
                    Log.Log(new GateDiagnostic(DiagnosticCodes.InterleavedRunnerFailed, DiagnosticLevel.Warning,
                        $"These benchmarks were measured neither in the in-process runner nor in alternated launches (BenchmarkDotNet's filter selected none of them): {string.Join(", ", filters)}. They are not judged; -p:PerfGateAbScheme=processes measures every benchmark in launches.") { File = ProjectFileOrNull });
                    abandoned = true;
                    break;
                }

                if (!fallingBack && side.Label != "base" && launch == 1 && Phase == "run" && Engine.Ingest.BenchmarkDotNetReader.FindReports(directory).Count == 0)
                {
                    // Nothing matched: more launches would not help; say what exists so the filter can be fixed.
                    Log.Log(NothingSelected(filters, ListBenchmarks()) with { File = ProjectFileOrNull });
                    return false;
                }
            }
        }

        ResultsDirectories = results.ToArray();
        BaseResultsDirectories = baseResults.ToArray();
        return !Log.HasLoggedErrors;
    }

    /// <summary>What the in-process runner did: <c>Folder</c> = its results (both sides), null when it measured
    /// nothing usable; <c>Fallback</c> = the filters left to alternated launches (empty: none), null = all of them
    /// (the runner failed, LPG0339); <c>Stop</c> = cancelled or an input error: the task stops.</summary>
    private readonly record struct InterleavedOutcome(string? Folder, IReadOnlyList<string>? Fallback, bool Stop);

    private InterleavedOutcome RunInterleaved(IReadOnlyList<string> filters, int timeout, int launches)
    {
        var folder = Path.Combine(ArtifactsDirectory, InterleavedResults.FolderName(Phase));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, InterleavedResults.FileName);
        var logPath = Path.Combine(folder, BenchmarkLog.FileName);
        var seconds = AbSchemes.SecondsPerBenchmark(launches, _warmup, _iterations, _iterationTime);
        InterleavedOutcome Failed(string why)
        {
            Log.Log(new GateDiagnostic(DiagnosticCodes.InterleavedRunnerFailed, DiagnosticLevel.Warning,
                $"The in-process A/B runner {why}; its output is in {logPath}. Every benchmark is measured in alternated launches instead (-p:PerfGateAbScheme=processes skips the runner).") { File = ProjectFileOrNull });
            if (File.Exists(file))
            {
                File.Delete(file);
            }

            return new InterleavedOutcome(null, null, false);
        }

        if (string.IsNullOrEmpty(AbRunner) || !File.Exists(AbRunner))
        {
            return Failed($"'{AbRunner}' was not found (the SDK package's tools/net10.0/Lyra.Perf.AbRunner.dll)");
        }

        var environment = ChildEnvironment();
        // Tiered compilation off in the runner: the two sides share the framework's code, whose dynamic-PGO profile and tier-up would favour whichever side ran first (the lead's A = B runs, 2026-12-02).
        environment["DOTNET_TieredCompilation"] = "0";
        var arguments = new List<string>
        {
            AbRunner, "--current", BenchmarkAssembly, "--base", BaseAssembly, "--out", file, "--phase", Phase,
            "--seconds", seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
            "--filter", string.Join(BenchmarkNames.FilterSeparator.ToString(), filters),
        };
        if (Settings.Exclude.Parse(Exclude) is { Length: > 0 } exclude)
        {
            arguments.Add("--exclude");
            arguments.Add(exclude);
        }

        var request = new ProcessLaunch
        {
            FileName = DotNetHost,
            Arguments = arguments,
            WorkingDirectory = string.IsNullOrEmpty(WorkingDirectory) ? Path.GetDirectoryName(BenchmarkAssembly)! : WorkingDirectory,
            Environment = environment,
            LogPath = logPath,
            Timeout = TimeSpan.FromSeconds(timeout),
        };
        var what = Phase == "confirm" ? "confirming, interleaved in one process" : "interleaved in one process";
        Log.LogMessage(MessageImportance.Normal, $"Lyra.Perf: A/B {what}: {DotNetHost} {string.Join(" ", arguments.Select(BenchmarkArguments.Quote))}");
        var total = 0;
        var started = 0;
        string? current = null;
        RunEstimate? estimate = null;
        var gate = new object();
        void OnLine(string line, bool logged)
        {
            lock (gate)
            {
                if (logged)
                {
                    Log.LogMessage(MessageImportance.Low, line);
                }

                if (line.StartsWith(InterleavedResults.CountPrefix, StringComparison.Ordinal)
                    && line.Substring(InterleavedResults.CountPrefix.Length).Trim().Split(' ') is var count
                    && int.TryParse(count[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    // "benchmarks N P": each of N measured in P runner passes (both orders), each pass half the time.
                    var passes = count.Length > 1 && int.TryParse(count[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
                    total = n * passes;
                    estimate = new RunEstimate(total, 1, TimeSpan.FromSeconds(seconds / passes), false);
                    _console.Line($"Lyra.Perf: {(Phase == "run" ? "" : "confirming: ")}A/B {what}: {n} benchmark(s) × {RunEstimate.Format(TimeSpan.FromSeconds(seconds))} (both builds alternated{(passes > 1 ? $", in {passes} runner processes, each build first in one" : "")}) ≈ {RunEstimate.Format(estimate.Total)}.");
                }
                else if (line.StartsWith(InterleavedResults.StartedPrefix, StringComparison.Ordinal))
                {
                    current = line.Substring(InterleavedResults.StartedPrefix.Length).Trim();
                    started++;
                    _console.Progress(started, Math.Max(total, started), current, what, estimate?.Progress(_clock.Elapsed, started - 1));
                }
            }
        }

        var result = BenchmarkProcess.Run(request, OnLine, _cancel.Token);
        switch (result.End)
        {
            case ProcessEnd.Cancelled:
                Log.LogMessage(MessageImportance.High, "Lyra.Perf: cancelled; the in-process A/B runner was stopped.");
                return new InterleavedOutcome(null, null, true);
            case ProcessEnd.FailedToStart:
                return Failed($"could not be started with '{DotNetHost}': {result.StartError}");
            case ProcessEnd.TimedOut:
                return Failed($"ran longer than PerfGateTimeout={timeout} s and was killed ({started} benchmark(s) started{(current is null ? "" : ", the last one " + current)})");
        }

        if (result.ExitCode != 0)
        {
            return Failed($"exited with code {result.ExitCode}");
        }

        InterleavedRun run;
        try
        {
            run = InterleavedResults.Read(file);
        }
        catch (GateException ex)
        {
            return Failed($"wrote no usable result file ({ex.Diagnostic.Message})");
        }

        var fallback = run.Fallback.Select(f => f.Filter).Distinct(StringComparer.Ordinal).ToList();
        if (run.Fallback.Count > 0)
        {
            const int Shown = 20;
            Log.Log(new GateDiagnostic(DiagnosticCodes.InterleavedFallback, DiagnosticLevel.Message,
                $"Lyra.Perf: measured in alternated launches instead of interleaved: {string.Join("; ", run.Fallback.Take(Shown).Select(f => $"{f.Filter} ({f.Reason})"))}{(run.Fallback.Count > Shown ? $"; … ({run.Fallback.Count - Shown} more)" : "")}.")
            { File = ProjectFileOrNull });
        }

        if (run.Benchmarks.Count == 0 && fallback.Count == 0 && Phase == "run")
        {
            Log.Log(NothingSelected(filters, ListBenchmarks()) with { File = ProjectFileOrNull });
            return new InterleavedOutcome(null, null, true);
        }

        return new InterleavedOutcome(run.Benchmarks.Count > 0 ? folder : null, fallback, false);
    }

    /// <summary>The framework the in-process runner runs on: it measures only builds for the same one.</summary>
    private const string RunnerFramework = "net10.0";

    /// <summary>The "tfm" of the build's runtimeconfig.json ("net10.0"); empty without one (.NET Framework).</summary>
    private static string TargetFrameworkOf(string assembly)
    {
        var config = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        try
        {
            return File.Exists(config) ? System.Text.RegularExpressions.Regex.Match(File.ReadAllText(config), "\"tfm\"\\s*:\\s*\"([^\"]+)\"").Groups[1].Value : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>This process's environment for a child, without MSBuild's own variables (they would steer any child
    /// build back into this MSBuild).</summary>
    private static Dictionary<string, string?> ChildEnvironment()
    {
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "MSBUILD_EXE_PATH")
            .ToDictionary(k => k, k => (string?)null);
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return environment;
    }

    private IReadOnlyList<string> Compose(IReadOnlyList<string> filters, string directory) =>
        BenchmarkArguments.Compose(Settings.Job.Parse(Job), filters, directory, _warmup, _iterations, _iterationTime, ExtraArguments);

    /// <summary>The run's estimate, made when the first process has counted its benchmarks: the baseline's operation
    /// times for the benchmarks this run selects, else the job's shape.</summary>
    private RunEstimate Estimate(int benchmarksPerSide, int launches, int sides)
    {
        var operations = new List<double>();
        try
        {
            if (!string.IsNullOrEmpty(BaselineFile) && File.Exists(BaselineFile))
            {
                var filter = Settings.Filter.Parse(Filter);
                var exclude = Settings.Exclude.Parse(Exclude);
                operations.AddRange(Engine.Baselines.BaselineSerializer.Read(BaselineFile).Benchmarks
                    .Where(b => BenchmarkNames.Selects(filter, b.Key) && !BenchmarkNames.Excludes(exclude, b.Key))
                    .Select(b => b.Value.Measurement.TypicalNanoseconds)
                    .Where(n => n is not null)
                    .Select(n => n!.Value));
            }
        }
        catch (Exception ex) when (ex is GateException or IOException or UnauthorizedAccessException)
        {
            // An unreadable baseline is the judge's to report (LPG0301); the estimate just does without it.
        }

        var (perBenchmark, fromBaseline) = RunEstimate.Guess(operations, _warmup, _iterations, _iterationTime);
        return new RunEstimate(benchmarksPerSide * sides, launches, perBenchmark, fromBaseline, (1 + _ownProcess.Count) * sides);
    }

    private bool RunProcess(string assembly, string workingDirectory, IReadOnlyList<string> arguments, string launchName, TimeSpan remaining, string directory, string processSettings, int launches, int sides)
    {
        // MSBuild's own variables would steer any child build BenchmarkDotNet starts back into this MSBuild.
        var environment = ChildEnvironment();
        // The SDK's entry point keeps only the gate's job unless PerfGateJob=Declared (or a BenchmarkDotNet job) asks otherwise.
        var job = Settings.Job.Parse(Job);
        environment[BenchmarkArguments.JobsVariable] = job == "Gate" ? $"Gate {_warmup} {_iterations}" : job;
        environment[ProcessSettings.ExcludeVariable] = Settings.Exclude.Parse(Exclude);
        environment[ProcessSettings.Variable] = processSettings;
        foreach (var variable in ProcessSettings.Variables(processSettings))
        {
            environment[variable.Key] = variable.Value;
        }

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
                else if (ProcessSettings.Excluded(line) is { } excluded)
                {
                    _excluded.Add(excluded);
                }
                else if (ProcessSettings.OwnProcess(line) is { } own)
                {
                    if (!_ownProcess.TryGetValue(own.Settings, out var names))
                    {
                        _ownProcess[own.Settings] = names = new List<string>();
                    }

                    names.Add(own.Benchmark);
                }
                else if (ProcessSettings.NotInEffect(line) is { } missing)
                {
                    Log.LogMessage(MessageImportance.High, $"Lyra.Perf: {launchName}: the process started with {missing} does not have it in effect; its benchmarks ran without it and it is not recorded (LPG0210).");
                }
                else if (BenchmarkOutput.TotalBenchmarks(line) is { } n)
                {
                    if (processSettings.Length == 0)
                    {
                        // The main process counts its own benchmarks and names those that need a process of their own.
                        _perLaunch = n + _ownProcess.Values.Sum(v => v.Count);
                        if (_estimate is null)
                        {
                            _estimate = Estimate(_perLaunch, launches, sides);
                            _console.Line($"Lyra.Perf: {(Phase == "run" ? "" : "confirming: ")}{_estimate.Describe()}.");
                        }
                    }
                }
                else if (BenchmarkOutput.StartedBenchmark(line) is { } name)
                {
                    started++;
                    current = name;
                    _startedInLaunch++;
                    _startedInRun++;
                    var timing = _estimate?.Progress(_clock.Elapsed, _startedInRun - 1);
                    _console.Progress(_startedInLaunch, Math.Max(_perLaunch, _startedInLaunch), name, launchName, timing);
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
