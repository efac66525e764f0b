using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Json;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Baselines;

/// <summary>Reads and writes baseline files: deterministic, diff-friendly, one benchmark per block.</summary>
public static class BaselineSerializer
{
    public static string Serialize(Baseline baseline)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", baseline.SchemaVersion);
            if (baseline.Tool is not null)
            {
                writer.WriteString("tool", baseline.Tool);
            }

            if (baseline.RecordedAt != DateTimeOffset.MinValue)
            {
                // MinValue is how the reader says "absent": written, it would read back as a year-1 typo.
                writer.WriteString("recordedAt", Timestamp(baseline.RecordedAt));
            }
            if (baseline.Commit is not null)
            {
                writer.WriteString("commit", baseline.Commit);
            }

            writer.WritePropertyName("environment");
            WriteEnvironment(writer, baseline.Environment);

            writer.WriteStartObject("benchmarks");
            foreach (var pair in baseline.Benchmarks.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(pair.Key);
                WriteBenchmark(writer, pair.Value.Measurement);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
    }

    public static void WriteEnvironment(Utf8JsonWriter writer, RunEnvironment environment)
    {
        writer.WriteStartObject();
        writer.WriteString("os", environment.Os);
        writer.WriteString("cpu", environment.Cpu);
        writer.WriteNumber("logicalCores", environment.LogicalCores);
        writer.WriteString("runtime", environment.Runtime);
        writer.WriteString("architecture", environment.Architecture);
        writer.WriteString("benchmarkDotNet", environment.BenchmarkDotNetVersion);
        writer.WriteString("job", environment.Job);
        writer.WriteEndObject();
    }

