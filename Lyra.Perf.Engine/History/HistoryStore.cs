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

/// <summary>What a read of the history found: the readable records, oldest first, and one warning per unreadable line.</summary>
/// <param name="Tail">What the read saw of the file, so an append need not read it again (null when nothing was read).</param>
public sealed record HistoryReadResult(IReadOnlyList<HistoryRecord> Records, IReadOnlyList<GateDiagnostic> Diagnostics, HistoryTail? Tail = null);

/// <summary>The end of a history file that a read went through: the file's length then, where the oldest line read
/// starts, and how many non-blank lines (runs, readable or not, of any project) lie from there to the end.</summary>
public sealed record HistoryTail(long FileLength, long Start, int Lines)
{
    /// <summary>The lines of the whole file: exact when the read reached its start, else the lines before
    /// <see cref="Start"/> estimated at the mean length of those read.</summary>
    public double EstimatedLines => Start == 0 || Lines == 0 ? Lines : Lines + (Start * (double)Lines / (FileLength - Start));
}

/// <summary>
/// The history file: JSON Lines, one <see cref="HistoryRecord"/> per line, oldest first (<see cref="Serialize"/> has the
/// line's format; lines of format 1, written before, are read beside it).
/// Appenders from separate processes and threads serialise on an exclusive lock file next to it
/// (<c>&lt;history&gt;.lock</c>, opened with <see cref="FileShare.None"/>, which .NET maps to an OS lock on every platform),
/// so no record is lost and no line is torn.
/// <para>At scale (a 1,000-run history of 1,000 benchmarks is ~140 MB) the gate never reads or rewrites the whole
/// file: <see cref="ReadRecent"/> reads lines backwards from the end until it has the runs its consumers use
/// (<see cref="HistoryWindow"/>); <see cref="Append"/> adds one line, and only when the file would hold more than
/// <see cref="TrimThreshold"/> runs rewrites it once, keeping the newest <c>limit</c> by copying bytes from that
/// line's offset on (no parsing). A line that cannot be read is reported with its line number when it is among the
/// lines read; it is never repaired, and leaves the file only with the oldest runs of a trim.</para>
/// </summary>
public static class HistoryStore
{
    /// <summary>The code of the warning for an unreadable history line (see the report's notes: a dedicated code may replace it).</summary>
    public const string UnreadableLineCode = DiagnosticCodes.HistoryUnreadable;

    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Lines an append without a read's <see cref="HistoryTail"/> reads from the end to estimate the file's run count.</summary>
    private const int SampleLines = 8;

    /// <summary>The most runs the file holds before an append trims it back to <paramref name="limit"/>: the limit and
    /// 10 % (at least 1), so the whole file is rewritten once every limit/10 appends, not on every append.</summary>
    public static int TrimThreshold(int limit) => limit + Math.Max(1, limit / 10);

    /// <summary>Appends <paramref name="record"/> as one line. When the file would then hold more than
    /// <see cref="TrimThreshold"/> runs (non-blank lines), it is rewritten once, atomically (temp file, fsync, rename),
    /// keeping the newest <paramref name="limit"/> runs, this one included.
    /// <para>"Never half-written": the append is one write of the complete line under the lock, then an fsync, so a
    /// reader never sees part of it and a killed appender leaves the earlier lines untouched (were the machine to
    /// lose power mid-write, at most this last line is cut; the next append starts on a line of its own and the
    /// reader reports the fragment, LPG0308). The trim replaces the file whole.</para></summary>
    /// <param name="limit">Runs kept; 0 or less keeps everything.</param>
    /// <param name="seen">The gate's own read of the file (<see cref="HistoryReadResult.Tail"/>): how long the file was and
    /// how long its lines are, so the append reads nothing to decide whether to trim. Without it (or when the file has
    /// changed since), the last few lines are read for that.</param>
    /// <exception cref="TimeoutException">Another process held the lock for longer than <paramref name="lockTimeout"/>.</exception>
    /// <exception cref="IOException">The file or its lock cannot be written (read-only folder, too large): at once, no waiting.</exception>
    public static void Append(string path, HistoryRecord record, int limit, TimeSpan? lockTimeout = null, HistoryTail? seen = null)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var line = Encoding.UTF8.GetBytes(Serialize(record) + "\n");

