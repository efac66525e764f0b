using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.IO;
using Lyra.Perf.Engine.Json;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.History;

/// <summary>What <see cref="HistoryStore.Read"/> found: the readable records, oldest first, and one warning per unreadable line.</summary>
public sealed record HistoryReadResult(IReadOnlyList<HistoryRecord> Records, IReadOnlyList<GateDiagnostic> Diagnostics);

/// <summary>
/// The history file: JSON Lines, one <see cref="HistoryRecord"/> per line, oldest first.
/// Appenders from separate processes and threads serialise on an exclusive lock file next to it
/// (<c>&lt;history&gt;.lock</c>, opened with <see cref="FileShare.None"/>, which .NET maps to an OS lock on every platform),
/// so no record is lost and no line is torn. A line that cannot be read is reported with its line number and kept.
/// </summary>
public static class HistoryStore
{
    /// <summary>The code of the warning for an unreadable history line (see the report's notes: a dedicated code may replace it).</summary>
    public const string UnreadableLineCode = DiagnosticCodes.HistoryUnreadable;

    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Appends <paramref name="record"/>; when the file then holds more than <paramref name="limit"/> readable records,
    /// rewrites it atomically (temp file + rename) keeping the newest <paramref name="limit"/> and every unreadable line.</summary>
    /// <param name="limit">Records kept; 0 or less keeps everything.</param>
    /// <exception cref="TimeoutException">Another process held the lock for longer than <paramref name="lockTimeout"/>.</exception>
    /// <exception cref="IOException">The file or its lock cannot be written (read-only folder, too large): at once, no waiting.</exception>
    public static void Append(string path, HistoryRecord record, int limit, TimeSpan? lockTimeout = null)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var line = Serialize(record);

        using var fileLock = AcquireLock(fullPath, lockTimeout ?? DefaultLockTimeout);
        if (fileLock is null)
        {
            throw new TimeoutException($"The history file {fullPath} stayed locked by another build for more than {(lockTimeout ?? DefaultLockTimeout).TotalSeconds:0} s (lock file {LockPath(fullPath)}).");
        }

        // Over the size limit the file is neither parsed nor grown: LPG0307 says so (the reader says LPG0308).
        var existing = File.Exists(fullPath) ? InputFile.ReadAllBytes(fullPath, InputFile.MaxHistoryBytes) : Array.Empty<byte>();
        if (limit > 0)
        {
            // Readable records are at most the non-blank lines: only a file that may be over the limit is parsed, once.
            var lines = SplitLines(existing);
            if (lines.Count(l => !IsBlank(l)) + 1 > limit)
            {
                var readable = new bool[lines.Count];
                System.Threading.Tasks.Parallel.For(0, lines.Count, i => readable[i] = !IsBlank(lines[i]) && TryParse(lines[i], out _, out _));
                if (readable.Count(r => r) + 1 > limit)
                {
                    Rewrite(fullPath, lines, readable, line, limit);
                    return;
                }
            }
        }

