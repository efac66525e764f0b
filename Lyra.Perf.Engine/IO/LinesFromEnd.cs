using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;

namespace Lyra.Perf.Engine.IO;

/// <summary>
/// A file's lines, last first, read backwards in blocks: the end of a large JSON Lines file without the rest of it.
/// Lines are split as a forward reader splits them: at '\n', a trailing '\r' dropped, and after a final '\n' no empty
/// last line ("a\n" is one line, "a\n\n" two, "" none).
/// <para>Its buffers come from the shared array pool and go back on <see cref="Dispose"/>, once the lines are no longer
/// needed: a gate reads tens of megabytes of history, and fresh memory costs a page fault per 4 kB the first time it
/// is touched (on the 2-core CI VM, reading the history's window into new arrays took 80 ms, into reused ones under 2 ms).
/// From the first block of a megabyte on, each is twice the one before, so a long read is a few arrays the pool keeps.</para>
/// </summary>
internal sealed class LinesFromEnd : IDisposable
{
    private const int FirstBlock = 1 << 20;

    /// <summary>The largest block the doubling reaches (a line longer than half of it still gets a larger one).</summary>
    private const int LargestBlock = 16 << 20;

    private readonly Stream _stream;
    private readonly List<byte[]> _rented = new();
    private byte[] _buffer = Array.Empty<byte>();
    private int _bufferLength;

    // _buffer holds the file's bytes from _bufferStart on, up to at least _end.
    private long _bufferStart;

    // Where the next line (going backwards) ends: its '\n', or the file's end; -1 once the first line was returned.
    private long _end;
    private int _block;

    /// <param name="stream">Readable and seekable; positioned by this reader.</param>
    /// <param name="length">The bytes of <paramref name="stream"/> that count (its length when the read began).</param>
    /// <param name="block">Bytes read at a time (tests use a few, to cross block boundaries everywhere).</param>
    public LinesFromEnd(Stream stream, long length, int block = FirstBlock)
    {
        _stream = stream;
        _block = Math.Max(1, block);
        _bufferStart = length;
        _end = length;
        if (length == 0)
        {
            _end = -1;
            return;
        }

        LoadEarlierBlock();
        if (_buffer[_bufferLength - 1] == (byte)'\n')
        {
            _end = length - 1;
        }
    }

    /// <summary>Where the last line returned starts: every byte from here to the end has been read.</summary>
    public long Start { get; private set; }

    /// <summary>True once the file's first line was returned.</summary>
    public bool AtStart => _end < 0;

    /// <summary>The line before the last one returned; false when the file's first line was returned already. The
    /// segment points into a buffer of this reader that is never written again, so it stays valid (no copy needed).</summary>
    public bool TryPrevious(out ArraySegment<byte> line)
    {
        if (_end < 0)
        {
            line = default;
            return false;
        }

        // Search backwards for the '\n' ending the line before, loading earlier blocks while there is none.
        var searchEnd = (int)(_end - _bufferStart);
        int newline;
        while ((newline = new ReadOnlySpan<byte>(_buffer, 0, searchEnd).LastIndexOf((byte)'\n')) < 0 && _bufferStart > 0)
        {
            searchEnd = LoadEarlierBlock();
        }

        var start = newline < 0 ? 0 : newline + 1; // index in _buffer
        var end = (int)(_end - _bufferStart);
        if (end > start && _buffer[end - 1] == (byte)'\r')
        {
            end--;
        }

        line = new ArraySegment<byte>(_buffer, start, end - start);
        Start = _bufferStart + start;
        _end = newline < 0 ? -1 : _bufferStart + newline;
        return true;
    }

    /// <summary>Prepends the block before the buffer, keeping only the bytes up to <see cref="_end"/>; returns how many
    /// new bytes are at the buffer's front (the only ones not yet searched).</summary>
    private int LoadEarlierBlock()
    {
        var kept = (int)(_end - _bufferStart);
        while (kept > _block / 2 && _block < int.MaxValue / 2)
        {
            // Lines longer than the blocks: larger blocks, so a long line is not copied once per block.
            _block *= 2;
        }

        // The kept bytes and the new ones fill one block exactly: a block of the pool's size (a power of two), not one
        // a few bytes over it, which the pool would serve from twice the size.
        var count = (int)Math.Min(_block - kept, _bufferStart);
        var from = _bufferStart - count;
        var buffer = ArrayPool<byte>.Shared.Rent(count + kept);
        _rented.Add(buffer);
        ReadExactly(from, buffer, count);
        Array.Copy(_buffer, 0, buffer, count, kept);
        _buffer = buffer;
        _bufferLength = count + kept;
        _bufferStart = from;
        if (_block >= FirstBlock && _block < LargestBlock)
        {
            _block *= 2;
        }

        return count;
    }

    /// <summary>Gives the buffers back to the pool: the lines returned are no longer valid.</summary>
    public void Dispose()
    {
        foreach (var buffer in _rented)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _rented.Clear();
        _buffer = Array.Empty<byte>();
        _bufferLength = 0;
    }

    private void ReadExactly(long position, byte[] buffer, int count)
    {
        _stream.Seek(position, SeekOrigin.Begin);
        var read = 0;
        while (read < count)
        {
            var n = _stream.Read(buffer, read, count - read);
            if (n == 0)
            {
                // Truncated under us (a reader without the lock): the missing bytes read as zeros, an unreadable line.
                Array.Clear(buffer, read, count - read);
                return;
            }

            read += n;
        }
    }

    /// <summary>How many '\n' are in [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="stream"/>.</summary>
    public static long CountNewlines(Stream stream, long from, long to)
    {
        var buffer = new byte[FirstBlock];
        long count = 0;
        stream.Seek(from, SeekOrigin.Begin);
        var left = to - from;
        while (left > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
            {
                break;
            }

            var span = new ReadOnlySpan<byte>(buffer, 0, n);
            int i;
            while ((i = span.IndexOf((byte)'\n')) >= 0)
            {
                count++;
                span = span.Slice(i + 1);
            }

            left -= n;
        }

        return count;
    }

    /// <summary>Only spaces, tabs and '\r': a line the history skips.</summary>
    public static bool IsBlank(ArraySegment<byte> line)
    {
        for (var i = 0; i < line.Count; i++)
        {
            if (line.Array![line.Offset + i] is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