    private static void WriteBenchmark(Utf8JsonWriter writer, BenchmarkMeasurement measured)
    {
        // Summaries come from the samples as written, so re-writing a baseline read from disk changes nothing.
        var benchmark = measured with
        {
            Launches = measured.Launches.Select(l => l with { Samples = l.Samples.Select(Rounded).ToList() }).ToList(),
        };
        writer.WriteStartObject();
        writer.WriteString("type", benchmark.QualifiedType);
        writer.WriteString("method", benchmark.Method);
        if (!string.IsNullOrEmpty(benchmark.Parameters))
        {
            writer.WriteString("parameters", benchmark.Parameters);
        }

        var samples = benchmark.AllSamples.ToList();
        writer.WriteStartObject("summary");
        writer.WriteStableNumber("medianNs", benchmark.TypicalNanoseconds);
        writer.WriteStableNumber("meanNs", samples.Count == 0 ? null : Statistics.Descriptive.Mean(samples));
        writer.WriteStableNumber("standardDeviationNs", samples.Count == 0 ? null : Statistics.Descriptive.StandardDeviation(samples));
        writer.WriteNumber("launches", benchmark.Launches.Count);
        if (benchmark.Sessions > 1)
        {
            writer.WriteNumber("runs", benchmark.Sessions);
        }

        writer.WriteNumber("samples", samples.Count);
        writer.WriteStableNumber("allocatedBytesPerOp", benchmark.AllocatedBytesPerOperation);
        writer.WriteStableNumber("gen0PerThousandOps", benchmark.Gen0PerThousandOps);
        writer.WriteStableNumber("gen1PerThousandOps", benchmark.Gen1PerThousandOps);
        writer.WriteStableNumber("gen2PerThousandOps", benchmark.Gen2PerThousandOps);
        writer.WriteStableNumber("coresUsed", benchmark.CoresUsed);
        writer.WriteEndObject();

        writer.WriteStartArray("launches");
        foreach (var launch in benchmark.Launches)
        {
            writer.WriteStartObject();
            if (launch.Session is not null)
            {
                // Which recording run the launch belongs to (a baseline that keeps several runs: PerfGateBaselineRuns).
                writer.WriteString("recordedAt", launch.Session);
            }

            writer.WriteStableNumber("allocatedBytesPerOp", launch.AllocatedBytesPerOperation);
            writer.WriteStableNumber("allocationOps", launch.AllocationOperations);
            writer.WriteStableNumber("gen0PerThousandOps", launch.Gen0PerThousandOps);
            writer.WriteStableNumber("gen1PerThousandOps", launch.Gen1PerThousandOps);
            writer.WriteStableNumber("gen2PerThousandOps", launch.Gen2PerThousandOps);
            writer.WriteStableNumber("coresUsed", launch.CoresUsed);
            writer.WriteStableNumber("otherLoadCores", launch.OtherLoadCores);

            // One line per launch keeps a re-recorded baseline readable in a diff.
            writer.WritePropertyName("samplesNs");
            writer.WriteRawValue("[" + string.Join(", ", launch.Samples.Select(s => JsonNumbers.Format(s))) + "]", skipInputValidation: true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>How the baseline writes a time (the file's and each recording run's "recordedAt").</summary>
    public static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Whether raw samples are, once written, the samples of a launch read back from a baseline.</summary>
    public static bool SameAsWritten(IReadOnlyList<double> written, IReadOnlyList<double> raw) =>
        written.Count == raw.Count && written.Select(Rounded).SequenceEqual(raw.Select(Rounded));

    private static double Rounded(double value) => double.Parse(JsonNumbers.Format(value), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Writes the baseline atomically (readers see the old file or the new). A failure is a
    /// <see cref="GateException"/> carrying LPG0310 naming the file; the previous baseline is then unchanged.</summary>
    public static void Write(string path, Baseline baseline)
    {
        var content = Serialize(baseline);
        try
        {
            AtomicFile.WriteAllText(path, content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new GateException(new GateDiagnostic(DiagnosticCodes.BaselineWriteFailed, DiagnosticLevel.Error,
                $"The baseline could not be written to {path}: {ex.Message}. Any previous baseline there is unchanged. Check that the folder exists, is a folder and is writable, or point PerfGateBaselineFile elsewhere.")
            { File = path });
        }
    }

    /// <summary>Reads a baseline file. Any problem is a <see cref="GateException"/> carrying LPG0301 at the offending line and column.</summary>
    public static Baseline Read(string path)
    {
        // The tree is done with the pooled bytes when Parse returns: entries keep their positions, not the tree.
        using var bytes = InputFile.ReadRented(path, InputFile.MaxBaselineBytes, ex => Problem(path, 0, 0, $"the baseline could not be read: {ex.Message}"));
        return Parse(bytes.Array, bytes.Length, path);
    }

    public static Baseline Parse(byte[] utf8, string path) => Parse(utf8, utf8.Length, path);

    private static Baseline Parse(byte[] utf8, int length, string path)
    {
        JsonTree root;
        try
        {
            root = JsonTree.Parse(utf8, length);
        }
        catch (JsonSyntaxException ex)
        {
            throw Problem(path, ex.Line, ex.Column, $"the baseline is not valid JSON: {ex.Message}. Fix the file or restore it from version control, or delete it and run -t:PerfBaseline to record a new one");
        }

        if (root.Kind != JsonValueKind.Object)
        {
            throw Problem(path, root, "the baseline must be a JSON object with 'schemaVersion' and 'benchmarks'");
        }

        var version = Required(root, "schemaVersion", path);
        if (version.AsNumber() is not { } schemaVersion || schemaVersion != Math.Floor(schemaVersion))
        {
            throw Problem(path, version, "'schemaVersion' must be a whole number");
        }

        if (schemaVersion > CurrentSchemaVersionSupported)
        {
            throw Problem(path, version, $"schema version {schemaVersion} is newer than this Lyra.Perf understands ({CurrentSchemaVersionSupported}); update the Lyra.Perf.Sdk version");
        }

        if (schemaVersion < 1)
        {
            throw Problem(path, version, $"schema version {schemaVersion} is not a Lyra.Perf baseline version");
        }

        var recordedAt = root["recordedAt"] is { } recordedNode ? Time(recordedNode, "'recordedAt'", path) : DateTimeOffset.MinValue;
        var environment = root["environment"] is { } envNode ? ReadEnvironment(envNode, path) : new RunEnvironment();

        var benchmarksNode = Required(root, "benchmarks", path);
        if (benchmarksNode.Kind != JsonValueKind.Object)
        {
            throw Problem(path, benchmarksNode, "'benchmarks' must be an object keyed by benchmark id");
        }

        // Duplicate ids (and every other duplicate key) are refused by JsonTree, at the second occurrence.
        var benchmarks = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
        var sessions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in benchmarksNode.Properties)
        {
            var (line, column) = pair.Value.Position;
            benchmarks[pair.Key] = new BaselineEntry
            {
                Measurement = ReadBenchmark(pair.Key, pair.Value, path, sessions),
                Line = line,
                Column = column,
            };
        }

        return new Baseline
        {
            SchemaVersion = (int)schemaVersion,
            RecordedAt = recordedAt,
            Commit = OptionalString(root, "commit", "", path),
            Tool = OptionalString(root, "tool", "", path),
            Environment = environment,
            Benchmarks = benchmarks,
        };
    }

    private const int CurrentSchemaVersionSupported = Baseline.CurrentSchemaVersion;

    /// <summary>The environment object of a baseline or a history record (one shape, one reader).</summary>
    public static RunEnvironment ReadEnvironment(JsonTree node, string path)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            throw Problem(path, node, "'environment' must be an object");
        }

        var cores = 0;
        if (node["logicalCores"] is { Kind: not JsonValueKind.Null } coresNode)
        {
            if (coresNode.AsNumber() is not { } value || !MeasurementRules.IsCores(value))
            {
                throw Problem(path, coresNode, $"'environment.logicalCores' must be {MeasurementRules.CoresRule}");
            }

            cores = (int)value;
        }

        string Text(string name) => OptionalString(node, name, "environment.", path) ?? "";
        return new RunEnvironment
        {
            Os = Text("os"),
            Cpu = Text("cpu"),
            LogicalCores = cores,
            Runtime = Text("runtime"),
            Architecture = Text("architecture"),
            BenchmarkDotNetVersion = Text("benchmarkDotNet"),
            Job = Text("job"),
        };
    }

    /// <param name="sessions">The launches' recording times read so far, as text and as kept: every benchmark of a
    /// recording run has the same, parsed once.</param>
    private static BenchmarkMeasurement ReadBenchmark(string id, JsonTree node, string path, Dictionary<string, string> sessions)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            throw Problem(path, node, $"benchmark '{id}' must be an object");
        }

        var launchesNode = Required(node, "launches", path);
        if (launchesNode.Kind != JsonValueKind.Array || launchesNode.Items.Count == 0)
        {
            throw Problem(path, launchesNode, $"benchmark '{id}': 'launches' must be a non-empty array");
        }

        var launches = new List<LaunchMeasurement>(launchesNode.Items.Count);
        foreach (var launchNode in launchesNode.Items)
        {
            if (launchNode.Kind != JsonValueKind.Object)
            {
                throw Problem(path, launchNode, $"benchmark '{id}': each launch must be an object");
            }

            var samplesNode = Required(launchNode, "samplesNs", path);

            // Numbers() reads millions of samples without a node each; an array with anything else is refused at that item.
            if (samplesNode.Kind != JsonValueKind.Array || samplesNode.Numbers() is not { Count: > 0 } numbers)
            {
                var wrong = samplesNode.Kind == JsonValueKind.Array ? samplesNode.Items.FirstOrDefault(i => i.Kind != JsonValueKind.Number) : null;
                throw wrong is null
                    ? Problem(path, samplesNode, $"benchmark '{id}': 'samplesNs' must be a non-empty array of nanoseconds per operation")
                    : Problem(path, wrong, $"benchmark '{id}': every sample must be {MeasurementRules.SampleRule}");
            }

            var samples = new double[numbers.Count];
            for (var i = 0; i < samples.Length; i++)
            {
                if (!MeasurementRules.IsSample(numbers[i]))
                {
                    var (line, column) = samplesNode.ItemPosition(i);
                    throw Problem(path, line, column, $"benchmark '{id}': every sample must be {MeasurementRules.SampleRule}");
                }

                samples[i] = numbers[i];
            }

            launches.Add(new LaunchMeasurement
            {
                Samples = samples,
                AllocatedBytesPerOperation = OptionalNumber(launchNode, "allocatedBytesPerOp", id, path),
                AllocationOperations = OptionalNumber(launchNode, "allocationOps", id, path),
                Gen0PerThousandOps = OptionalNumber(launchNode, "gen0PerThousandOps", id, path),
                Gen1PerThousandOps = OptionalNumber(launchNode, "gen1PerThousandOps", id, path),
                Gen2PerThousandOps = OptionalNumber(launchNode, "gen2PerThousandOps", id, path),
                CoresUsed = OptionalCoreLoad(launchNode, "coresUsed", id, path),
                OtherLoadCores = OptionalCoreLoad(launchNode, "otherLoadCores", id, path),
                SourceFile = path,
                Session = launchNode["recordedAt"] is { Kind: not JsonValueKind.Null } session ? Session(session, id, path, sessions) : null,
            });
        }

        var prefix = $"benchmarks.{id}.";
        var qualifiedType = OptionalString(node, "type", prefix, path) ?? "";
        var split = qualifiedType.LastIndexOf('.');
        return new BenchmarkMeasurement
        {
            Id = id,
            Namespace = split > 0 ? qualifiedType.Substring(0, split) : null,
            Type = split > 0 ? qualifiedType.Substring(split + 1) : qualifiedType,
            Method = OptionalString(node, "method", prefix, path) ?? "",
            Parameters = OptionalString(node, "parameters", prefix, path) is { Length: > 0 } parameters ? parameters : null,
            Launches = launches,
        };
    }

