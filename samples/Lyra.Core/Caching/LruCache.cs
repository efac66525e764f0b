using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Lyra.Core.Caching;

/// <summary>
/// A bounded least-recently-used cache. Entries live in preallocated arrays linked into a recency list, so a hit,
/// a miss and an eviction allocate nothing once the cache is warm. Thread-safe (one lock).
/// </summary>
public sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _index;
    private readonly TKey[] _keys;
    private readonly TValue[] _values;
    private readonly int[] _previous;
    private readonly int[] _next;
    private readonly Lock _gate = new();
    private int _head = -1; // most recently used
    private int _tail = -1; // least recently used
    private int _count;

    /// <summary>Creates a cache that keeps at most <paramref name="capacity"/> entries.</summary>
    public LruCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _index = new Dictionary<TKey, int>(capacity, comparer);
        _keys = new TKey[capacity];
        _values = new TValue[capacity];
        _previous = new int[capacity];
        _next = new int[capacity];
    }

    /// <summary>Most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Lookups that found their key.</summary>
    public long Hits { get; private set; }

    /// <summary>Lookups that did not.</summary>
    public long Misses { get; private set; }

    /// <summary>Entries dropped to make room.</summary>
    public long Evictions { get; private set; }

    /// <summary>Looks a key up; a hit makes it the most recently used.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out int slot))
            {
                Hits++;
                MoveToFront(slot);
                value = _values[slot];
                return true;
            }

            Misses++;
            value = default;
            return false;
        }
    }

    /// <summary>True when the key is cached (recency unchanged).</summary>
    public bool ContainsKey(TKey key)
    {
        lock (_gate)
        {
            return _index.ContainsKey(key);
        }
    }

    /// <summary>Adds or replaces an entry, evicting the least recently used one when full.</summary>
    public void Set(TKey key, TValue value)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out int slot))
            {
                _values[slot] = value;
                MoveToFront(slot);
                return;
            }

            if (_count < Capacity)
            {
                slot = _count++;
            }
            else
            {
                slot = _tail;
                Unlink(slot);
                _index.Remove(_keys[slot]);
                Evictions++;
            }

            _keys[slot] = key;
            _values[slot] = value;
            _index.Add(key, slot);
            LinkFront(slot);
        }
    }

    /// <summary>The cached value, or <paramref name="create"/>'s result (then cached).</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (TryGet(key, out TValue? value))
        {
            return value;
        }

        value = create(key);
        Set(key, value);
        return value;
    }

    /// <summary>Drops every entry.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _index.Clear();
            Array.Clear(_keys);
            Array.Clear(_values);
            _count = 0;
            _head = _tail = -1;
        }
    }

    private void MoveToFront(int slot)
    {
        if (slot != _head)
        {
            Unlink(slot);
            LinkFront(slot);
        }
    }

    private void Unlink(int slot)
    {
        int previous = _previous[slot], next = _next[slot];
        if (previous >= 0)
        {
            _next[previous] = next;
        }
        else
        {
            _head = next;
        }

        if (next >= 0)
        {
            _previous[next] = previous;
        }
        else
        {
            _tail = previous;
        }
    }

    private void LinkFront(int slot)
    {
        _previous[slot] = -1;
        _next[slot] = _head;
        if (_head >= 0)
        {
            _previous[_head] = slot;
        }

        _head = slot;
        if (_tail < 0)
        {
            _tail = slot;
        }
    }
}
