using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace Lyra.Perf.Engine.IO;

/// <summary>Writes a file so that readers see the old content or the new, never half of it.</summary>
public static class AtomicFile
{
    /// <summary>A temp file whose writer's process id is unknown (older versions) or reused is removed after this long.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>The text as UTF-8 (no byte-order mark), encoded a buffer at a time: a report of megabytes is never
    /// also a byte array of megabytes.</summary>
    public static void WriteAllText(string path, string content) =>
        Write(path, stream =>
        {
            using var writer = Utf8Writer(stream);
            writer.Write(content);
        });

    /// <summary>The builder's text, as <see cref="WriteAllText(string, string)"/>, chunk by chunk (no string of it).</summary>
    public static void WriteAllText(string path, StringBuilder content) =>
        Write(path, stream =>
        {
            using var writer = Utf8Writer(stream);
#if NETFRAMEWORK
            writer.Write(content.ToString());
#else
            writer.Write(content);
#endif
        });

    // Buffers under the large-object size (16 K characters, their bytes), left open for the flush and rename.
    private static StreamWriter Utf8Writer(Stream stream) => new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true);

    public static void WriteAllBytes(string path, byte[] content) =>
        Write(path, stream => stream.Write(content, 0, content.Length));

    /// <summary>Writes what <paramref name="write"/> puts into the stream to a temp file beside <paramref name="path"/> and
    /// renames it over the file: a process killed at any point leaves the old file or the new one.</summary>
    /// <param name="flushToDisk">Also on disk before the rename, so a power loss cannot leave the name pointing at
    /// unwritten blocks (the history, which is not re-created by the next run, asks for it).</param>
    public static void Write(string path, Action<Stream> write, bool flushToDisk = false)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        RemoveAbandonedTempFiles(fullPath);

        // The writer's process id in the name tells the next run whether the temp file is abandoned (its writer is gone).
        var temp = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + CurrentProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk);
            }

            Replace(temp, fullPath);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Deletes the temp files of <paramref name="path"/> that a killed writer left behind
    /// (<c>.name.&lt;pid&gt;.&lt;id&gt;.tmp</c> of a process that no longer runs, or any older than an hour).
    /// Never throws: a file it cannot delete stays for the next run.</summary>
    public static int RemoveAbandonedTempFiles(string path)
    {
        var removed = 0;
        try
        {
            var fullPath = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(fullPath)!;
            if (!Directory.Exists(directory))
            {
                return 0;
            }

            var prefix = "." + Path.GetFileName(fullPath) + ".";
            foreach (var temp in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
            {
                if (IsAbandoned(Path.GetFileName(temp).Substring(prefix.Length), temp))
                {
                    try
                    {
                        File.Delete(temp);
                        removed++;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
        }

        return removed;
    }

    private static bool IsAbandoned(string tail, string temp)
    {
        // tail: "<pid>.<id>.tmp" now; "<id>.tmp" from versions before the process id was part of the name.
        var parts = tail.Split('.');
        if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            if (pid != CurrentProcessId && !IsRunning(pid))
            {
                return true;
            }
        }
        else if (parts.Length != 2)
        {
            return false; // Not a name we write.
        }

        try
        {
            return DateTime.UtcNow - File.GetLastWriteTimeUtc(temp) > AbandonedAfter || parts.Length == 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int CurrentProcessId { get; } = GetCurrentProcessId();

    private static int GetCurrentProcessId()
    {
        using var self = Process.GetCurrentProcess();
        return self.Id;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (Exception)
        {
            // Cannot tell (e.g. no permission to look): assume it still writes.
            return true;
        }
    }

    private static void Replace(string temp, string path)
    {
#if NETFRAMEWORK
        if (File.Exists(path))
        {
            File.Replace(temp, path, null);
        }
        else
        {
            File.Move(temp, path);
        }
#else
        File.Move(temp, path, overwrite: true);
#endif
    }
}
