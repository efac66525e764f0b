using System.IO;

namespace Lyra.Perf.Engine.IO;

/// <summary>The largest files the gate reads, and the one way it reads them: a file above its limit is refused before
/// any of it is loaded (a clear coded error instead of minutes of parsing or an out-of-memory).</summary>
public static class InputFile
{
    private const long MiB = 1024 * 1024;

    /// <summary>perf-baseline.json: the tool's own layout holds ~10 million samples in 100 MB and reads in seconds.</summary>
    public const long MaxBaselineBytes = 256 * MiB;

    /// <summary>One BenchmarkDotNet *-report-full(-compressed).json.</summary>
    public const long MaxReportBytes = 256 * MiB;

    /// <summary>perf-history.jsonl (1,000 records of 1,000 benchmarks are ~140 MB; the gate reads only its last runs).</summary>
    public const long MaxHistoryBytes = 256 * MiB;

    /// <summary>All bytes of <paramref name="path"/>; an <see cref="InputTooLargeException"/> (an IOException, so every
    /// reader reports it under its own code with the file's name) when it is larger than <paramref name="limit"/>.</summary>
    public static byte[] ReadAllBytes(string path, long limit)
    {
        using var stream = Open(path, limit);
        var bytes = new byte[stream.Length];
        var read = Fill(stream, bytes, bytes.Length);
        if (read < bytes.Length)
        {
            System.Array.Resize(ref bytes, read);
        }

        return bytes;
    }

    /// <summary>All bytes of <paramref name="path"/>, in an array rented from the shared pool (its first
    /// <see cref="RentedBytes.Length"/> bytes), for a reader done with them before it disposes of them: the gate reads
    /// megabytes of reports, and a fresh array costs a page fault per 4 kB the first time it is touched.</summary>
    public static RentedBytes ReadRented(string path, long limit)
    {
        using var stream = Open(path, limit);
        var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent((int)stream.Length);
        return new RentedBytes(bytes, Fill(stream, bytes, (int)stream.Length));
    }

    /// <summary>All bytes of <paramref name="path"/>, or the reader's own coded error (<paramref name="unreadable"/>, given
    /// the cause) when the file cannot be read or is above <paramref name="limit"/>.</summary>
    public static byte[] ReadAllBytes(string path, long limit, System.Func<System.Exception, Diagnostics.GateException> unreadable) =>
        Readable(() => ReadAllBytes(path, limit), unreadable);

    /// <summary><see cref="ReadRented(string, long)"/>, or the reader's own coded error as <see cref="ReadAllBytes(string, long, System.Func{System.Exception, Diagnostics.GateException})"/> gives it.</summary>
    public static RentedBytes ReadRented(string path, long limit, System.Func<System.Exception, Diagnostics.GateException> unreadable) =>
        Readable(() => ReadRented(path, limit), unreadable);

    private static T Readable<T>(System.Func<T> read, System.Func<System.Exception, Diagnostics.GateException> unreadable)
    {
        try
        {
            return read();
        }
        catch (System.Exception ex) when (ex is IOException or System.UnauthorizedAccessException)
        {
            throw unreadable(ex);
        }
    }

    /// <summary>Reads up to <paramref name="count"/> bytes into <paramref name="buffer"/>; fewer when the file was cut
    /// short while we read (what is there is what we parse).</summary>
    private static int Fill(Stream stream, byte[] buffer, int count)
    {
        var read = 0;
        int n;
        while (read < count && (n = stream.Read(buffer, read, count - read)) > 0)
        {
            read += n;
        }

        return read;
    }

    /// <summary><paramref name="path"/> opened for reading (writers may append to or replace it meanwhile), for a reader
    /// that reads only part of it; the same <see cref="InputTooLargeException"/> as <see cref="ReadAllBytes"/>.</summary>
    public static FileStream Open(string path, long limit)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > limit)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new InputTooLargeException(path, length, limit);
        }

        return stream;
    }

    public static string Megabytes(long bytes) => (bytes / (double)MiB).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}

public sealed class InputTooLargeException : IOException
{
    public InputTooLargeException(string path, long length, long limit)
        : base($"the file {path} is {InputFile.Megabytes(length)}, larger than the {InputFile.Megabytes(limit)} Lyra.Perf reads (see docs/diagnostics.md, size limits)")
    {
    }
}

/// <summary>A file's bytes in a pooled array (<see cref="InputFile.ReadRented"/>); disposing gives the array back.</summary>
public sealed class RentedBytes : System.IDisposable
{
    internal RentedBytes(byte[] array, int length) => (Array, Length) = (array, length);

    /// <summary>The pooled array: only its first <see cref="Length"/> bytes are the file's.</summary>
    public byte[] Array { get; private set; }

    public int Length { get; }

    /// <summary>The file's bytes in an array of their own (for a reader that keeps the array).</summary>
    public byte[] ToArray() => new System.ReadOnlySpan<byte>(Array, 0, Length).ToArray();

    public void Dispose()
    {
        if (Array.Length > 0)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(Array);
            Array = System.Array.Empty<byte>();
        }
    }
}
