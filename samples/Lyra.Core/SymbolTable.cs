using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace Lyra.Core;

/// <summary>
/// Interns names into <see cref="Symbol"/>s. Lookups are lock-free and accept a span of the source text, so
/// resolving an identifier that is already known allocates nothing; adding a new name takes a lock.
/// </summary>
public sealed class SymbolTable
{
    private static readonly Dictionary<string, Builtin> s_builtins = CreateBuiltins();

    private readonly ConcurrentDictionary<string, Symbol> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Symbol>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Lock _gate = new();
    private Symbol[] _byId = new Symbol[64];
    private int _count;

    /// <summary>Creates a table that already holds every built-in symbol.</summary>
    public SymbolTable()
    {
        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (Builtin builtin in Enum.GetValues<Builtin>())
        {
            if (builtin != Builtin.None)
            {
                Intern(builtin.ToString());
            }
        }

        Known = new WellKnownSymbols(this);
    }

    /// <summary>The built-in symbols of this table.</summary>
    public WellKnownSymbols Known { get; }

    /// <summary>Number of symbols interned so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The symbol with the given id.</summary>
    public Symbol this[int id]
    {
        get
        {
            Symbol[] byId = Volatile.Read(ref _byId);
            if ((uint)id >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(id));
            }

            return byId[id];
        }
    }

    /// <summary>Returns the symbol named <paramref name="name"/>, creating it on first use.</summary>
    public Symbol Intern(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out Symbol? symbol) ? symbol : Add(name);
    }

    /// <summary>
    /// Returns the symbol whose name is the text in <paramref name="name"/>, creating it on first use. Allocates
    /// only when the name is new.
    /// </summary>
    public Symbol Intern(ReadOnlySpan<char> name) =>
        _bySpan.TryGetValue(name, out Symbol? symbol) ? symbol : Add(name.ToString());

    /// <summary>Finds an existing symbol without creating one.</summary>
    public bool TryGet(ReadOnlySpan<char> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Symbol? symbol) =>
        _bySpan.TryGetValue(name, out symbol);

    private Symbol Add(string name)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("A symbol needs a name.", nameof(name));
        }

        lock (_gate)
        {
            if (_byName.TryGetValue(name, out Symbol? existing))
            {
                return existing;
            }

            int id = _count;
            var symbol = new Symbol(name, id, s_builtins.GetValueOrDefault(name));
            Symbol[] byId = _byId;
            if (id == byId.Length)
            {
                Array.Resize(ref byId, byId.Length * 2);
            }

            byId[id] = symbol;
            Volatile.Write(ref _byId, byId);
            Volatile.Write(ref _count, id + 1);
            _byName[name] = symbol;
            return symbol;
        }
    }

    private static Dictionary<string, Builtin> CreateBuiltins()
    {
        var map = new Dictionary<string, Builtin>(StringComparer.Ordinal);
        foreach (Builtin builtin in Enum.GetValues<Builtin>())
        {
            if (builtin != Builtin.None)
            {
                map.Add(builtin.ToString(), builtin);
            }
        }

        return map;
    }
}

/// <summary>The built-in symbols of one <see cref="SymbolTable"/>, for building expressions in code.</summary>
public sealed class WellKnownSymbols
{
    internal WellKnownSymbols(SymbolTable table)
    {
        Plus = table.Intern("Plus");
        Times = table.Intern("Times");
        Power = table.Intern("Power");
        List = table.Intern("List");
        Rule = table.Intern("Rule");
        Pattern = table.Intern("Pattern");
        Blank = table.Intern("Blank");
        BlankSequence = table.Intern("BlankSequence");
        Sequence = table.Intern("Sequence");
        Integer = table.Intern("Integer");
        Real = table.Intern("Real");
        Symbol = table.Intern("Symbol");
        D = table.Intern("D");
    }

#pragma warning disable CS1591 // one field per well-known name
    public Symbol Plus { get; }
    public Symbol Times { get; }
    public Symbol Power { get; }
    public Symbol List { get; }
    public Symbol Rule { get; }
    public Symbol Pattern { get; }
    public Symbol Blank { get; }
    public Symbol BlankSequence { get; }
    public Symbol Sequence { get; }
    public Symbol Integer { get; }
    public Symbol Real { get; }
    public Symbol Symbol { get; }
    public Symbol D { get; }
#pragma warning restore CS1591
}