        using var stream = new FileStream(fullPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        var bytes = new List<byte>();
        if (existing.Length > 0 && existing[existing.Length - 1] != (byte)'\n')
        {
            // A previous writer died mid-line: never glue our record onto its fragment.
            bytes.Add((byte)'\n');
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(line));
        bytes.Add((byte)'\n');

        // One write call: a killed process leaves the line whole or absent.
        var buffer = bytes.ToArray();
        stream.Write(buffer, 0, buffer.Length);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads every record. Never throws for content: an unreadable line becomes a warning naming the file and line, and is skipped.</summary>
    public static HistoryReadResult Read(string path, TimeSpan? lockTimeout = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            return new HistoryReadResult(Array.Empty<HistoryRecord>(), Array.Empty<GateDiagnostic>());
        }

        byte[] bytes;

        // Reading under the lock sees whole appends only; if an appender hangs, or no lock can be taken (a read-only
        // folder), read anyway (a torn tail is then reported).
        try
        {
            using (TryAcquireLockForReading(fullPath, lockTimeout ?? TimeSpan.FromSeconds(10)))
            {
                bytes = InputFile.ReadAllBytes(fullPath, InputFile.MaxHistoryBytes);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HistoryReadResult(Array.Empty<HistoryRecord>(), new[]
            {
                new GateDiagnostic(UnreadableLineCode, DiagnosticLevel.Warning, $"The history file could not be read ({ex.Message}); trend charts and drift detection have no history this run.") { File = fullPath },
            });
        }

        return Parse(bytes, fullPath);
    }

    /// <summary>The records and per-line warnings of a history file's content (what <see cref="Read"/> does once the bytes are in).</summary>
    internal static HistoryReadResult Parse(byte[] bytes, string fullPath)
    {
        var records = new List<HistoryRecord>();
        var diagnostics = new List<GateDiagnostic>();
        var lines = SplitLines(bytes);
        // Lines are independent: parsed on every core (a 1,000-run history of 1,000 benchmarks is ~130 MB), kept in order.
        var parsed = new (HistoryRecord? Record, (string Message, int Column)? Error)[lines.Count];
        System.Threading.Tasks.Parallel.For(0, lines.Count, i =>
        {
            if (!IsBlank(lines[i]))
            {
                TryParse(lines[i], out parsed[i].Record, out parsed[i].Error);
            }
        });
        for (var i = 0; i < lines.Count; i++)
        {
            if (IsBlank(lines[i]))
            {
                continue;
            }

            var (record, error) = parsed[i];
            if (record is not null)
            {
                records.Add(record);
            }
            else
            {
                diagnostics.Add(new GateDiagnostic(UnreadableLineCode, DiagnosticLevel.Warning,
                    $"History line {i + 1} is unreadable ({error!.Value.Message}); it is skipped and left in the file. Delete or repair the line to silence this warning.")
                { File = fullPath, Line = i + 1, Column = error.Value.Column });
            }
        }

        return new HistoryReadResult(records, diagnostics);
    }

    /// <summary>One record as one line of JSON (no newline).</summary>
    public static string Serialize(HistoryRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", record.SchemaVersion);
            writer.WriteString("time", record.Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            if (record.Commit is not null)
            {
                writer.WriteString("commit", record.Commit);
            }

            if (record.Project is not null)
            {
                writer.WriteString("project", record.Project);
            }

            if (record.BaseCommit is not null)
            {
                writer.WriteString("comparison", "ab"); // An A/B run: the current side's record, measured against baseCommit.
                writer.WriteString("baseCommit", record.BaseCommit);
            }

            writer.WritePropertyName("environment");
            Baselines.BaselineSerializer.WriteEnvironment(writer, record.Environment);
            writer.WriteStartArray("benchmarks");
            foreach (var benchmark in record.Benchmarks)
            {
                writer.WriteStartObject();
                writer.WriteString("id", benchmark.Id);
                writer.WriteStableNumber("ns", benchmark.TypicalNanoseconds);
                writer.WriteStableNumber("bytes", benchmark.AllocatedBytesPerOperation);
                writer.WriteString("outcome", benchmark.Outcome.ToString());
                writer.WriteString("severity", benchmark.Severity.ToString());
                writer.WriteStableNumber("ratio", benchmark.Ratio);
                writer.WriteNumber("launches", benchmark.Launches);
                WriteNumbers(writer, "levels", benchmark.LaunchLevels);
                WriteNumbers(writer, "launchBytes", benchmark.LaunchBytes);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses one line; false with the reason and column when it is not a record.</summary>
    public static bool TryParse(string line, out HistoryRecord? record, out (string Message, int Column)? error) =>
        TryParse(Encoding.UTF8.GetBytes(line), out record, out error);

    /// <summary>Parses one line's bytes (invalid UTF-8 is reported, never replaced); false with the reason and column
    /// when it is not a record. Never throws for content.</summary>
    public static bool TryParse(byte[] line, out HistoryRecord? record, out (string Message, int Column)? error)
    {
        // The lines this store writes read without a tree; anything else (and every error) takes the general path.
        if (HistoryLineReader.TryRead(line) is { } plain)
        {
            record = plain;
            error = null;
            return true;
        }

        return TryParseTree(line, out record, out error);
    }

    /// <summary>The general reader: any JSON, every rule, errors with their column.</summary>
    internal static bool TryParseTree(byte[] line, out HistoryRecord? record, out (string Message, int Column)? error)
    {
        record = null;
        error = null;
        JsonTree root;
        try
        {
            root = JsonTree.Parse(line);
        }
        catch (JsonSyntaxException ex)
        {
            error = (ex.Message, ex.Column);
            return false;
        }

        if (root.Kind != JsonValueKind.Object)
        {
            error = ("not a JSON object", root.Column);
            return false;
        }

        if (root["time"]?.AsString() is not { } timeText
            || !DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            || !MeasurementRules.IsPlausibleTime(time))
        {
            error = ($"\"time\" must be {MeasurementRules.TimeRule}", root["time"]?.Column ?? 1);
            return false;
        }

        if (root["benchmarks"] is not { Kind: JsonValueKind.Array } benchmarksNode)
        {
            error = ("no \"benchmarks\" array", root["benchmarks"]?.Column ?? 1);
            return false;
        }

        foreach (var name in new[] { "commit", "project", "baseCommit" })
        {
            if (root[name] is { Kind: not (JsonValueKind.String or JsonValueKind.Null) } wrong)
            {
                error = ($"\"{name}\" must be a string", wrong.Column);
                return false;
            }
        }

        if (root["v"] is { } versionNode && (versionNode.AsNumber() is not { } version || !MeasurementRules.IsCores(version)))
        {
            error = ("\"v\" must be a whole number", versionNode.Column);
            return false;
        }

        var benchmarks = new List<HistoryBenchmark>();
        foreach (var item in benchmarksNode.Items)
        {
            if (item.Kind != JsonValueKind.Object || item["id"]?.AsString() is not { Length: > 0 } id)
            {
                error = ("a benchmark entry without an \"id\"", item.Column);
                return false;
            }

            // The same rules as the baseline's numbers: a value the writer could not write back is refused here.
            if (FirstInvalidAmount(item, "ns", "bytes", "ratio", "launches") is { } bad)
            {
                error = ($"\"{bad.Name}\" must be {MeasurementRules.AmountRule}", bad.Node.Column);
                return false;
            }

            if (item["launches"]?.AsNumber() is { } launchCount && !MeasurementRules.IsCores(launchCount))
            {
                error = ("\"launches\" must be a whole number", item["launches"]!.Column);
                return false;
            }

            if (!TryReadNumbers(item, "levels", out var levels, out error) || !TryReadNumbers(item, "launchBytes", out var launchBytes, out error))
            {
                return false;
            }

            benchmarks.Add(new HistoryBenchmark(id)
            {
                TypicalNanoseconds = item["ns"]?.AsNumber(),
                AllocatedBytesPerOperation = item["bytes"]?.AsNumber(),
                Outcome = Enum.TryParse<Outcome>(item["outcome"]?.AsString(), ignoreCase: true, out var outcome) && Enum.IsDefined(typeof(Outcome), outcome) ? outcome : Outcome.Unknown,
                Severity = Enum.TryParse<Severity>(item["severity"]?.AsString(), ignoreCase: true, out var severity) && Enum.IsDefined(typeof(Severity), severity) ? severity : Severity.None,
                Ratio = item["ratio"]?.AsNumber(),
                Launches = (int)(item["launches"]?.AsNumber() ?? 0),
                LaunchLevels = levels,
                LaunchBytes = launchBytes,
            });
        }

        RunEnvironment environment;
        try
        {
            // Same environment shape as the baseline's, read by the same code.
            environment = root["environment"] is { Kind: not JsonValueKind.Null } environmentNode ? Baselines.BaselineSerializer.ReadEnvironment(environmentNode, "") : new RunEnvironment();
        }
        catch (GateException ex)
        {
            error = (ex.Diagnostic.Message.Replace("Baseline unreadable: ", "").TrimEnd('.'), ex.Diagnostic.Column);
            return false;
        }

        record = new HistoryRecord
        {
            SchemaVersion = (int)(root["v"]?.AsNumber() ?? HistoryRecord.CurrentSchemaVersion),
            Time = time,
            Commit = root["commit"]?.AsString(),
            Project = root["project"]?.AsString(),
            BaseCommit = root["baseCommit"]?.AsString(),
            Environment = environment,
            Benchmarks = benchmarks,
        };
        return true;
    }

    /// <summary>An optional array of amounts (per-launch values); false with the reason when it is something else.</summary>
    private static bool TryReadNumbers(JsonTree item, string name, out IReadOnlyList<double>? values, out (string Message, int Column)? error)
    {
        values = null;
        error = null;
        if (item[name] is not { Kind: not JsonValueKind.Null } node)
        {
            return true;
        }

        if (node.Numbers() is not { } numbers)
        {
            error = ($"\"{name}\" must be an array of numbers", node.Column);
            return false;
        }

        for (var k = 0; k < numbers.Count; k++)
        {
            if (!MeasurementRules.IsAmount(numbers[k]))
            {
                error = ($"\"{name}\" must hold numbers that are {MeasurementRules.AmountRule}", node.ItemPosition(k).Column);
                return false;
            }
        }

        values = numbers.ToList();
        return true;
    }

    private static void WriteNumbers(Utf8JsonWriter writer, string name, IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteRawValue(JsonNumbers.Format(value), skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    private static (string Name, JsonTree Node)? FirstInvalidAmount(JsonTree item, params string[] names)
    {
        foreach (var name in names)
        {
            if (item[name] is { Kind: not JsonValueKind.Null } node && (node.AsNumber() is not { } value || !MeasurementRules.IsAmount(value)))
            {
                return (name, node);
            }
        }

        return null;
    }

    internal static string LockPath(string fullPath) => fullPath + ".lock";

    /// <summary>Takes the exclusive lock, retrying with jitter while another process holds it; null when
    /// <paramref name="timeout"/> passed first. Any other failure (a read-only folder, a lock path that is a folder)
    /// cannot go away by waiting and is thrown at once.</summary>
    internal static FileStream? AcquireLock(string fullPath, TimeSpan timeout)
    {
        var lockPath = LockPath(fullPath);
        var deadline = DateTime.UtcNow + timeout;
        var random = new Random(Guid.NewGuid().GetHashCode());
        while (true)
        {
            try
            {
                // The lock file stays in place: deleting it would let two writers lock two different files.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException ex) when (IsHeldByAnother(ex))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return null;
                }
            }
            catch (UnauthorizedAccessException) when (IsWindows && File.Exists(lockPath) && DateTime.UtcNow < deadline)
            {
                // Windows reports a file being replaced or deleted this way; retry as for a sharing violation.
            }

            Thread.Sleep(random.Next(5, 40));
        }
    }

    /// <summary>For reading: the lock if it can be had, else null (read anyway; a torn tail is then reported).</summary>
    private static FileStream? TryAcquireLockForReading(string fullPath, TimeSpan timeout)
    {
        try
        {
            return AcquireLock(fullPath, timeout);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // A FileShare.None conflict: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows; on Unix .NET carries
    // flock's errno EWOULDBLOCK (11 on Linux, 35 on macOS and the BSDs).
    private static bool IsHeldByAnother(IOException ex) =>
        IsWindows ? (ex.HResult & 0xFFFF) is 32 or 33 : ex.HResult is 11 or 35;

    private static bool IsWindows => Path.DirectorySeparatorChar == '\\';

    private static void Rewrite(string fullPath, IReadOnlyList<byte[]> lines, IReadOnlyList<bool> readable, string newLine, int limit)
    {
        var readableIndexes = new List<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (readable[i])
            {
                readableIndexes.Add(i);
            }
        }

        var dropped = new HashSet<int>(readableIndexes.Take(Math.Max(0, readableIndexes.Count - (limit - 1))));
        using var content = new MemoryStream();
        for (var i = 0; i < lines.Count; i++)
        {
            // Unreadable lines are kept byte for byte: they are reported on every read until someone looks at them.
            if (!dropped.Contains(i) && !IsBlank(lines[i]))
            {
                content.Write(lines[i], 0, lines[i].Length);
                content.WriteByte((byte)'\n');
            }
        }

        var last = Encoding.UTF8.GetBytes(newLine + "\n");
        content.Write(last, 0, last.Length);
        AtomicFile.WriteAllBytes(fullPath, content.ToArray());
    }

    /// <summary>The file's lines as bytes (no '\n', no trailing '\r'): invalid UTF-8 stays visible to the parser.</summary>
    private static List<byte[]> SplitLines(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i == bytes.Length || bytes[i] == (byte)'\n')
            {
                var end = i > start && bytes[i - 1] == (byte)'\r' ? i - 1 : i;
                if (i < bytes.Length || end > start)
                {
                    var line = new byte[end - start];
                    Array.Copy(bytes, start, line, 0, line.Length);
                    lines.Add(line);
                }

                start = i + 1;
            }
        }

        return lines;
    }

    private static bool IsBlank(byte[] line) => line.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r');
}
