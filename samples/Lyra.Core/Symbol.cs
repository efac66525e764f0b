namespace Lyra.Core;

/// <summary>
/// The built-in meaning of a symbol, attached by name when the symbol is interned, so the evaluator and the
/// pattern matcher dispatch on an enum instead of comparing strings.
/// </summary>
public enum Builtin : byte
{
    None,
    Plus,
    Times,
    Power,
    Sin,
    Cos,
    Exp,
    Log,
    Sqrt,
    Abs,
    Min,
    Max,
    Sum,
    List,
    Rule,
    Pattern,
    Blank,
    BlankSequence,
    Sequence,
    Integer,
    Real,
    Symbol,
    D,
    Pi,
    E,
}

/// <summary>
/// An interned name. Two symbols of one <see cref="SymbolTable"/> with the same name are the same object, so
/// symbols compare by reference and hash by their table-local <see cref="Id"/>.
/// </summary>
public sealed class Symbol
{
    internal Symbol(string name, int id, Builtin builtin)
    {
        Name = name;
        Id = id;
        Builtin = builtin;
    }

    /// <summary>The symbol's name.</summary>
    public string Name { get; }

    /// <summary>Dense, table-local id: 0, 1, 2, … in interning order.</summary>
    public int Id { get; }

    /// <summary>The built-in meaning, or <see cref="Builtin.None"/> for user symbols.</summary>
    public Builtin Builtin { get; }

    /// <inheritdoc />
    public override int GetHashCode() => Id;

    /// <inheritdoc />
    public override string ToString() => Name;
}
