using System;
using System.Collections.Generic;

namespace Lyra.Core;

/// <summary>
/// Variable bindings keyed by interned <see cref="Symbol"/> (reference identity, hash = id), with an optional
/// parent scope. Not thread-safe: give each thread its own scope.
/// </summary>
public sealed class Scope
{
    private readonly Dictionary<Symbol, Value> _values;

    /// <summary>Creates an empty scope.</summary>
    public Scope(Scope? parent = null, int capacity = 0)
    {
        Parent = parent;
        _values = new Dictionary<Symbol, Value>(capacity, ReferenceEqualityComparer.Instance);
    }

    /// <summary>The enclosing scope, searched when a name is not bound here.</summary>
    public Scope? Parent { get; }

    /// <summary>Number of bindings in this scope (not its parents).</summary>
    public int Count => _values.Count;

    /// <summary>Binds or rebinds <paramref name="name"/> in this scope.</summary>
    public void Set(Symbol name, Value value)
    {
        ArgumentNullException.ThrowIfNull(name);
        _values[name] = value;
    }

    /// <summary>Looks a name up here, then in the parents.</summary>
    public bool TryGet(Symbol name, out Value value)
    {
        for (Scope? scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._values.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<Symbol>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(Symbol? x, Symbol? y) => ReferenceEquals(x, y);

        public int GetHashCode(Symbol obj) => obj.Id;
    }
}
