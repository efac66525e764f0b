using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Ingest;

/// <summary>
/// Reads a BenchmarkDotNet full report straight from the bytes, without a tree: 1,000 benchmarks are ~50 MB of reports
/// per gate run, most of it iteration records, and only a few fields of each count. It accepts only what the tree
/// reader (<see cref="BenchmarkDotNetReader.ReadReport"/>) accepts, with the same result: the same JSON rules (every
/// string valid UTF-8, no duplicate property), the same fields and checks, the launches built by the same code
/// (<see cref="BenchmarkDotNetReader.WithLaunches"/>). Anything it is not sure of (an escaped property name, a value
/// out of range, invalid JSON) returns null and the tree reader decides, which alone words the errors and their positions.
/// </summary>
internal static class ReportStreamReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };

    private static readonly byte[] BenchmarksName = U("Benchmarks"), HostName = U("HostEnvironmentInfo");
    private static readonly byte[] OsName = U("OsVersion"), CpuName = U("ProcessorName"), CoresName = U("LogicalCoreCount"), RuntimeName = U("RuntimeVersion"),
        ArchitectureName = U("Architecture"), BenchmarkDotNetName = U("BenchmarkDotNetVersion");
    private static readonly byte[] FullName = U("FullName"), DisplayInfo = U("DisplayInfo"), Parameters = U("Parameters"), Namespace = U("Namespace"),
        TypeName = U("Type"), MethodName = U("Method"), Statistics = U("Statistics"), Memory = U("Memory"), Metrics = U("Metrics"), Measurements = U("Measurements");
    private static readonly byte[] OriginalValues = U("OriginalValues"), Allocated = U("BytesAllocatedPerOperation"), TotalOperations = U("TotalOperations"),
        Gen0 = U("Gen0Collections"), Gen1 = U("Gen1Collections"), Gen2 = U("Gen2Collections");
    private static readonly byte[] Descriptor = U("Descriptor"), Id = U("Id"), Value = U("Value");
    private static readonly byte[] IterationMode = U("IterationMode"), IterationStage = U("IterationStage"), Operations = U("Operations"),
        Nanoseconds = U("Nanoseconds"), LaunchIndex = U("LaunchIndex"), Workload = U("Workload"), Result = U("Result"), Actual = U("Actual");

    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The report, or null when the tree reader must decide.</summary>
    /// <param name="length">The report's bytes are the first <paramref name="length"/> of <paramref name="utf8"/> (a pooled array).</param>
    public static BenchmarkDotNetReader.ParsedReport? TryRead(byte[] utf8, int length, string path, bool processSettingsApplied)
    {
        var origin = length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF ? 3 : 0;
        var context = new Context(utf8, length, origin);
        try
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(utf8, origin, length - origin), Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var report = Root(ref reader, context, path, processSettingsApplied);
            return reader.Read() ? null : report;
        }
        catch (Exception ex) when (ex is HandOver or JsonException or InvalidOperationException or FormatException)
        {
            // InvalidOperationException: a string that is not valid UTF-8 (or a lone surrogate escape), as the tree finds it.
            return null;
        }
    }

    /// <summary>The tree reader decides this report.</summary>
    private sealed class HandOver : Exception
    {
    }

    /// <summary>The input, and each open object's property names so far (by depth), for the duplicate rule.</summary>
    private sealed class Context
    {
        private readonly List<List<(int Start, int Length)>> _names = new();

        public Context(byte[] utf8, int length, int origin)
        {
            Utf8 = utf8;
            Length = length;
            Origin = origin;
        }

        public byte[] Utf8 { get; }

        /// <summary>The input is the first this many bytes of <see cref="Utf8"/>.</summary>
        public int Length { get; }

        public int Origin { get; }

        public List<(int Start, int Length)> NamesAt(int depth)
        {
            while (_names.Count <= depth)
            {
                _names.Add(new List<(int, int)>());
            }

            return _names[depth];
        }
    }

    private sealed class Entry
    {
        public string? FullName, DisplayInfo, Parameters, Namespace, Type, Method;
        public bool HasStatistics;
        public List<double>? OriginalValues;
        public double? Allocated, TotalOperations, Gen0, Gen1, Gen2;
        public List<(string? Id, double? Value)> Metrics = new();
        public List<(byte Stage, double? Operations, double? Nanoseconds, int Launch)> Measurements = new();
    }

    private const byte OtherStage = 0, ActualStage = 1, ResultStage = 2;

    private static BenchmarkDotNetReader.ParsedReport Root(ref Utf8JsonReader reader, Context context, string path, bool processSettingsApplied)
    {
        List<Entry>? entries = null;
        var environment = new RunEnvironment();
        var names = StartObject(ref reader, context);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            Name(ref reader, context, names);
            if (reader.ValueTextEquals(BenchmarksName))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new HandOver();
                }

                entries = new List<Entry>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    entries.Add(reader.TokenType == JsonTokenType.StartObject ? Benchmark(ref reader, context) : throw new HandOver());
                }
            }
            else if (reader.ValueTextEquals(HostName))
            {
                reader.Read();
                environment = reader.TokenType == JsonTokenType.StartObject ? Host(ref reader, context) : Skipped(ref reader, context, new RunEnvironment());
            }
            else
            {
                reader.Read();
                Skip(ref reader, context);
            }
        }

        if (entries is null || entries.Any(e => e.FullName is not { Length: > 0 }))
        {
            throw new HandOver();
        }

        var (settings, notInEffect) = BenchmarkDotNetReader.JobSettingsInEffect(entries.Select(e => (e.FullName!, e.DisplayInfo, e.Parameters)).ToList(), processSettingsApplied);
        var jobs = entries.Select((entry, i) => (FullName: entry.FullName!, Job: settings[i])).ToList();

        var ids = BenchmarkDotNetReader.Ids(jobs);
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            throw new HandOver();
        }

        var benchmarks = entries.Select((entry, i) => Measurement(entry, ids[i], path)).ToList();
        return new BenchmarkDotNetReader.ParsedReport(environment with { Job = RunEnvironment.JoinJobs(jobs.Select(j => j.Job)) }, benchmarks) { NotInEffect = notInEffect };
    }

    /// <summary>What the tree reader's ReadBenchmark makes of the same fields, with its checks (a failing one hands over).</summary>
    private static BenchmarkMeasurement Measurement(Entry entry, string id, string path)
    {
        var measurement = new BenchmarkMeasurement
        {
            Id = id,
            Namespace = entry.Namespace,
            Type = entry.Type ?? "",
            Method = entry.Method ?? "",
            Parameters = entry.Parameters is { Length: > 0 } parameters ? parameters : null,
        };
        if (!entry.HasStatistics)
        {
            return BenchmarkDotNetReader.WithoutStatistics(measurement, path);
        }

        var allocated = Amount(entry.Allocated);
        var totalOperations = Amount(entry.TotalOperations);
        double? PerThousand(double? countValue)
        {
            if (Amount(countValue) is not { } count || totalOperations is not > 0)
            {
                return null;
            }

            var perThousand = count * 1000.0 / totalOperations.Value;
            return MeasurementRules.IsAmount(perThousand) ? perThousand : throw new HandOver();
        }

        var coresUsed = Metric(entry, BenchmarkDotNetReader.CoresUsedMetric);
        var otherLoad = Metric(entry, BenchmarkDotNetReader.OtherLoadMetric);
        LaunchMeasurement Launch() => new()
        {
            AllocatedBytesPerOperation = allocated,
            AllocationOperations = totalOperations is > 0 ? totalOperations : null,
            Gen0PerThousandOps = PerThousand(entry.Gen0),
            Gen1PerThousandOps = PerThousand(entry.Gen1),
            Gen2PerThousandOps = PerThousand(entry.Gen2),
            CoresUsed = coresUsed,
            OtherLoadCores = otherLoad,
            SourceFile = path,
        };

        // Workload/Result where there is one (BenchmarkDotNet's own statistics use it), else Workload/Actual.
        var stage = entry.Measurements.Any(m => m.Stage == ResultStage) ? ResultStage : ActualStage;
        var workload = new List<(int Launch, double NanosecondsPerOp)>();
        foreach (var m in entry.Measurements)
        {
            if (m.Stage == stage && m.Operations is > 0 && m.Nanoseconds is >= 0)
            {
                var sample = m.Nanoseconds.Value / m.Operations.Value;
                workload.Add(MeasurementRules.IsSample(sample) ? (m.Launch, sample) : throw new HandOver());
            }
        }

        return BenchmarkDotNetReader.WithLaunches(measurement, workload, Launch, () => entry.OriginalValues, path);
    }

    /// <summary>A memory amount: absent or not a number is null; a number must be an amount.</summary>
    private static double? Amount(double? value) =>
        value is not { } v ? null : MeasurementRules.IsAmount(v) ? v : throw new HandOver();

    /// <summary>The first metric with this descriptor id: its value must be a core load.</summary>
    private static double? Metric(Entry entry, string id)
    {
        foreach (var (metricId, value) in entry.Metrics)
        {
            if (metricId == id)
            {
                return value is { } v && !double.IsNaN(v) && MeasurementRules.IsCoreLoad(v) ? v : throw new HandOver();
            }
        }

        return null;
    }

    private static RunEnvironment Host(ref Utf8JsonReader reader, Context context)
    {
        string? os = null, cpu = null, runtime = null, architecture = null, benchmarkDotNet = null;
        var cores = 0;
        var names = StartObject(ref reader, context);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            Name(ref reader, context, names);
            if (reader.ValueTextEquals(OsName))
            {
                os = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(CpuName))
            {
                cpu = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(RuntimeName))
            {
                runtime = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(ArchitectureName))
            {
                architecture = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(BenchmarkDotNetName))
            {
                benchmarkDotNet = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(CoresName))
            {
                cores = NumberValue(ref reader, context) is not { } value ? 0
                    : !double.IsNaN(value) && MeasurementRules.IsCores(value) ? (int)value : throw new HandOver();
            }
            else
            {
                reader.Read();
                Skip(ref reader, context);
            }
        }

        return new RunEnvironment { Os = os ?? "", Cpu = cpu ?? "", LogicalCores = cores, Runtime = runtime ?? "", Architecture = architecture ?? "", BenchmarkDotNetVersion = benchmarkDotNet ?? "" };
    }

    private static Entry Benchmark(ref Utf8JsonReader reader, Context context)
    {
        var entry = new Entry();
        var names = StartObject(ref reader, context);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            Name(ref reader, context, names);
            if (reader.ValueTextEquals(FullName))
            {
                entry.FullName = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(DisplayInfo))
            {
                entry.DisplayInfo = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Parameters))
            {
                entry.Parameters = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Namespace))
            {
                entry.Namespace = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(TypeName))
            {
                entry.Type = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(MethodName))
            {
                entry.Method = StringValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Statistics))
            {
                reader.Read();
                entry.HasStatistics = reader.TokenType == JsonTokenType.StartObject;
                if (entry.HasStatistics)
                {
                    StatisticsObject(ref reader, context, entry);
                }
                else
                {
                    Skip(ref reader, context);
                }
            }
            else if (reader.ValueTextEquals(Memory))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    MemoryObject(ref reader, context, entry);
                }
                else
                {
                    Skip(ref reader, context);
                }
            }
            else if (reader.ValueTextEquals(Metrics))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            entry.Metrics.Add(MetricObject(ref reader, context));
                        }
                        else
                        {
                            Skip(ref reader, context);
                        }
                    }
                }
                else
                {
                    Skip(ref reader, context);
                }
            }
            else if (reader.ValueTextEquals(Measurements))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            entry.Measurements.Add(MeasurementObject(ref reader, context));
                        }
                        else
                        {
                            Skip(ref reader, context);
                        }
                    }
                }
                else
                {
                    Skip(ref reader, context);
                }
            }
            else
            {
                reader.Read();
                Skip(ref reader, context);
            }
        }

        return entry;
    }

    private static void StatisticsObject(ref Utf8JsonReader reader, Context context, Entry entry)
    {
        var names = StartObject(ref reader, context);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            Name(ref reader, context, names);
            var original = reader.ValueTextEquals(OriginalValues);
            reader.Read();
            if (original && reader.TokenType == JsonTokenType.StartArray)
            {
                // The tree keeps the items that are numbers, finite and not negative.
                var values = new List<double>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        var value = Number(ref reader);
                        if (value >= 0)
                        {
                            values.Add(value);
                        }
                    }
                    else
                    {
                        Skip(ref reader, context);
                    }
                }

                entry.OriginalValues = values;
            }
            else
            {
                if (original)
                {
                    entry.OriginalValues = new List<double>(); // not an array: no items
                }

                Skip(ref reader, context);
            }
        }
    }

    private static void MemoryObject(ref Utf8JsonReader reader, Context context, Entry entry)
    {
        var names = StartObject(ref reader, context);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            Name(ref reader, context, names);
            if (reader.ValueTextEquals(Allocated))
            {
                entry.Allocated = NumberValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(TotalOperations))
            {
                entry.TotalOperations = NumberValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Gen0))
            {
                entry.Gen0 = NumberValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Gen1))
            {
                entry.Gen1 = NumberValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Gen2))
            {
                entry.Gen2 = NumberValue(ref reader, context);
            }
            else
            {
                reader.Read();
                Skip(ref reader, context);
            }
        }
    }

    private static (string? Id, double? Value) MetricObject(ref Utf8JsonReader reader, Context context)
    {
        string? id = null;
        double? value = null;
        var names = StartObject(ref reader, context);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            Name(ref reader, context, names);
            if (reader.ValueTextEquals(Value))
            {
                value = NumberValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Descriptor))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    Skip(ref reader, context);
                    continue;
                }

                var descriptorNames = StartObject(ref reader, context);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    Name(ref reader, context, descriptorNames);
                    if (reader.ValueTextEquals(Id))
                    {
                        id = StringValue(ref reader, context);
                    }
                    else
                    {
                        reader.Read();
                        Skip(ref reader, context);
                    }
                }
            }
            else
            {
                reader.Read();
                Skip(ref reader, context);
            }
        }

        return (id, value);
    }

    private static (byte Stage, double? Operations, double? Nanoseconds, int Launch) MeasurementObject(ref Utf8JsonReader reader, Context context)
    {
        bool workload = false, result = false, actual = false;
        double? operations = null, nanoseconds = null, launch = null;
        var names = StartObject(ref reader, context);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            Name(ref reader, context, names);
            if (reader.ValueTextEquals(IterationMode))
            {
                reader.Read();
                workload = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Workload);
                Skip(ref reader, context);
            }
            else if (reader.ValueTextEquals(IterationStage))
            {
                reader.Read();
                result = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Result);
                actual = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Actual);
                Skip(ref reader, context);
            }
            else if (reader.ValueTextEquals(Operations))
            {
                operations = NumberValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(Nanoseconds))
            {
                nanoseconds = NumberValue(ref reader, context);
            }
            else if (reader.ValueTextEquals(LaunchIndex))
            {
                launch = NumberValue(ref reader, context);
            }
            else
            {
                reader.Read();
                Skip(ref reader, context);
            }
        }

        // As the tree's AsNumber: not finite is no number; a launch index outside int is launch 0.
        static double? Finite(double? value) => value is { } v && !double.IsNaN(v) ? v : null;
        var launchIndex = Finite(launch) is { } index && index >= int.MinValue && index <= int.MaxValue ? (int)index : 0;
        var stage = !workload ? OtherStage : result ? ResultStage : actual ? ActualStage : OtherStage;
        return (stage, Finite(operations), Finite(nanoseconds), launchIndex);
    }

    /// <summary>Reads the property's value: its text if it is a string, else null (the value skipped).</summary>
    private static string? StringValue(ref Utf8JsonReader reader, Context context)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        Skip(ref reader, context);
        return null;
    }

    /// <summary>Reads the property's value: a number (NaN when not finite, as the tree keeps it) or null for any other value.</summary>
    private static double? NumberValue(ref Utf8JsonReader reader, Context context)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            return Number(ref reader);
        }

        Skip(ref reader, context);
        return null;
    }

    private static double Number(ref Utf8JsonReader reader) => Json.JsonNumbers.Read(ref reader);

    /// <summary>Skips the value at the reader, checking what the tree checks of every value: strings valid, names unique.</summary>
    private static void Skip(ref Utf8JsonReader reader, Context context)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var names = StartObject(ref reader, context);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    Name(ref reader, context, names);
                    reader.Read();
                    Skip(ref reader, context);
                }

                break;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Skip(ref reader, context);
                }

                break;
            case JsonTokenType.String:
                CheckText(ref reader);
                break;
        }
    }

    private static T Skipped<T>(ref Utf8JsonReader reader, Context context, T value)
    {
        Skip(ref reader, context);
        return value;
    }

    private static List<(int Start, int Length)> StartObject(ref Utf8JsonReader reader, Context context)
    {
        var names = context.NamesAt(reader.CurrentDepth);
        names.Clear();
        return names;
    }

    /// <summary>At a property name: valid UTF-8, not escaped (an escaped name might equal another once unescaped: the
    /// tree decides), not seen before in this object.</summary>
    private static void Name(ref Utf8JsonReader reader, Context context, List<(int Start, int Length)> names)
    {
        var start = context.Origin + (int)reader.TokenStartIndex + 1;
        var name = reader.ValueSpan;
        if (reader.ValueIsEscaped || start + name.Length > context.Length || context.Utf8[start - 1] != (byte)'"')
        {
            throw new HandOver();
        }

        CheckText(ref reader);
        foreach (var (otherStart, otherLength) in names)
        {
            if (otherLength == name.Length && new ReadOnlySpan<byte>(context.Utf8, otherStart, otherLength).SequenceEqual(name))
            {
                throw new HandOver();
            }
        }

        names.Add((start, name.Length));
    }

    /// <summary>A string or name the tree would turn into text: it must be valid UTF-8 without lone surrogate escapes
    /// (plain ASCII is; anything else is decoded, which throws as the tree's decoding does).</summary>
    private static void CheckText(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || !IsAscii(reader.ValueSpan))
        {
            _ = reader.GetString();
        }
    }

    private static bool IsAscii(ReadOnlySpan<byte> bytes)
    {
#if NET8_0_OR_GREATER
        return System.Text.Ascii.IsValid(bytes);
#else
        foreach (var b in bytes)
        {
            if (b >= 0x80)
            {
                return false;
            }
        }

        return true;
#endif
    }
}