    private static string Session(JsonTree node, string id, string path, Dictionary<string, string> sessions)
    {
        if (node.AsString() is { } text && sessions.TryGetValue(text, out var known))
        {
            return known;
        }

        var session = Timestamp(Time(node, $"benchmark '{id}': a launch's 'recordedAt'", path));
        sessions[node.AsString()!] = session;
        return session;
    }

    private static DateTimeOffset Time(JsonTree node, string what, string path)
    {
        if (node.AsString() is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            || !MeasurementRules.IsPlausibleTime(time))
        {
            throw Problem(path, node, $"{what} must be {MeasurementRules.TimeRule}");
        }

        return time;
    }

    /// <summary>A string property, or null where it is absent or null; anything else is refused.</summary>
    private static string? OptionalString(JsonTree node, string name, string prefix, string path)
    {
        var value = node[name];
        if (value is null || value.Kind == JsonValueKind.Null)
        {
            return null;
        }

        return value.AsString() ?? throw Problem(path, value, $"'{prefix}{name}' must be a string");
    }

    private static double? OptionalNumber(JsonTree node, string name, string id, string path)
    {
        var value = node[name];
        if (value is null || value.Kind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.AsNumber() is not { } number || !MeasurementRules.IsAmount(number))
        {
            throw Problem(path, value, $"benchmark '{id}': '{name}' must be {MeasurementRules.AmountRule}");
        }

        return number;
    }

    /// <summary>Cores used or kept busy during a launch (optional: baselines recorded before they were measured have none).</summary>
    private static double? OptionalCoreLoad(JsonTree node, string name, string id, string path)
    {
        var value = node[name];
        if (value is null || value.Kind == JsonValueKind.Null)
        {
            return null;
        }

        return value.AsNumber() is { } number && MeasurementRules.IsCoreLoad(number) ? number
            : throw Problem(path, value, $"benchmark '{id}': '{name}' must be {MeasurementRules.CoreLoadRule}");
    }

    private static JsonTree Required(JsonTree node, string name, string path) =>
        node[name] ?? throw Problem(path, node, $"the required property '{name}' is missing");

    private static GateException Problem(string path, JsonTree node, string message) => Problem(path, node.Line, node.Column, message);

    private static GateException Problem(string path, int line, int column, string message) =>
        new(new GateDiagnostic(DiagnosticCodes.BaselineUnreadable, DiagnosticLevel.Error, $"Baseline unreadable: {message}.") { File = path, Line = line, Column = column });
}