        using var fileLock = AcquireLock(fullPath, lockTimeout ?? DefaultLockTimeout);
        if (fileLock is null)
        {
            throw new TimeoutException($"The history file {fullPath} stayed locked by another build for more than {(lockTimeout ?? DefaultLockTimeout).TotalSeconds:0} s (lock file {LockPath(fullPath)}).");
        }

        long length, keepFrom;
        using (var stream = new FileStream(fullPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read))
        {
            // Over the size limit the file is not grown: LPG0307 says so (the reader says LPG0308).
            length = stream.Length;
            if (length > InputFile.MaxHistoryBytes)
            {
                throw new InputTooLargeException(fullPath, length, InputFile.MaxHistoryBytes);
            }

            if (limit <= 0 || TrimPoint(stream, length, limit, seen) is not { } trimAt)
            {
                var bytes = line;
                if (length > 0 && LastByte(stream, length) != (byte)'\n')
                {
                    // A previous writer died mid-line, or a hand edit dropped the final newline: never glue our record onto it.
                    bytes = new byte[line.Length + 1];
                    bytes[0] = (byte)'\n';
                    Array.Copy(line, 0, bytes, 1, line.Length);
                }

                // One write call of the complete line, then to disk.
                stream.Seek(length, SeekOrigin.Begin);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
                return;
            }

            keepFrom = trimAt;
        }

