using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.History;

/// <summary>
/// Reads a history line of the shapes <see cref="HistoryStore.Serialize"/> writes (format 2: the entries as columns)
/// and wrote before (format 1: an object per entry) straight from the bytes, without a tree: a 1,000-run history of
/// 1,000 benchmarks is a million entries, its last 119 runs read on every gate run. It accepts only what the general
/// reader (<see cref="HistoryStore.TryParse(byte[], out HistoryRecord?, out ValueTuple{string, int}?)"/>) accepts, with
/// the same result; anything it is not sure of (an unknown nested property, a value out of range, columns of unequal
/// length, invalid JSON) returns null and goes to the general reader, which alone words the errors and their positions.
/// </summary>
internal static class HistoryLineReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };

    private static readonly byte[] V = Utf8("v"), TimeName = Utf8("time"), CommitName = Utf8("commit"), ProjectName = Utf8("project"),
        BaseCommitName = Utf8("baseCommit"), EnvironmentName = Utf8("environment"), BenchmarksName = Utf8("benchmarks");

    // An entry's properties (format 1) or columns (format 2) in the order they are written; property i is bit 1 << i.
    private static readonly byte[][] EntryNames = { Utf8("id"), Utf8("ns"), Utf8("bytes"), Utf8("outcome"), Utf8("severity"), Utf8("ratio"), Utf8("launches"), Utf8("levels"), Utf8("launchBytes") };

    /// <summary>The bit of the entry property at the reader, 0 for none: the one after the last found is tried first
    /// (lines are written in one order), then all of them.</summary>
    private static int EntryProperty(ref Utf8JsonReader reader, ref int next)
    {
        if (next < EntryNames.Length && reader.ValueTextEquals(EntryNames[next]))
        {
            return 1 << next++;
        }

        for (var i = 0; i < EntryNames.Length; i++)
        {
            if (reader.ValueTextEquals(EntryNames[i]))
            {
                next = i + 1;
                return 1 << i;
            }
        }

        return 0;
    }

    private static readonly byte[][] EnvironmentNames = { Utf8("os"), Utf8("cpu"), Utf8("logicalCores"), Utf8("runtime"), Utf8("architecture"), Utf8("benchmarkDotNet"), Utf8("job") };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // The names Serialize writes, as UTF-8: a line's outcome and severity are matched without a string per entry.
    private static readonly (byte[] Name, Outcome Value)[] OutcomeNames = Names<Outcome>();
    private static readonly (byte[] Name, Severity Value)[] SeverityNames = Names<Severity>();

    private static (byte[] Name, T Value)[] Names<T>()
        where T : struct, Enum =>
        ((T[])Enum.GetValues(typeof(T))).Select(v => (Utf8(v.ToString()), v)).ToArray();

    /// <summary>The enum value a string names as the general reader parses it (any case, a defined value), else
    /// <paramref name="otherwise"/>; not a string: <paramref name="otherwise"/>.</summary>
    /// <param name="last">The index in <paramref name="names"/> last found, tried first (most entries say "Unchanged", "None").</param>
    private static T NamedValue<T>(ref Utf8JsonReader reader, (byte[] Name, T Value)[] names, T otherwise, ref int last)
        where T : struct, Enum
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return otherwise;
        }

        if (reader.ValueTextEquals(names[last].Name))
        {
            return names[last].Value;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i].Name))
            {
                last = i;
                return names[i].Value;
            }
        }

        return Enum.TryParse<T>(reader.GetString(), ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(T), parsed) ? parsed : otherwise;
    }

    /// <summary>The record, or null when the general reader must decide.</summary>
    public static HistoryRecord? TryRead(byte[] line) => TryRead(new ArraySegment<byte>(line));

    /// <summary>The record of a line within a larger buffer (the history's lines as read from its end, not copied).</summary>
    public static HistoryRecord? TryRead(ArraySegment<byte> line)
    {
        if (line.Count >= 3 && line.Array![line.Offset] == 0xEF && line.Array[line.Offset + 1] == 0xBB && line.Array[line.Offset + 2] == 0xBF)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(line.Array, line.Offset, line.Count), Options);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? Record(ref reader) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Invalid JSON or a string that is not valid UTF-8: the general reader says where.
            return null;
        }
    }

    private static HistoryRecord? Record(ref Utf8JsonReader reader)
    {
        var seen = 0;
        List<string>? others = null;
        double? version = null;
        DateTimeOffset? time = null;
        string? commit = null, project = null, baseCommit = null;
        var environment = new RunEnvironment();
        HistoryEntries? benchmarks = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var bit = reader.ValueTextEquals(V) ? 1 : reader.ValueTextEquals(TimeName) ? 2 : reader.ValueTextEquals(CommitName) ? 4
                : reader.ValueTextEquals(ProjectName) ? 8 : reader.ValueTextEquals(BaseCommitName) ? 16 : reader.ValueTextEquals(EnvironmentName) ? 32
                : reader.ValueTextEquals(BenchmarksName) ? 64 : 0;
            if (bit == 0)
            {
                // Another property ("comparison": "ab", or one a later version adds): a plain value is skipped.
                var name = reader.GetString()!;
                if ((others ??= new List<string>()).Contains(name) || !reader.Read() || !SkipPlain(ref reader))
                {
                    return null;
                }

                others.Add(name);
                continue;
            }

            if ((seen & bit) != 0 || !reader.Read())
            {
                return null;
            }

            seen |= bit;
            switch (bit)
            {
                case 1:
                    if (Number(ref reader) is not { } v || !MeasurementRules.IsCores(v))
                    {
                        return null;
                    }

                    version = v;
                    break;
                case 2:
                    if (reader.TokenType != JsonTokenType.String
                        || !DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                        || !MeasurementRules.IsPlausibleTime(parsed))
                    {
                        return null;
                    }

                    time = parsed;
                    break;
                case 4 or 8 or 16:
                    if (!OptionalString(ref reader, out var text))
                    {
                        return null;
                    }

                    if (bit == 4)
                    {
                        commit = text;
                    }
                    else if (bit == 8)
                    {
                        project = text;
                    }
                    else
                    {
                        baseCommit = text;
                    }

                    break;
                case 32:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        break;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject || Environment(ref reader) is not { } read)
                    {
                        return null;
                    }

                    environment = read;
                    break;
                default:
                    if ((reader.TokenType == JsonTokenType.StartObject ? Columns(ref reader) : reader.TokenType == JsonTokenType.StartArray ? Benchmarks(ref reader) : null) is not { } list)
                    {
                        return null;
                    }

                    benchmarks = list;
                    break;
            }
        }

        // Anything after the object is for the general reader to report.
        if (time is null || benchmarks is null || reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return null;
        }

        return new HistoryRecord
        {
            SchemaVersion = (int)(version ?? HistoryRecord.CurrentSchemaVersion),
            Time = time.Value,
            Commit = commit,
            Project = project,
            BaseCommit = baseCommit,
            Environment = environment,
            Benchmarks = benchmarks,
        };
    }

    private static RunEnvironment? Environment(ref Utf8JsonReader reader)
    {
        var values = new string[EnvironmentNames.Length];
        var cores = 0;
        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var index = -1;
            for (var i = 0; i < EnvironmentNames.Length; i++)
            {
                if (reader.ValueTextEquals(EnvironmentNames[i]))
                {
                    index = i;
                    break;
                }
            }

            if (index < 0 || (seen & (1 << index)) != 0 || !reader.Read())
            {
                return null;
            }

            seen |= 1 << index;
            if (index == 2)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (Number(ref reader) is not { } value || !MeasurementRules.IsCores(value))
                {
                    return null;
                }

                cores = (int)value;
            }
            else if (!OptionalString(ref reader, out values[index]!))
            {
                return null;
            }
        }

        return new RunEnvironment
        {
            Os = values[0] ?? "",
            Cpu = values[1] ?? "",
            LogicalCores = cores,
            Runtime = values[3] ?? "",
            Architecture = values[4] ?? "",
            BenchmarkDotNetVersion = values[5] ?? "",
            Job = values[6] ?? "",
        };
    }

    /// <summary>Format 2: the entries as columns, each an array of one value per id (an absent column: all nulls).</summary>
    private static HistoryEntries? Columns(ref Utf8JsonReader reader)
    {
        var entries = s_entries ??= new HistoryEntries.Builder();
        entries.Clear();
        var (lastOutcome, lastSeverity) = (0, 0);
        var seen = 0;
        var next = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var bit = EntryProperty(ref reader, ref next);
            if (bit == 0 || (seen & bit) != 0 || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            seen |= bit;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                switch (bit)
                {
                    case 1:
                        if (reader.TokenType != JsonTokenType.String || SameId(ref reader, entries.Ids.Count) is not { Length: > 0 } id)
                        {
                            return null;
                        }

                        entries.Ids.Add(id);
                        break;
                    case 8 or 16:
                        // Not a string (a number, true, null): no such outcome, the default, as the general reader has it.
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            return null;
                        }

                        if (bit == 8)
                        {
                            entries.Outcomes.Add(NamedValue(ref reader, OutcomeNames, Outcome.Unknown, ref lastOutcome));
                        }
                        else
                        {
                            entries.Severities.Add(NamedValue(ref reader, SeverityNames, Severity.None, ref lastSeverity));
                        }

                        break;
                    case 128 or 256:
                        if (!OptionalAmounts(ref reader, entries.Numbers, out var values))
                        {
                            return null;
                        }

                        var spans = bit == 128 ? entries.Levels : entries.Readings;
                        spans.Add(values.At);
                        spans.Add(values.Count);
                        break;
                    default:
                        if (!OptionalAmount(ref reader, out var amount) || (bit == 64 && amount is { } count && !MeasurementRules.IsCores(count)))
                        {
                            return null;
                        }

                        if (bit == 64)
                        {
                            entries.Launches.Add((int)(amount ?? 0));
                        }
                        else
                        {
                            (bit == 2 ? entries.Nanoseconds : bit == 4 ? entries.Bytes : entries.Ratios).Add(amount);
                        }

                        break;
                }
            }
        }

        var n = entries.Ids.Count;
        return Complete(entries.Nanoseconds, (seen & 2) != 0, n, null) && Complete(entries.Bytes, (seen & 4) != 0, n, null)
            && Complete(entries.Outcomes, (seen & 8) != 0, n, Outcome.Unknown) && Complete(entries.Severities, (seen & 16) != 0, n, Severity.None)
            && Complete(entries.Ratios, (seen & 32) != 0, n, null) && Complete(entries.Launches, (seen & 64) != 0, n, 0)
            && CompleteSpans(entries.Levels, (seen & 128) != 0, n) && CompleteSpans(entries.Readings, (seen & 256) != 0, n)
            ? entries.Build()
            : null;
    }

    /// <summary>A column read: true when it holds one value per id; an absent one is filled with <paramref name="empty"/>.</summary>
    private static bool Complete<T>(List<T> column, bool present, int ids, T empty)
    {
        if (!present)
        {
            for (var i = 0; i < ids; i++)
            {
                column.Add(empty);
            }
        }

        return column.Count == ids;
    }

    /// <summary>The same for a column of per-launch numbers, held as (start, count) spans: absent is none for every id.</summary>
    private static bool CompleteSpans(List<int> spans, bool present, int ids)
    {
        if (!present)
        {
            for (var i = 0; i < ids; i++)
            {
                spans.Add(-1);
                spans.Add(0);
            }
        }

        return spans.Count == 2 * ids;
    }

    /// <summary>Format 1: an array of one object per entry.</summary>
    private static HistoryEntries? Benchmarks(ref Utf8JsonReader reader)
    {
        // Reused per thread: a line's entries are gathered here, then kept as columns.
        var entries = s_entries ??= new HistoryEntries.Builder();
        var numbers = entries.Numbers;
        entries.Clear();
        var (lastOutcome, lastSeverity) = (0, 0);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? id = null;
            Outcome? outcome = null;
            Severity? severity = null;
            double? ns = null, bytes = null, ratio = null, launches = null;
            (int At, int Count) levels = (-1, 0), launchBytes = (-1, 0);
            var seen = 0;
            var next = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var bit = EntryProperty(ref reader, ref next);
                if (bit == 0 || (seen & bit) != 0 || !reader.Read())
                {
                    return null;
                }

                seen |= bit;
                switch (bit)
                {
                    case 1:
                        if (reader.TokenType != JsonTokenType.String || SameId(ref reader, entries.Count) is not { Length: > 0 } text)
                        {
                            return null;
                        }

                        id = text;
                        break;
                    case 128 or 256:
                        if (!OptionalAmounts(ref reader, numbers, out var values))
                        {
                            return null;
                        }

                        if (bit == 128)
                        {
                            levels = values;
                        }
                        else
                        {
                            launchBytes = values;
                        }

                        break;
                    case 8 or 16:
                        // Not a string (a number, true, null): no such outcome, the default, as the general reader has it.
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            return null;
                        }

                        if (bit == 8)
                        {
                            outcome = NamedValue(ref reader, OutcomeNames, Outcome.Unknown, ref lastOutcome);
                        }
                        else
                        {
                            severity = NamedValue(ref reader, SeverityNames, Severity.None, ref lastSeverity);
                        }

                        break;
                    default:
                        if (!OptionalAmount(ref reader, out var amount) || (bit == 64 && amount is { } count && !MeasurementRules.IsCores(count)))
                        {
                            return null;
                        }

                        if (bit == 2)
                        {
                            ns = amount;
                        }
                        else if (bit == 4)
                        {
                            bytes = amount;
                        }
                        else if (bit == 32)
                        {
                            ratio = amount;
                        }
                        else
                        {
                            launches = amount;
                        }

                        break;
                }
            }

            if (id is null)
            {
                return null;
            }

            entries.Add(id, ns, bytes, outcome ?? Outcome.Unknown, severity ?? Severity.None, ratio, (int)(launches ?? 0), levels, launchBytes);
        }

        return entries.Build();
    }

    [ThreadStatic]
    private static HistoryEntries.Builder? s_entries;

    /// <summary>A finite number as the general reader keeps it (an overflowing one is not a number there).</summary>
    private static double? Number(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && Json.JsonNumbers.Read(ref reader) is var value && !double.IsNaN(value) ? value : null;

    /// <summary>Null, or a number satisfying <see cref="MeasurementRules.IsAmount"/>; false for anything else.</summary>
    private static bool OptionalAmount(ref Utf8JsonReader reader, out double? amount)
    {
        amount = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        amount = Number(ref reader);
        return amount is { } value && MeasurementRules.IsAmount(value);
    }

    /// <summary>Null (-1), or an array of numbers each satisfying <see cref="MeasurementRules.IsAmount"/> (per-launch
    /// values), appended to <paramref name="numbers"/>: where they start and how many; false for anything else.</summary>
    private static bool OptionalAmounts(ref Utf8JsonReader reader, List<double> numbers, out (int At, int Count) values)
    {
        values = (-1, 0);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var at = numbers.Count;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (Number(ref reader) is not { } value || !MeasurementRules.IsAmount(value))
            {
                return false;
            }

            numbers.Add(value);
        }

        values = (at, numbers.Count - at);
        return true;
    }

    /// <summary>This thread's last line's benchmark ids, by position, with their UTF-8: a history's lines list the same
    /// benchmarks in the same order, so each line reuses the strings of the one before instead of a copy per run.</summary>
    [ThreadStatic]
    private static List<(byte[] Utf8, string Text)>? s_ids;

    /// <summary>The id string at the reader: the previous line's at <paramref name="index"/> when its bytes are the same.</summary>
    private static string? SameId(ref Utf8JsonReader reader, int index)
    {
        var ids = s_ids ??= new List<(byte[], string)>();
        if (!reader.ValueIsEscaped && index < ids.Count && reader.ValueSpan.SequenceEqual(ids[index].Utf8))
        {
            return ids[index].Text;
        }

        var text = reader.GetString();
        if (text is null || reader.ValueIsEscaped)
        {
            return text;
        }

        var entry = (reader.ValueSpan.ToArray(), text);
        if (index < ids.Count)
        {
            ids[index] = entry;
        }
        else if (index == ids.Count)
        {
            ids.Add(entry);
        }

        return text;
    }

    /// <summary>A string or null; false for anything else.</summary>
    private static bool OptionalString(ref Utf8JsonReader reader, out string? text)
    {
        text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
    }

    /// <summary>Skips a plain value (its text checked as the general reader would); false for an object or array.</summary>
    private static bool SkipPlain(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            _ = reader.GetString();
        }

        return true;
    }
}
