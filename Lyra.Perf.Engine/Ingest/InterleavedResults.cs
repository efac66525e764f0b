using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Json;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Ingest;

/// <summary>One run of the in-process A/B runner (Lyra.Perf.AbRunner): both builds loaded side by side, iterations
/// alternated A B, B A, … per benchmark. The shape of <see cref="InterleavedResults.FileName"/> (docs/architecture.md,
/// "The interleaved result file").</summary>
public sealed record InterleavedRun
{
    /// <summary>"run" or "confirm": names the slots ("unit-3", "confirm-unit-3"), so a confirmation's units never pair
    /// with the first run's.</summary>
    public string Phase { get; init; } = "run";

    /// <summary>True once the runner has measured every benchmark it was given (it writes the file then; a reader refuses false).</summary>
    public bool Complete { get; init; }

    /// <summary>Measuring time each benchmark was given (both sides together, warm-up included).</summary>
    public double SecondsPerBenchmark { get; init; }

    public RunEnvironment Environment { get; init; } = new();

    public IReadOnlyList<InterleavedBenchmark> Benchmarks { get; init; } = Array.Empty<InterleavedBenchmark>();

    /// <summary>Benchmarks the runner did not measure, to be measured in alternating processes instead.</summary>
    public IReadOnlyList<InterleavedFallback> Fallback { get; init; } = Array.Empty<InterleavedFallback>();
}

/// <summary>One benchmark case: its BenchmarkDotNet name and, per side that has it, one time and one allocation
/// reading per unit (unit k of the current side ran right next to unit k of the base side).</summary>
public sealed record InterleavedBenchmark
{
    public string Id { get; init; } = "";
    public string? Namespace { get; init; }
    public string Type { get; init; } = "";
    public string Method { get; init; } = "";

    /// <summary>"N=1024&amp;M=2", as BenchmarkDotNet's report writes them; null without parameters.</summary>
    public string? Parameters { get; init; }

    /// <summary>Operations per timed iteration (invocations × OperationsPerInvoke), the same on both sides.</summary>
    public double Operations { get; init; }

    public int WarmupPairs { get; init; }

    public double Seconds { get; init; }

    /// <summary>The units each runner pass measured, in order (the first pass ran the current build first, the second
    /// the base first); they add up to each side's units. Empty: not recorded (older files). Kept so the variation
    /// between passes (a placement effect of a process, up to ±7 % seen) can be studied on recorded runs.</summary>
    public IReadOnlyList<int> PassUnits { get; init; } = Array.Empty<int>();

    /// <summary>Null: the current build has no such case (Removed).</summary>
    public InterleavedSide? Current { get; init; }

    /// <summary>Null: the base build has no such case (New).</summary>
    public InterleavedSide? Base { get; init; }
}

/// <summary>One side's readings, one per unit: nanoseconds per operation, and bytes this thread allocated per operation.</summary>
public sealed record InterleavedSide(IReadOnlyList<double> Nanoseconds, IReadOnlyList<double> Bytes);

/// <summary>A benchmark (a BenchmarkDotNet filter: "Ns.Type.Method") the runner left to process alternation, and why.</summary>
public sealed record InterleavedFallback(string Filter, string Reason);

/// <summary>Writes and reads the in-process A/B runner's result file: the one place its shape is defined.</summary>
public static class InterleavedResults
{
    /// <summary>The file in a results folder (obj/lyra-perf/run-interleaved/).</summary>
    public const string FileName = "lyra-perf-interleaved.json";

    public const string Format = "lyra-perf-interleaved/1";

    /// <summary>The runner's output lines the gate reads: "// Lyra.Perf.AbRunner: benchmarks 12" (how many it will
    /// measure), "… measuring Ns.T.M(N: 1)" (one starts), "… fallback Ns.T.M: why" (left to alternated launches).</summary>
    public const string OutputPrefix = "// Lyra.Perf.AbRunner: ";

    public const string CountPrefix = OutputPrefix + "benchmarks ";

    public const string StartedPrefix = OutputPrefix + "measuring ";

    public const string FallbackPrefix = OutputPrefix + "fallback ";

