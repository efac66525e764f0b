using System;
using System.Collections.Generic;

namespace Lyra.Perf.Engine.History;

/// <summary>
/// Per-benchmark state for a pass over history records, found by each entry's id. A history's lines list the same
/// benchmarks in the same order (the read even shares their id strings), so an entry is first matched against the
/// id the previous record had at its position, by reference or by comparing; only a mismatch hashes the id (a
/// window of 119 runs of 1,000 benchmarks is 119,000 lookups of 60-character ids).
/// </summary>
internal sealed class EntryIndex<T>
{
    private readonly Dictionary<string, T> _byId = new(StringComparer.Ordinal);
    private readonly List<(string Id, T State)> _atPosition = new();
    private readonly Func<string, T> _create;

    /// <param name="create">The state of an id seen first.</param>
    public EntryIndex(Func<string, T> create) => _create = create;

    /// <summary>Every state made, by id.</summary>
    public IReadOnlyDictionary<string, T> States => _byId;

    /// <summary>The state of <paramref name="id"/>, the entry at <paramref name="position"/> of its record.</summary>
    public T Find(string id, int position)
    {
        if (position < _atPosition.Count)
        {
            var (knownId, knownState) = _atPosition[position];
            if (ReferenceEquals(knownId, id) || string.Equals(knownId, id, StringComparison.Ordinal))
            {
                return knownState;
            }
        }

        if (!_byId.TryGetValue(id, out var state))
        {
            _byId[id] = state = _create(id);
        }

        if (position < _atPosition.Count)
        {
            _atPosition[position] = (id, state);
        }
        else if (position == _atPosition.Count)
        {
            _atPosition.Add((id, state));
        }

        return state;
    }
}
