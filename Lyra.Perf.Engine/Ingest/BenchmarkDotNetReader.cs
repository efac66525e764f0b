using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Json;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Ingest;

/// <summary>
/// Reads BenchmarkDotNet's full JSON reports (<c>*-report-full.json</c>, or the compressed form), and the gate's own
/// cut of them (<c>*-report-lyra.json</c>, written by the SDK's PerfGateResultsExporter: the same report, not indented,
/// with only the workload iterations read here), which is taken instead of the full report of the same title.
/// Several reports of one benchmark are several launches; a benchmark with <c>"Statistics": null</c> failed.
/// </summary>
public static class BenchmarkDotNetReader
{
    private const string FullSuffix = "-report-full.json";

    /// <summary>The SDK's PerfGateCpuDiagnoser writes these metric ids (Lyra.Perf.Sdk/Sdk/PerfGateCpuDiagnoser.cs).</summary>
    public const string CoresUsedMetric = "Lyra.Perf.CoresUsed";

    public const string OtherLoadMetric = "Lyra.Perf.OtherLoad";
    private const string CompressedSuffix = "-report-full-compressed.json";

    /// <summary>The SDK's PerfGateResultsExporter's file (Lyra.Perf.Sdk/Sdk/PerfGateResultsExporter.cs).</summary>
    public const string GateSuffix = "-report-lyra.json";

    /// <summary>Every report under <paramref name="directory"/>, recursively, one per export: the gate's cut where there
    /// is one, else the full report (its compressed twin skipped), else the compressed one.</summary>
    public static IReadOnlyList<string> FindReports(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return Array.Empty<string>();
        }

