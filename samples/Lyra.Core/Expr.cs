using System;
using System.Text;

namespace Lyra.Core;

/// <summary>
/// An immutable expression: a head symbol applied to arguments, e.g. <c>Plus[x, Times[2, y]]</c>. The structural
/// hash is computed once at construction (children's hashes are already cached), so expressions are cheap keys.
/// </summary>
public sealed class Expr : IEquatable<Expr>, IComparable<Expr>
{
    private readonly Value[] _args;
    private readonly int _hash;

    /// <summary>Creates an expression; the arguments are copied.</summary>
    public Expr(Symbol head, params ReadOnlySpan<Value> args)
        : this(args.ToArray(), head)
    {
    }

    // Argument order differs from the public constructor: this one takes ownership of the array.
    private Expr(Value[] args, Symbol head)
    {
        Head = head ?? throw new ArgumentNullException(nameof(head));
        _args = args;
        var hash = new HashCode();
        hash.Add(head.Id);
        foreach (Value arg in args)
        {
            hash.Add(arg);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>The head symbol.</summary>
    public Symbol Head { get; }

    /// <summary>Number of arguments.</summary>
    public int Count => _args.Length;

    /// <summary>The arguments.</summary>
    public ReadOnlySpan<Value> Args => _args;

    /// <summary>One argument.</summary>
    public Value this[int index] => _args[index];

    /// <summary>Takes ownership of <paramref name="args"/>: the caller must not change the array afterwards.</summary>
    internal static Expr Own(Symbol head, Value[] args) => new(args, head);

    /// <summary>Same head with other arguments (copied).</summary>
    public Expr WithArgs(ReadOnlySpan<Value> args) => new(Head, args);

    /// <inheritdoc />
    public bool Equals(Expr? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._hash != _hash || !ReferenceEquals(other.Head, Head) || other._args.Length != _args.Length)
        {
            return false;
        }

        for (int i = 0; i < _args.Length; i++)
        {
            if (!_args[i].Equals(other._args[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Expr);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>Canonical order: by head name, then argument count, then arguments.</summary>
    public int CompareTo(Expr? other)
    {
        if (other is null)
        {
            return 1;
        }

        int byHead = string.CompareOrdinal(Head.Name, other.Head.Name);
        if (byHead != 0)
        {
            return byHead;
        }

        int byCount = _args.Length.CompareTo(other._args.Length);
        if (byCount != 0)
        {
            return byCount;
        }

        for (int i = 0; i < _args.Length; i++)
        {
            int byArg = _args[i].CompareTo(other._args[i]);
            if (byArg != 0)
            {
                return byArg;
            }
        }

        return 0;
    }

    /// <summary>FullForm text, which <see cref="Parser"/> reads back.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    private void Append(StringBuilder builder)
    {
        builder.Append(Head.Name).Append('[');
        for (int i = 0; i < _args.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            if (_args[i].TryGetExpr(out Expr? child))
            {
                child.Append(builder);
            }
            else
            {
                builder.Append(_args[i].ToString());
            }
        }

        builder.Append(']');
    }
}