        Trim(fullPath, keepFrom, length, line);
    }

    /// <summary>Every record of the file. Never throws for content: an unreadable line becomes a warning naming the
    /// file and line, and is skipped. The gate reads only its last runs (<see cref="ReadRecent"/>).</summary>
    public static HistoryReadResult Read(string path, TimeSpan? lockTimeout = null) => ReadRecent(path, int.MaxValue, null, lockTimeout);

    /// <summary>The newest <paramref name="runs"/> records for which <paramref name="counts"/> holds (every record when it
    /// is null), oldest first, read backwards from the file's end: the lines before them are never read. Unreadable
    /// lines among those read are warnings with the file and their line number (as <see cref="Read"/> gives them); the
    /// runs wanted are still found past them. Never throws for content.</summary>
    public static HistoryReadResult ReadRecent(string path, int runs, Func<HistoryRecord, bool>? counts = null, TimeSpan? lockTimeout = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            return new HistoryReadResult(Array.Empty<HistoryRecord>(), Array.Empty<GateDiagnostic>());
        }

        // Reading under the lock sees whole appends only; if an appender hangs, or no lock can be taken (a read-only
        // folder), read anyway (a torn tail is then reported).
        try
        {
            using (TryAcquireLockForReading(fullPath, lockTimeout ?? TimeSpan.FromSeconds(10)))
            using (var stream = InputFile.Open(fullPath, InputFile.MaxHistoryBytes))
            {
                return ReadLines(stream, stream.Length, runs, counts, fullPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HistoryReadResult(Array.Empty<HistoryRecord>(), new[]
            {
                new GateDiagnostic(UnreadableLineCode, DiagnosticLevel.Warning, $"The history file could not be read ({ex.Message}); trend charts and drift detection have no history this run.") { File = fullPath },
            });
        }
    }

    /// <summary>The records and per-line warnings of a history file's content (what <see cref="Read"/> does once the file is open).</summary>
    internal static HistoryReadResult Parse(byte[] bytes, string fullPath)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return ReadLines(stream, bytes.Length, int.MaxValue, null, fullPath);
    }

    /// <summary>Lines from the end until <paramref name="runs"/> records that <paramref name="counts"/> accepts are found.</summary>
    private static HistoryReadResult ReadLines(Stream stream, long length, int runs, Func<HistoryRecord, bool>? counts, string fullPath)
    {
        using var lines = new LinesFromEnd(stream, length);
        var read = new List<(int FromEnd, ArraySegment<byte> Bytes)>(); // non-blank lines, newest first (not copied)
        var parsed = new List<(HistoryRecord? Record, (string Message, int Column)? Error)>();
        var passed = 0; // lines passed from the end, blank ones too
        var found = 0;
        while (found < runs)
        {
            var more = lines.TryPrevious(out var line);
            if (more)
            {
                if (!LinesFromEnd.IsBlank(line))
                {
                    read.Add((passed, line));
                }

                passed++;
            }

            // Parsed once as many lines wait as runs are missing (usually one batch), on every core, kept in order.
            if (!more || read.Count - parsed.Count >= runs - found)
            {
                var batch = new (HistoryRecord? Record, (string Message, int Column)? Error)[read.Count - parsed.Count];
                var first = parsed.Count;
                System.Threading.Tasks.Parallel.For(0, batch.Length, i => TryParse(read[first + i].Bytes, out batch[i].Record, out batch[i].Error));
                parsed.AddRange(batch);
                found += batch.Count(p => p.Record is not null && (counts is null || counts(p.Record)));
                if (!more)
                {
                    break;
                }
            }
        }

        var records = new List<HistoryRecord>();
        var diagnostics = new List<GateDiagnostic>();
        long? linesBefore = null;
        for (var i = parsed.Count - 1; i >= 0; i--)
        {
            var (record, error) = parsed[i];
            if (record is not null)
            {
                if (counts is null || counts(record))
                {
                    records.Add(record);
                }

                continue;
            }

            // Line numbers count from the file's start: the lines before those read are counted (not parsed) only now.
            linesBefore ??= lines.AtStart ? 0 : LinesFromEnd.CountNewlines(stream, 0, lines.Start);
            var lineNumber = (int)Math.Min(int.MaxValue, linesBefore.Value + passed - read[i].FromEnd);
            diagnostics.Add(new GateDiagnostic(UnreadableLineCode, DiagnosticLevel.Warning,
                $"History line {lineNumber} is unreadable ({error!.Value.Message}); it is skipped and left in the file. Delete or repair the line to silence this warning.")
            { File = fullPath, Line = lineNumber, Column = error.Value.Column });
        }

        return new HistoryReadResult(records, diagnostics, new HistoryTail(length, passed == 0 ? length : lines.Start, read.Count));
    }

    private static byte[] Copy(ArraySegment<byte> segment)
    {
        if (segment.Offset == 0 && segment.Count == segment.Array!.Length)
        {
            return segment.Array;
        }


        var bytes = new byte[segment.Count];
        Array.Copy(segment.Array!, segment.Offset, bytes, 0, segment.Count);
        return bytes;
    }

    /// <summary>One record as one line of JSON (no newline), format 2: <c>{"v":2,"time":…,"commit":…,"project":…,
    /// "environment":{…},"benchmarks":{"id":[…],"ns":[…],"bytes":[…],"outcome":[…],"severity":[…],"ratio":[…],
    /// "launches":[…],"levels":[[…],…],"launchBytes":[[…],…]}}</c>, each column one value per id (null: none).</summary>
    public static string Serialize(HistoryRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", HistoryRecord.CurrentSchemaVersion); // The format written, whatever line the record was read from.
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
            // The entries as columns (format 2): a third fewer tokens than an object per entry, read on every gate run.
            var entries = record.Benchmarks.ToArray();
            writer.WriteStartObject("benchmarks");
            WriteColumn(writer, "id", entries, (w, b) => w.WriteStringValue(b.Id));
            WriteColumn(writer, "ns", entries, (w, b) => WriteStableValue(w, b.TypicalNanoseconds));
            WriteColumn(writer, "bytes", entries, (w, b) => WriteStableValue(w, b.AllocatedBytesPerOperation));
            WriteColumn(writer, "outcome", entries, (w, b) => w.WriteStringValue(b.Outcome.ToString()));
            WriteColumn(writer, "severity", entries, (w, b) => w.WriteStringValue(b.Severity.ToString()));
            WriteColumn(writer, "ratio", entries, (w, b) => WriteStableValue(w, b.Ratio));
            WriteColumn(writer, "launches", entries, (w, b) => w.WriteNumberValue(b.Launches));
            WriteColumn(writer, "levels", entries, (w, b) => WriteNumbers(w, b.LaunchLevels));
            WriteColumn(writer, "launchBytes", entries, (w, b) => WriteNumbers(w, b.LaunchBytes));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses one line; false with the reason and column when it is not a record.</summary>
    public static bool TryParse(string line, out HistoryRecord? record, out (string Message, int Column)? error) =>
        TryParse(Encoding.UTF8.GetBytes(line), out record, out error);

    /// <summary>Parses one line's bytes (invalid UTF-8 is reported, never replaced); false with the reason and column
    /// when it is not a record. Never throws for content.</summary>
    public static bool TryParse(byte[] line, out HistoryRecord? record, out (string Message, int Column)? error) =>
        TryParse(new ArraySegment<byte>(line), out record, out error);

    private static bool TryParse(ArraySegment<byte> line, out HistoryRecord? record, out (string Message, int Column)? error)
    {
        // The lines this store writes read without a tree; anything else (and every error) takes the general path.
        if (HistoryLineReader.TryRead(line) is { } plain)
        {
            record = plain;
            error = null;
            return true;
        }

        return TryParseTree(Copy(line), out record, out error);
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

        if (root["benchmarks"] is not { Kind: JsonValueKind.Array or JsonValueKind.Object } benchmarksNode)
        {
            error = ("no \"benchmarks\" columns or array", root["benchmarks"]?.Column ?? 1);
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

        if (!TryReadEntries(benchmarksNode, out var benchmarks, out error))
        {
            return false;
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

    /// <summary>The entries of format 2 (an object of columns, each an array of one value per id; an absent column is
    /// all nulls) or of format 1 (an array of entry objects, an absent property a null), checked by the same rules.</summary>
    private static bool TryReadEntries(JsonTree node, out List<HistoryBenchmark> benchmarks, out (string Message, int Column)? error)
    {
        benchmarks = new List<HistoryBenchmark>();
        error = null;
        if (node.Kind == JsonValueKind.Array)
        {
            foreach (var item in node.Items)
            {
                if (item.Kind != JsonValueKind.Object)
                {
                    error = ("a benchmark entry without an \"id\"", item.Column);
                    return false;
                }

                if (!TryReadEntry(name => item[name], item.Column, out var entry, out error))
                {
                    return false;
                }

                benchmarks.Add(entry!);
            }

            return true;
        }

        var ids = node["id"]?.Items.Count ?? 0;
        var columns = new Dictionary<string, IReadOnlyList<JsonTree>>(StringComparer.Ordinal);
        foreach (var name in EntryFields)
        {
            if (node[name] is not { } column)
            {
                continue;
            }

            if (column.Kind != JsonValueKind.Array || column.Items.Count != ids)
            {
                error = ($"\"{name}\" must be an array of one value per \"id\" ({ids})", column.Column);
                return false;
            }

            columns[name] = column.Items;
        }

        for (var i = 0; i < ids; i++)
        {
            if (!TryReadEntry(name => columns.TryGetValue(name, out var column) ? column[i] : null, columns["id"][i].Column, out var entry, out error))
            {
                return false;
            }

            benchmarks.Add(entry!);
        }

        return true;
    }

    /// <summary>An entry's fields, in the order both formats write them.</summary>
    private static readonly string[] EntryFields = { "id", "ns", "bytes", "outcome", "severity", "ratio", "launches", "levels", "launchBytes" };

    /// <summary>One entry from its fields (<paramref name="field"/>: the value of a named field, null when absent).</summary>
    private static bool TryReadEntry(Func<string, JsonTree?> field, int column, out HistoryBenchmark? entry, out (string Message, int Column)? error)
    {
        entry = null;
        error = null;
        if (field("id")?.AsString() is not { Length: > 0 } id)
        {
            error = ("a benchmark entry without an \"id\"", column);
            return false;
        }

        // The same rules as the baseline's numbers: a value the writer could not write back is refused here.
        foreach (var name in new[] { "ns", "bytes", "ratio", "launches" })
        {
            if (field(name) is { Kind: not JsonValueKind.Null } node && (node.AsNumber() is not { } value || !MeasurementRules.IsAmount(value)))
            {
                error = ($"\"{name}\" must be {MeasurementRules.AmountRule}", node.Column);
                return false;
            }
        }

        if (field("launches")?.AsNumber() is { } launchCount && !MeasurementRules.IsCores(launchCount))
        {
            error = ("\"launches\" must be a whole number", field("launches")!.Column);
            return false;
        }

        if (!TryReadNumbers(field("levels"), "levels", out var levels, out error) || !TryReadNumbers(field("launchBytes"), "launchBytes", out var launchBytes, out error))
        {
            return false;
        }

        entry = new HistoryBenchmark(id)
        {
            TypicalNanoseconds = field("ns")?.AsNumber(),
            AllocatedBytesPerOperation = field("bytes")?.AsNumber(),
            Outcome = Enum.TryParse<Outcome>(field("outcome")?.AsString(), ignoreCase: true, out var outcome) && Enum.IsDefined(typeof(Outcome), outcome) ? outcome : Outcome.Unknown,
            Severity = Enum.TryParse<Severity>(field("severity")?.AsString(), ignoreCase: true, out var severity) && Enum.IsDefined(typeof(Severity), severity) ? severity : Severity.None,
            Ratio = field("ratio")?.AsNumber(),
            Launches = (int)(field("launches")?.AsNumber() ?? 0),
            LaunchLevels = levels,
            LaunchBytes = launchBytes,
        };
        return true;
    }

    /// <summary>An optional array of amounts (per-launch values); false with the reason when it is something else.</summary>
    private static bool TryReadNumbers(JsonTree? node, string name, out IReadOnlyList<double>? values, out (string Message, int Column)? error)
    {
        values = null;
        error = null;
        if (node is not { Kind: not JsonValueKind.Null })
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

    private static void WriteColumn(Utf8JsonWriter writer, string name, HistoryBenchmark[] entries, Action<Utf8JsonWriter, HistoryBenchmark> value)
    {
        writer.WriteStartArray(name);
        foreach (var entry in entries)
        {
            value(writer, entry);
        }

        writer.WriteEndArray();
    }

    /// <summary>The stable number text, or null for an absent or non-finite value (format 1 left such a property out).</summary>
    private static void WriteStableValue(Utf8JsonWriter writer, double? value)
    {
        if (value is { } v && !double.IsNaN(v) && !double.IsInfinity(v))
        {
            writer.WriteRawValue(JsonNumbers.Format(v), skipInputValidation: true);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteNumbers(Utf8JsonWriter writer, IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var value in values)
        {
            writer.WriteRawValue(JsonNumbers.Format(value), skipInputValidation: true);
        }

        writer.WriteEndArray();
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

    /// <summary>Where the kept part of the file starts when this append must trim it (it would hold more than
    /// <see cref="TrimThreshold"/> runs), else null. Decided from the file's length and its lines' mean length, and only
    /// when that says over, by counting lines from the end (reading, not parsing, the runs kept).</summary>
    private static long? TrimPoint(FileStream stream, long length, int limit, HistoryTail? seen)
    {
        var threshold = TrimThreshold(limit);
        var tail = seen is not null && seen.FileLength == length ? seen : Sample(stream, length);
        if (tail.EstimatedLines + 1 <= threshold)
        {
            return null;
        }

        // The newest limit - 1 runs stay, with this one: the limit. Blank lines are not runs.
        using var lines = new LinesFromEnd(stream, length);
        var keepFrom = length;
        var count = 0;
        while (lines.TryPrevious(out var line))
        {
            if (LinesFromEnd.IsBlank(line))
            {
                continue;
            }

            count++;
            if (count == limit - 1)
            {
                keepFrom = lines.Start;
            }

            if (count + 1 > threshold)
            {
                return keepFrom;
            }
        }

        // Fewer lines than estimated (older lines are longer than the newest: the suite shrank): no trim yet.
        return null;
    }

    /// <summary>The last few lines' extent, for the estimate of how many runs the file holds.</summary>
    private static HistoryTail Sample(FileStream stream, long length)
    {
        using var lines = new LinesFromEnd(stream, length);
        var count = 0;
        var passed = false;
        while (count < SampleLines && lines.TryPrevious(out var line))
        {
            passed = true;
            if (!LinesFromEnd.IsBlank(line))
            {
                count++;
            }
        }

        return new HistoryTail(length, passed ? lines.Start : length, count);
    }

    private static byte LastByte(FileStream stream, long length)
    {
        stream.Seek(length - 1, SeekOrigin.Begin);
        return (byte)stream.ReadByte();
    }

    /// <summary>Replaces the file by its bytes from <paramref name="keepFrom"/> on and <paramref name="line"/>: copied, not parsed.</summary>
    private static void Trim(string fullPath, long keepFrom, long length, byte[] line)
    {
        AtomicFile.Write(fullPath, temp =>
        {
            // Closed before AtomicFile renames the temp file over it (Windows refuses to replace an open file).
            using var source = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            source.Seek(keepFrom, SeekOrigin.Begin);
            var buffer = new byte[1 << 20];
            var left = length - keepFrom;
            var last = (byte)'\n';
            while (left > 0)
            {
                var n = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0)
                {
                    break;
                }

                temp.Write(buffer, 0, n);
                last = buffer[n - 1];
                left -= n;
            }

            if (last != (byte)'\n')
            {
                temp.WriteByte((byte)'\n');
            }

            temp.Write(line, 0, line.Length);
        }, flushToDisk: true);
    }
}
