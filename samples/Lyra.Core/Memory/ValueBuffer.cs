using System;

namespace Lyra.Core.Memory;

/// <summary>
/// A growable scratch list of <see cref="Value"/>s used while building argument lists. Meant to be rented from an
/// <see cref="ObjectPool{T}"/> and returned, so its array is reused instead of reallocated per expression.
/// </summary>
public sealed class ValueBuffer
{
    private Value[] _items;

    /// <summary>Creates an empty buffer.</summary>
    public ValueBuffer(int capacity = 8) => _items = new Value[Math.Max(capacity, 1)];

    /// <summary>Number of items.</summary>
    public int Count { get; private set; }

    /// <summary>Current capacity (grows, never shrinks).</summary>
    public int Capacity => _items.Length;

    /// <summary>The items.</summary>
    public ReadOnlySpan<Value> Items => _items.AsSpan(0, Count);

    /// <summary>One item.</summary>
    public Value this[int index] => index < Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Appends an item.</summary>
    public void Add(Value value)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = value;
    }

    /// <summary>Appends several items.</summary>
    public void AddRange(ReadOnlySpan<Value> values)
    {
        foreach (Value value in values)
        {
            Add(value);
        }
    }

    /// <summary>Drops items from <paramref name="count"/> on (references cleared for the GC).</summary>
    public void Truncate(int count)
    {
        if ((uint)count > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _items.AsSpan(count, Count - count).Clear();
        Count = count;
    }

    /// <summary>Removes every item.</summary>
    public void Clear() => Truncate(0);

    /// <summary>Copies items from <paramref name="start"/> on into a new exact-size array.</summary>
    public Value[] ToArray(int start = 0) => _items.AsSpan(start, Count - start).ToArray();
}