    /// <summary>The runner's folder of a phase, under the current side's artifacts directory ("run-interleaved",
    /// "confirm-interleaved": a new run deletes both with the launch folders).</summary>
    public static string FolderName(string phase) => phase + "-interleaved";

    /// <summary>The slot of unit <paramref name="index"/> (0-based) in a phase: "unit-1", …; "confirm-unit-1", ….</summary>
    public static string Slot(string phase, int index) =>
        (phase == "run" ? "" : phase + "-") + "unit-" + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a launch is a unit of the in-process runner (its slot says so), not a process.</summary>
    public static bool IsUnit(LaunchMeasurement launch) =>
        launch.Slot is { } slot && (slot.StartsWith("unit-", StringComparison.Ordinal) || slot.Contains("-unit-"));

    /// <summary>The file in <paramref name="directory"/>, or null.</summary>
    public static string? Find(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? path : null;
    }

    public static byte[] ToJson(InterleavedRun run)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("phase", run.Phase);
            writer.WriteBoolean("complete", run.Complete);
            writer.WriteNumber("secondsPerBenchmark", run.SecondsPerBenchmark);
            writer.WriteStartObject("environment");
            var e = run.Environment;
            writer.WriteString("os", e.Os);
            writer.WriteString("cpu", e.Cpu);
            writer.WriteNumber("logicalCores", e.LogicalCores);
            writer.WriteString("runtime", e.Runtime);
            writer.WriteString("architecture", e.Architecture);
            writer.WriteString("benchmarkDotNetVersion", e.BenchmarkDotNetVersion);
            writer.WriteString("job", e.Job);
            writer.WriteEndObject();
            writer.WriteStartArray("benchmarks");
            foreach (var b in run.Benchmarks)
            {
                writer.WriteStartObject();
                writer.WriteString("id", b.Id);
                writer.WriteString("namespace", b.Namespace);
                writer.WriteString("type", b.Type);
                writer.WriteString("method", b.Method);
                writer.WriteString("parameters", b.Parameters);
                writer.WriteNumber("operations", b.Operations);
                writer.WriteNumber("warmupPairs", b.WarmupPairs);
                writer.WriteNumber("seconds", Math.Round(b.Seconds, 3));
                writer.WriteStartArray("passUnits");
                foreach (var units in b.PassUnits)
                {
                    writer.WriteNumberValue(units);
                }

                writer.WriteEndArray();
                WriteSide(writer, "current", b.Current);
                WriteSide(writer, "base", b.Base);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("fallback");
            foreach (var f in run.Fallback)
            {
                writer.WriteStartObject();
                writer.WriteString("filter", f.Filter);
                writer.WriteString("reason", f.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteSide(Utf8JsonWriter writer, string name, InterleavedSide? side)
    {
        if (side is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteStartArray("nanoseconds");
        foreach (var v in side.Nanoseconds)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("bytes");
        foreach (var v in side.Bytes)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads a result file. Anything malformed — not JSON (a file cut short), another format, an incomplete run,
    /// a reading that is not a finite amount, sides of unequal length — is LPG0302 at the file and place.</summary>
    public static InterleavedRun Read(string path)
    {
        var bytes = InputFile.ReadAllBytes(path, InputFile.MaxReportBytes,
            ex => new GateException(new GateDiagnostic(DiagnosticCodes.ResultsUnreadable, DiagnosticLevel.Error, $"The interleaved A/B results are unreadable: {ex.Message}.") { File = path }));
        return Read(bytes, path);
    }

    public static InterleavedRun Read(byte[] utf8, string path)
    {
        JsonTree root;
        try
        {
            root = JsonTree.Parse(utf8);
        }
        catch (JsonSyntaxException ex)
        {
            throw Problem(path, ex.Line, ex.Column, $"not valid JSON ({ex.Message}); a file cut short means the runner was stopped while writing it");
        }

        if (root.Kind != JsonValueKind.Object || root["format"]?.AsString() != Format)
        {
            throw Problem(path, root.Line, root.Column, $"not an interleaved A/B result file (expected \"format\": \"{Format}\")");
        }

        if (root["complete"]?.AsBoolean() != true)
        {
            throw Problem(path, root.Line, root.Column, "the runner did not finish (\"complete\" is not true): it was stopped or crashed before measuring every benchmark");
        }

        var phase = root["phase"]?.AsString() is { Length: > 0 } p ? p : "run";
        var env = root["environment"];
        var environment = new RunEnvironment
        {
            Os = env?["os"]?.AsString() ?? "",
            Cpu = env?["cpu"]?.AsString() ?? "",
            LogicalCores = env?["logicalCores"]?.AsNumber() is { } cores && MeasurementRules.IsCores(cores) ? (int)cores : 0,
            Runtime = env?["runtime"]?.AsString() ?? "",
            Architecture = env?["architecture"]?.AsString() ?? "",
            BenchmarkDotNetVersion = env?["benchmarkDotNetVersion"]?.AsString() ?? "",
            Job = env?["job"]?.AsString() ?? "",
        };

        var benchmarks = new List<InterleavedBenchmark>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in ArrayOf(root, "benchmarks", path))
        {
            if (node.Kind != JsonValueKind.Object || node["id"]?.AsString() is not { Length: > 0 } id)
            {
                throw Problem(path, node.Line, node.Column, "a benchmark has no \"id\"");
            }

            if (!seen.Add(id))
            {
                throw Problem(path, node.Line, node.Column, $"benchmark '{id}' appears twice");
            }

            var current = Side(node, "current", path);
            var @base = Side(node, "base", path);
            if (current is null && @base is null)
            {
                throw Problem(path, node.Line, node.Column, $"benchmark '{id}' has readings of neither side");
            }

            if (current is not null && @base is not null && current.Nanoseconds.Count != @base.Nanoseconds.Count)
            {
                throw Problem(path, node.Line, node.Column, $"benchmark '{id}' has {current.Nanoseconds.Count} current and {@base.Nanoseconds.Count} base units (units are pairs)");
            }

            var passUnits = PassUnits(node, current ?? @base!, id, path);
            var operations = node["operations"]?.AsNumber();
            benchmarks.Add(new InterleavedBenchmark
            {
                Id = id,
                Namespace = node["namespace"]?.AsString(),
                Type = node["type"]?.AsString() ?? "",
                Method = node["method"]?.AsString() ?? "",
                Parameters = node["parameters"]?.AsString() is { Length: > 0 } parameters ? parameters : null,
                Operations = operations is > 0 ? operations.Value : 0,
                WarmupPairs = node["warmupPairs"]?.AsNumber() is { } w && w >= 0 && w <= int.MaxValue ? (int)w : 0,
                Seconds = node["seconds"]?.AsNumber() is { } s && s >= 0 ? s : 0,
                PassUnits = passUnits,
                Current = current,
                Base = @base,
            });
        }

        var fallback = new List<InterleavedFallback>();
        foreach (var node in ArrayOf(root, "fallback", path))
        {
            if (node.Kind != JsonValueKind.Object || node["filter"]?.AsString() is not { Length: > 0 } filter)
            {
                throw Problem(path, node.Line, node.Column, "a fallback entry has no \"filter\"");
            }

            fallback.Add(new InterleavedFallback(filter, node["reason"]?.AsString() ?? ""));
        }

        return new InterleavedRun
        {
            Phase = phase,
            Complete = true,
            SecondsPerBenchmark = root["secondsPerBenchmark"]?.AsNumber() is { } spb && spb >= 0 ? spb : 0,
            Environment = environment,
            Benchmarks = benchmarks,
            Fallback = fallback,
        };
    }

    /// <summary>One side of a run as the gate's model: each unit a launch with one sample, its slot "unit-k" (the other
    /// side's unit k has the same slot, so <c>PairedTimeJudge</c> pairs them), its allocation reading and its operations.
    /// Benchmarks the side does not have are absent (the gate calls them New or Removed).</summary>
    public static RunResult ToRun(InterleavedRun run, bool isBase, string path) => new()
    {
        Environment = run.Environment,
        Benchmarks = run.Benchmarks.Where(b => (isBase ? b.Base : b.Current) is not null).Select(b =>
        {
            var side = (isBase ? b.Base : b.Current)!;
            return new BenchmarkMeasurement
            {
                Id = b.Id,
                Namespace = b.Namespace,
                Type = b.Type,
                Method = b.Method,
                Parameters = b.Parameters,
                Launches = side.Nanoseconds.Select((ns, k) => new LaunchMeasurement
                {
                    Samples = new[] { ns },
                    AllocatedBytesPerOperation = k < side.Bytes.Count ? side.Bytes[k] : null,
                    AllocationOperations = b.Operations > 0 ? b.Operations : null,
                    SourceFile = path,
                    Slot = Slot(run.Phase, k),
                }).ToList(),
                Failure = side.Nanoseconds.Count == 0 ? "the in-process A/B runner measured no unit of it; " + Running.BenchmarkLog.Pointer(path) : null,
            };
        }).ToList(),
    };

    private static IReadOnlyList<JsonTree> ArrayOf(JsonTree root, string name, string path)
    {
        var node = root[name];
        if (node is null || node.Kind == JsonValueKind.Null)
        {
            return System.Array.Empty<JsonTree>();
        }

        return node.Kind == JsonValueKind.Array ? node.Items : throw Problem(path, node.Line, node.Column, $"\"{name}\" is not an array");
    }

    /// <summary>"passUnits": optional; when present, whole non-negative counts that add up to the side's units.</summary>
    private static IReadOnlyList<int> PassUnits(JsonTree benchmark, InterleavedSide side, string id, string path)
    {
        var node = benchmark["passUnits"];
        if (node is null || node.Kind == JsonValueKind.Null)
        {
            return Array.Empty<int>();
        }

        if (node.Kind != JsonValueKind.Array)
        {
            throw Problem(path, node.Line, node.Column, "\"passUnits\" is not an array of unit counts");
        }

        var counts = new List<int>(node.Items.Count);
        foreach (var item in node.Items)
        {
            if (item.AsNumber() is not { } count || count < 0 || count > int.MaxValue || count != Math.Floor(count))
            {
                throw Problem(path, item.Line, item.Column, "a count in \"passUnits\" is not a whole number of units");
            }

            counts.Add((int)count);
        }

        var total = counts.Sum(c => (long)c);
        if (counts.Count > 0 && total != side.Nanoseconds.Count)
        {
            throw Problem(path, node.Line, node.Column, $"benchmark '{id}' has {side.Nanoseconds.Count} units but its passes add up to {total}");
        }

        return counts;
    }

    private static InterleavedSide? Side(JsonTree benchmark, string name, string path)
    {
        var node = benchmark[name];
        if (node is null || node.Kind == JsonValueKind.Null)
        {
            return null;
        }

        if (node.Kind != JsonValueKind.Object)
        {
            throw Problem(path, node.Line, node.Column, $"\"{name}\" is not an object");
        }

        var nanoseconds = Amounts(node, "nanoseconds", path);
        var bytes = Amounts(node, "bytes", path);
        if (bytes.Count != 0 && bytes.Count != nanoseconds.Count)
        {
            throw Problem(path, node.Line, node.Column, $"\"{name}\" has {nanoseconds.Count} times but {bytes.Count} allocation readings");
        }

        return new InterleavedSide(nanoseconds, bytes);
    }

    private static IReadOnlyList<double> Amounts(JsonTree side, string name, string path)
    {
        var node = side[name];
        if (node is null || node.Kind != JsonValueKind.Array)
        {
            throw Problem(path, (node ?? side).Line, (node ?? side).Column, $"\"{name}\" is not an array of numbers");
        }

        var values = new List<double>(node.Items.Count);
        foreach (var item in node.Items)
        {
            if (item.AsNumber() is not { } value || !MeasurementRules.IsAmount(value))
            {
                throw Problem(path, item.Line, item.Column, $"a reading in \"{name}\" is not {MeasurementRules.AmountRule}");
            }

            values.Add(value);
        }

        return values;
    }

    private static GateException Problem(string path, int line, int column, string message) =>
        new(new GateDiagnostic(DiagnosticCodes.ResultsUnreadable, DiagnosticLevel.Error, $"The interleaved A/B results are unreadable: {message}.") { File = path, Line = line, Column = column });
}
