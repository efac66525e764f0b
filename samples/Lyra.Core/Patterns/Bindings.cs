using System;

namespace Lyra.Core.Patterns;

/// <summary>
/// The names a pattern bound while matching. A sequence blank (<c>x__</c>) binds a slice of the subject's
/// arguments without copying it. Reusable: <see cref="Clear"/> keeps the storage, so a pooled instance makes
/// matching allocation-free.
/// </summary>
public sealed class Bindings
{
    private Entry[] _entries = new Entry[4];

    /// <summary>Number of bound names.</summary>
    public int Count { get; private set; }

    /// <summary>The name of the binding at <paramref name="index"/>.</summary>
    public Symbol NameAt(int index) => EntryAt(index).Name;

    /// <summary>Gets the value bound to a single blank.</summary>
    public bool TryGetValue(Symbol name, out Value value)
    {
        int index = IndexOf(name);
        if (index >= 0 && _entries[index].Source is null)
        {
            value = _entries[index].Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The value bound to <paramref name="name"/> by a single blank.</summary>
    public Value this[Symbol name] =>
        TryGetValue(name, out Value value) ? value : throw new InvalidOperationException($"'{name}' is not bound to one value.");

    /// <summary>
    /// Gets the values bound to <paramref name="name"/>: the slice for a sequence blank, one value for a single
    /// blank (<paramref name="isSequence"/> says which).
    /// </summary>
    public bool TryGetValues(Symbol name, out ReadOnlySpan<Value> values, out bool isSequence)
    {
        int index = IndexOf(name);
        if (index < 0)
        {
            values = default;
            isSequence = false;
            return false;
        }

        ref Entry entry = ref _entries[index];
        isSequence = entry.Source is not null;
        values = isSequence ? entry.Source!.Args.Slice(entry.Start, entry.Length) : new ReadOnlySpan<Value>(in entry.Value);
        return true;
    }

    /// <summary>Forgets every binding (storage kept).</summary>
    public void Clear() => Truncate(0);

    internal int IndexOf(Symbol name)
    {
        for (int i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_entries[i].Name, name))
            {
                return i;
            }
        }

        return -1;
    }

    internal void Add(Symbol name, Value value) => Push(new Entry { Name = name, Value = value });

    internal void AddSequence(Symbol name, Expr source, int start, int length) =>
        Push(new Entry { Name = name, Source = source, Start = start, Length = length });

    internal void Truncate(int count)
    {
        _entries.AsSpan(count, Count - count).Clear();
        Count = count;
    }

    private ref Entry EntryAt(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return ref _entries[index];
    }

    private void Push(Entry entry)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count++] = entry;
    }

    private struct Entry
    {
        public Symbol Name;
        public Value Value;
        public Expr? Source;
        public int Start;
        public int Length;
    }
}