        var files = Directory.EnumerateFiles(directory, "*-report-*.json", SearchOption.AllDirectories)
            .Where(f => Title(f) is not null)
            .ToList();
        var set = new HashSet<string>(files, StringComparer.Ordinal);
        return files
            .Where(f => f.EndsWith(GateSuffix, StringComparison.OrdinalIgnoreCase)
                || (!set.Contains(Title(f) + GateSuffix)
                    && !(f.EndsWith(CompressedSuffix, StringComparison.OrdinalIgnoreCase) && set.Contains(Title(f) + FullSuffix))))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The path without its report suffix, or null when it is not a report this reader takes.</summary>
    private static string? Title(string path) =>
        new[] { GateSuffix, FullSuffix, CompressedSuffix }.FirstOrDefault(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase)) is { } suffix
            ? path.Substring(0, path.Length - suffix.Length)
            : null;

    /// <summary>Reads every report in the given folders. Unreadable reports become LPG0302 diagnostics; the rest still count.</summary>
    public static (RunResult Run, IReadOnlyList<GateDiagnostic> Problems) ReadDirectories(IEnumerable<string> directories)
    {
        var reports = directories.SelectMany(FindReports).Distinct(StringComparer.Ordinal).ToList();
        return ReadFiles(reports);
    }

    public static (RunResult Run, IReadOnlyList<GateDiagnostic> Problems) ReadFiles(IEnumerable<string> files)
    {
        var problems = new List<GateDiagnostic>();
        var parsed = new List<ParsedReport>();
        // Reports are independent (one per class and launch): read on every core, combined in file order.
        var paths = files.ToList();
        var outcomes = new (ParsedReport? Report, GateDiagnostic? Problem)[paths.Count];
        var unexpected = new System.Runtime.ExceptionServices.ExceptionDispatchInfo?[paths.Count];
        System.Threading.Tasks.Parallel.For(0, paths.Count, i =>
        {
            var file = paths[i];
            try
            {
                using var bytes = InputFile.ReadRented(file, InputFile.MaxReportBytes);
                outcomes[i] = (ReadReport(bytes, file, Running.ProcessSettings.AppliedTo(file)), null);
            }
            catch (GateException ex)
            {
                outcomes[i] = (null, ex.Diagnostic);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                outcomes[i] = (null, new GateDiagnostic(DiagnosticCodes.ResultsUnreadable, DiagnosticLevel.Error, $"Benchmark results unreadable: {ex.Message}.") { File = file });
            }
            catch (Exception ex)
            {
                // Thrown as it was, not wrapped in an AggregateException: the task's boundary judges it.
                unexpected[i] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
        });
        unexpected.FirstOrDefault(e => e is not null)?.Throw();
        foreach (var (report, problem) in outcomes)
        {
            if (report is not null)
            {
                parsed.Add(report);
            }
            else
            {
                problems.Add(problem!);
            }
        }

        var notInEffect = parsed.SelectMany(p => p.NotInEffect).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (notInEffect.Count > 0)
        {
            const int Shown = 10;
            problems.Add(new GateDiagnostic(DiagnosticCodes.JobSettingNotInEffect, DiagnosticLevel.Warning,
                $"These job settings were not in effect, so the benchmarks ran without them and they are not recorded: {string.Join(", ", notInEffect.Take(Shown))}{(notInEffect.Count > Shown ? $", … ({notInEffect.Count - Shown} more)" : "")}. "
                + "The gate's job runs in the host's runtime (a runtime, JIT or platform of its own needs another), and start-up settings such as [GcServer(true)] take effect only in a process the gate starts with them; to measure with them, use an out-of-process job (PerfGateJob=Short, Medium or Default), which applies them."));
        }

        return (Merge(parsed), problems);
    }

    /// <summary>Combines reports: the same benchmark id in several reports becomes several launches.</summary>
    public static RunResult Merge(IReadOnlyList<ParsedReport> reports)
    {
        var byId = new Dictionary<string, List<BenchmarkMeasurement>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var benchmark in reports.SelectMany(r => r.Benchmarks))
        {
            if (!byId.TryGetValue(benchmark.Id, out var list))
            {
                byId[benchmark.Id] = list = new List<BenchmarkMeasurement>();
                order.Add(benchmark.Id);
            }

            list.Add(benchmark);
        }

        var merged = order.Select(id =>
        {
            var parts = byId[id];
            var failures = parts.Where(p => p.Failed).ToList();
            var first = parts[0];
            return first with
            {
                Launches = parts.SelectMany(p => p.Launches).ToList(),
                Failure = failures.Count == 0 ? null
                    : failures.Count == parts.Count ? failures[0].Failure
                    : $"{failures[0].Failure} (in {failures.Count} of {parts.Count} reports)",
            };
        }).ToList();

        return new RunResult
        {
            // Every report's jobs: a class with a job of its own ([GcServer(true)] run in its own process) is part of the run's.
            Environment = reports.Count == 0 ? new RunEnvironment() : reports[0].Environment with
            {
                Job = RunEnvironment.JoinJobs(reports.SelectMany(r => RunEnvironment.SplitJobs(r.Environment.Job))),
            },
            Benchmarks = merged,
        };
    }

    public sealed record ParsedReport(RunEnvironment Environment, IReadOnlyList<BenchmarkMeasurement> Benchmarks)
    {
        /// <summary>Job settings the run asked for but could not apply in process ("Server=True (Ns.T.M)"): not recorded.</summary>
        public IReadOnlyList<string> NotInEffect { get; init; } = Array.Empty<string>();
    }

    /// <param name="processSettingsApplied">The report's process was started with its jobs' start-up settings and checked
    /// they were in effect (<see cref="Running.ProcessSettings"/>): those are recorded; a runtime, JIT or platform still is not.</param>
    /// <param name="streamed">Try <see cref="ReportStreamReader"/> first (the same result without a tree); the tree
    /// reads whatever it hands back, and words every error. False: the tree alone (tests compare the two).</param>
    public static ParsedReport ReadReport(byte[] utf8, string path, bool processSettingsApplied = false, bool streamed = true)
    {
        if (streamed && ReportStreamReader.TryRead(utf8, utf8.Length, path, processSettingsApplied) is { } fast)
        {
            return fast;
        }

        return ReadTree(utf8, path, processSettingsApplied);
    }

    /// <summary>A report read into a pooled array (<see cref="ReadReport(byte[], string, bool, bool)"/>, without a copy
    /// unless the tree must read it).</summary>
    private static ParsedReport ReadReport(RentedBytes utf8, string path, bool processSettingsApplied) =>
        ReportStreamReader.TryRead(utf8.Array, utf8.Length, path, processSettingsApplied) ?? ReadTree(utf8.ToArray(), path, processSettingsApplied);

    private static ParsedReport ReadTree(byte[] utf8, string path, bool processSettingsApplied)
    {
        JsonTree root;
        try
        {
            root = JsonTree.Parse(utf8);
        }
        catch (JsonSyntaxException ex)
        {
            throw Problem(path, ex.Line, ex.Column, $"not valid JSON: {ex.Message}");
        }

        if (root.Kind != JsonValueKind.Object || root["Benchmarks"] is not { Kind: JsonValueKind.Array } benchmarksNode)
        {
            throw Problem(path, root.Line, root.Column, "not a BenchmarkDotNet full JSON report (no 'Benchmarks' array); export with --exporters fulljson");
        }

        var host = root["HostEnvironmentInfo"];
        var named = new List<(JsonTree Node, string FullName)>();
        foreach (var node in benchmarksNode.Items)
        {
            if (node.Kind != JsonValueKind.Object || node["FullName"]?.AsString() is not { Length: > 0 } fullName)
            {
                throw Problem(path, node.Line, node.Column, "a benchmark entry has no 'FullName'");
            }

            named.Add((node, fullName));
        }

        var (jobs, notInEffect) = JobSettingsInEffect(named.Select(e => (e.FullName, e.Node["DisplayInfo"]?.AsString(), e.Node["Parameters"]?.AsString())).ToList(), processSettingsApplied);
        var entries = named.Select((e, i) => (e.Node, e.FullName, Job: jobs[i])).ToList();

        var ids = Ids(entries.Select(e => (e.FullName, e.Job)).ToList());
        var benchmarks = new List<BenchmarkMeasurement>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (!seen.Add(ids[i]))
            {
                throw Problem(path, entries[i].Node.Line, entries[i].Node.Column, $"benchmark '{ids[i]}' appears twice with identical job settings; give the jobs distinct ids or settings");
            }

            benchmarks.Add(ReadBenchmark(entries[i].Node, ids[i], path));
        }

        var environment = new RunEnvironment
        {
            Os = host?["OsVersion"]?.AsString() ?? "",
            Cpu = host?["ProcessorName"]?.AsString() ?? "",
            LogicalCores = Cores(host?["LogicalCoreCount"], path),
            Runtime = host?["RuntimeVersion"]?.AsString() ?? "",
            Architecture = host?["Architecture"]?.AsString() ?? "",
            BenchmarkDotNetVersion = host?["BenchmarkDotNetVersion"]?.AsString() ?? "",
            Job = RunEnvironment.JoinJobs(entries.Select(e => e.Job)),
        };
        return new ParsedReport(environment, benchmarks) { NotInEffect = notInEffect };
    }

    /// <summary>Each entry's benchmark id: its FullName, or where a class-level [Config] added jobs and the same FullName
    /// appears once per job, the FullName and the job's settings (never BenchmarkDotNet's random job id), so no two
    /// results are merged silently.</summary>
    internal static IReadOnlyList<string> Ids(IReadOnlyList<(string FullName, string Job)> entries)
    {
        var repeated = new HashSet<string>(entries.GroupBy(e => e.FullName, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key), StringComparer.Ordinal);
        return entries.Select(e => repeated.Contains(e.FullName) ? $"{e.FullName} [{e.Job}]" : e.FullName).ToList();
    }

    /// <summary>What an in-process job cannot choose: the runtime it runs in is the host's (BenchmarkDotNet's
    /// InProcessValidator checks the same list). Such a setting was not in effect, so it is never recorded.</summary>
    private static readonly string[] HostSettings = { "Runtime", "Jit", "Platform" };

    /// <summary>What the runtime reads at process start: in effect only in a process started with them.</summary>
    private static readonly string[] StartupSettings = { "Server", "Concurrent", "CpuGroups", "NoAffinitize", "RetainVm", "HeapCount", "HeapAffinitizeMask", "EnvironmentVariables" };

    /// <summary><see cref="JobSettings"/>, minus the settings an in-process toolchain could not apply (<paramref name="ignored"/>).</summary>
    /// <param name="processSettingsApplied">The process was started with the start-up settings and checked them.</param>
    public static string JobSettingsInEffect(string? displayInfo, string? parameters, out IReadOnlyList<string> ignored, bool processSettingsApplied = false)
    {
        (var settings, ignored) = InEffect(JobSettings(displayInfo, parameters), processSettingsApplied);
        return settings;
    }

    /// <summary>A report's entries' job settings in effect (<see cref="JobSettingsInEffect(string?, string?, out IReadOnlyList{string}, bool)"/>),
    /// and each ignored setting with the benchmark it was declared on ("Server=True (Ns.Type.Method)"): a report's
    /// benchmarks share a few jobs, so each job's settings are split once per report, not once per benchmark.</summary>
    internal static (IReadOnlyList<string> Jobs, IReadOnlyList<string> NotInEffect) JobSettingsInEffect(IReadOnlyList<(string FullName, string? DisplayInfo, string? Parameters)> entries, bool processSettingsApplied)
    {
        var known = new Dictionary<string, (string Job, IReadOnlyList<string> Ignored)>(StringComparer.Ordinal);
        var jobs = new List<string>();
        var notInEffect = new List<string>();
        foreach (var (fullName, displayInfo, parameters) in entries)
        {
            var settings = JobSettings(displayInfo, parameters);
            if (!known.TryGetValue(settings, out var job))
            {
                known[settings] = job = InEffect(settings, processSettingsApplied);
            }

            jobs.Add(job.Job);
            notInEffect.AddRange(job.Ignored.Select(setting => $"{setting} ({fullName})"));
        }

        return (jobs, notInEffect);
    }

    private static (string Job, IReadOnlyList<string> Ignored) InEffect(string settings, bool processSettingsApplied)
    {
        var parts = settings.Split(new[] { ", " }, StringSplitOptions.None);
        if (!parts.Any(p => p.StartsWith("Toolchain=InProcess", StringComparison.Ordinal)))
        {
            return (settings, Array.Empty<string>());
        }

        bool Names(string part, string name) => part.Length > name.Length && part[name.Length] == '=' && part.StartsWith(name, StringComparison.Ordinal);
        bool ProcessWide(string part) => HostSettings.Any(name => Names(part, name)) || (!processSettingsApplied && StartupSettings.Any(name => Names(part, name)));
        var ignored = parts.Where(ProcessWide).ToList();
        return (ignored.Count == 0 ? settings : string.Join(", ", parts.Where(p => !ProcessWide(p))), ignored);
    }

    /// <summary>
    /// "Type.Method: Job-ABCDEF(IterationCount=10, …) [N=1024]" → "IterationCount=10, …": the job's settings only.
    /// The random job id is dropped, and so is BenchmarkDotNet's parameter suffix, so the fingerprint never
    /// depends on which parameter values ran.
    /// </summary>
    /// <param name="parameters">The report's "Parameters" field ("N=1024&amp;M=2"); its first name locates the suffix.</param>
    public static string JobSettings(string? displayInfo, string? parameters = null)
    {
        if (string.IsNullOrEmpty(displayInfo))
        {
            return "";
        }

        // Cut as spans, one string made: the reader calls this for every benchmark of every launch.
        var job = displayInfo.AsSpan();
        var colon = job.IndexOf(": ".AsSpan(), StringComparison.Ordinal);
        if (colon >= 0)
        {
            job = job.Slice(colon + 2);
        }

        if (!string.IsNullOrEmpty(parameters))
        {
            // BenchmarkDotNet appends " [Name=value, …]" after the job (BenchmarkCase.DisplayInfo).
            var equals = parameters!.IndexOf('=');
            var firstName = equals >= 0 ? parameters.AsSpan(0, equals) : parameters.AsSpan();
            for (var at = job.IndexOf(" [".AsSpan(), StringComparison.Ordinal); at >= 0;)
            {
                var rest = job.Slice(at + 2);
                if (rest.StartsWith(firstName, StringComparison.Ordinal) && rest.Length > firstName.Length && rest[firstName.Length] == '=')
                {
                    job = job.Slice(0, at);
                    break;
                }

                var next = rest.IndexOf(" [".AsSpan(), StringComparison.Ordinal);
                at = next < 0 ? -1 : at + 2 + next;
            }
        }

        var open = job.IndexOf('(');
        if (open >= 0 && job.Length > 0 && job[job.Length - 1] == ')')
        {
            job = job.Slice(open + 1, job.Length - open - 2);
        }

        // A named job without settings ("ShortRun", "DefaultJob"): its name is stable.
        return job.Length == displayInfo!.Length ? displayInfo : job.ToString();
    }

    private static BenchmarkMeasurement ReadBenchmark(JsonTree node, string id, string path)
    {
        var measurement = new BenchmarkMeasurement
        {
            Id = id,
            Namespace = node["Namespace"]?.AsString(),
            Type = node["Type"]?.AsString() ?? "",
            Method = node["Method"]?.AsString() ?? "",
            Parameters = node["Parameters"]?.AsString() is { Length: > 0 } parameters ? parameters : null,
        };

        if (node["Statistics"] is not { Kind: JsonValueKind.Object } statistics)
        {
            return WithoutStatistics(measurement, path);
        }

        // The baseline's rules (MeasurementRules) apply here too: what this reader accepts, the baseline can hold.
        var memory = node["Memory"];
        double? allocated = Amount(memory?["BytesAllocatedPerOperation"], path);
        var totalOperations = Amount(memory?["TotalOperations"], path);
        double? PerThousand(string name)
        {
            var countNode = memory?[name];
            if (Amount(countNode, path) is not { } count || totalOperations is not > 0)
            {
                return null;
            }

            var perThousand = count * 1000.0 / totalOperations.Value;
            return MeasurementRules.IsAmount(perThousand) ? perThousand
                : throw Problem(path, countNode!.Line, countNode.Column, $"'{name}' per 1000 operations is not {MeasurementRules.AmountRule}");
        }

        var coresUsed = Metric(node, CoresUsedMetric, path);
        var otherLoad = Metric(node, OtherLoadMetric, path);
        LaunchMeasurement Launch() => new()
        {
            AllocatedBytesPerOperation = allocated,
            AllocationOperations = totalOperations is > 0 ? totalOperations : null,
            Gen0PerThousandOps = PerThousand("Gen0Collections"),
            Gen1PerThousandOps = PerThousand("Gen1Collections"),
            Gen2PerThousandOps = PerThousand("Gen2Collections"),
            CoresUsed = coresUsed,
            OtherLoadCores = otherLoad,
            SourceFile = path,
        };

        return WithLaunches(measurement, WorkloadResults(node, path).ToList(), Launch,
            () => statistics["OriginalValues"]?.Items.Select(v => v.AsNumber()).Where(v => v is >= 0).Select(v => v!.Value).ToList(), path);
    }

    /// <summary>The benchmark's launches from its workload samples as either reader took them (<paramref name="launch"/>
    /// makes a launch's allocation and CPU figures); without samples, the statistics' own values as one launch (brief
    /// exports have no measurements); without either, a failure.</summary>
    internal static BenchmarkMeasurement WithLaunches(BenchmarkMeasurement measurement, IReadOnlyList<(int Launch, double NanosecondsPerOp)> workload, Func<LaunchMeasurement> launch, Func<IReadOnlyList<double>?> originalValues, string path)
    {
        var launches = new List<LaunchMeasurement>();
        foreach (var group in workload.GroupBy(m => m.Launch).OrderBy(g => g.Key))
        {
            launches.Add(launch() with { Samples = group.Select(m => m.NanosecondsPerOp).ToList() });
        }

        if (launches.Count == 0 && originalValues() is { Count: > 0 } original)
        {
            launches.Add(launch() with { Samples = original });
        }

        if (launches.Count == 0 || launches.All(l => l.Samples.Count == 0))
        {
            return measurement with { Failure = "it produced no valid time samples; " + Running.BenchmarkLog.Pointer(path) };
        }

        return measurement with { Launches = launches };
    }

    /// <summary>The failure of a benchmark entry whose "Statistics" is not an object.</summary>
    internal static BenchmarkMeasurement WithoutStatistics(BenchmarkMeasurement measurement, string path) =>
        measurement with { Failure = "it threw or produced no result (\"Statistics\": null); " + Running.BenchmarkLog.Pointer(path) };

    private static IEnumerable<(int Launch, double NanosecondsPerOp)> WorkloadResults(JsonTree node, string path)
    {
        var measurements = node["Measurements"];
        if (measurements is null || measurements.Kind != JsonValueKind.Array)
        {
            yield break;
        }

        // Workload/Result is what BenchmarkDotNet's own statistics use (overhead removed, outliers dropped).
        var useResult = measurements.Items.Any(m => IsStage(m, "Workload", "Result"));
        foreach (var m in measurements.Items)
        {
            if (!IsStage(m, "Workload", useResult ? "Result" : "Actual"))
            {
                continue;
            }

            var operations = m["Operations"]?.AsNumber();
            var nanoseconds = m["Nanoseconds"]?.AsNumber();
            if (operations is > 0 && nanoseconds is >= 0)
            {
                // 1e-320 operations pass "> 0" but make the sample infinite.
                var sample = nanoseconds.Value / operations.Value;
                if (!MeasurementRules.IsSample(sample))
                {
                    throw Problem(path, m.Line, m.Column, $"a measurement of {nanoseconds.Value} ns over {operations.Value} operations is not {MeasurementRules.SampleRule}");
                }

                yield return (LaunchIndex(m["LaunchIndex"]), sample);
            }
        }
    }

    /// <summary>A memory amount: absent or undefined ("" or null, as BenchmarkDotNet writes it) is null; a number must
    /// satisfy <see cref="MeasurementRules.IsAmount"/>.</summary>
    private static double? Amount(JsonTree? node, string path)
    {
        if (node is null || node.Kind != JsonValueKind.Number)
        {
            return null;
        }

        return node.AsNumber() is { } value && MeasurementRules.IsAmount(value) ? value
            : throw Problem(path, node.Line, node.Column, $"a memory figure must be {MeasurementRules.AmountRule}");
    }

    /// <summary>A metric of the benchmark's "Metrics" array by descriptor id: absent (older reports, another OS) is
    /// null; present, it must satisfy <see cref="MeasurementRules.IsCoreLoad"/>, as the baseline requires.</summary>
    private static double? Metric(JsonTree node, string id, string path)
    {
        if (node["Metrics"] is not { Kind: JsonValueKind.Array } metrics)
        {
            return null;
        }

        foreach (var metric in metrics.Items)
        {
            if (metric.Kind != JsonValueKind.Object || metric["Descriptor"]?["Id"]?.AsString() != id)
            {
                continue;
            }

            var value = metric["Value"];
            return value is { Kind: JsonValueKind.Number } && value.AsNumber() is { } number && MeasurementRules.IsCoreLoad(number) ? number
                : throw Problem(path, value?.Line ?? metric.Line, value?.Column ?? metric.Column, $"the metric '{id}' must be {MeasurementRules.CoreLoadRule}");
        }

        return null;
    }

    private static int Cores(JsonTree? node, string path)
    {
        if (node is null || node.Kind != JsonValueKind.Number)
        {
            return 0;
        }

        return node.AsNumber() is { } value && MeasurementRules.IsCores(value) ? (int)value
            : throw Problem(path, node.Line, node.Column, $"'LogicalCoreCount' must be {MeasurementRules.CoresRule}");
    }

    private static int LaunchIndex(JsonTree? node) =>
        node?.AsNumber() is { } value && value >= int.MinValue && value <= int.MaxValue ? (int)value : 0;

    private static bool IsStage(JsonTree m, string mode, string stage) =>
        m["IterationMode"]?.AsString() == mode && m["IterationStage"]?.AsString() == stage;

    private static GateException Problem(string path, int line, int column, string message) =>
        new(new GateDiagnostic(DiagnosticCodes.ResultsUnreadable, DiagnosticLevel.Error, $"Benchmark results unreadable: {message}.") { File = path, Line = line, Column = column });
}
