using System;
using System.Collections.Generic;

namespace Lyra.Core;

/// <summary>
/// Hash-consing: one canonical instance per structurally equal expression, so repeated subterms share memory and
/// later compare by reference. Lookups hash with the expression's cached structural hash and confirm with a
/// structural equality walk; a lookup of a known structure allocates nothing. Not thread-safe for writes.
/// </summary>
public sealed class HashConsTable
{
    private readonly Dictionary<Value, Value> _canonical = new();

    /// <summary>Number of distinct structures held.</summary>
    public int Count => _canonical.Count;

    /// <summary>The canonical instance equal to <paramref name="value"/>, adding it when new.</summary>
    public Value Intern(Value value)
    {
        if (TryGetCanonical(value, out Value canonical))
        {
            return canonical;
        }

        _canonical.Add(value, value);
        return value;
    }

    /// <summary>Finds the canonical instance equal to <paramref name="value"/> without adding it.</summary>
    public bool TryGetCanonical(Value value, out Value canonical)
    {
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): the same lookup again on a fraction of calls.
            for (int r = Slowdown.Enter(); r > 0; r--)
            {
                _canonical.TryGetValue(value, out _);
            }

            Slowdown.Exit();
        }

        return _canonical.TryGetValue(value, out canonical);
    }
}
