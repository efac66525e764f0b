using System;
using System.Globalization;

namespace Lyra.Core;

/// <summary>What a <see cref="Value"/> holds.</summary>
public enum ValueKind : byte
{
    /// <summary>No value (the default).</summary>
    Null,
    /// <summary>A 64-bit integer.</summary>
    Integer,
    /// <summary>A double.</summary>
    Real,
    /// <summary>A <see cref="Core.Symbol"/>.</summary>
    Symbol,
    /// <summary>An <see cref="Core.Expr"/>.</summary>
    Expr,
}

/// <summary>
/// A 16-byte tagged union: one reference field (a symbol, an expression, or a shared tag object that says
/// "integer" or "real") and 64 bits of payload. Numbers never allocate.
/// </summary>
/// <remarks>
/// Equality is structural and kind-sensitive (<c>2</c> is not <c>2.0</c>), like SameQ; ordering is total:
/// null &lt; numbers (by numeric value; an integer before an equal real) &lt; symbols (by name) &lt; expressions.
/// </remarks>
public readonly struct Value : IEquatable<Value>, IComparable<Value>
{
    private static readonly KindTag s_integer = new(ValueKind.Integer);
    private static readonly KindTag s_real = new(ValueKind.Real);

    private readonly object? _ref;
    private readonly long _bits;

    private Value(object? reference, long bits)
    {
        _ref = reference;
        _bits = bits;
    }

    /// <summary>The kind of payload.</summary>
    public ValueKind Kind => _ref switch
    {
        null => ValueKind.Null,
        KindTag tag => tag.Kind,
        Symbol => ValueKind.Symbol,
        _ => ValueKind.Expr,
    };

    /// <summary>True for the default value.</summary>
    public bool IsNull => _ref is null;

    /// <summary>True for an integer.</summary>
    public bool IsInteger => ReferenceEquals(_ref, s_integer);

    /// <summary>True for a real.</summary>
    public bool IsReal => ReferenceEquals(_ref, s_real);

    /// <summary>True for an integer or a real.</summary>
    public bool IsNumber => _ref is KindTag;

    /// <summary>The integer; throws for other kinds.</summary>
    public long AsInteger => IsInteger ? _bits : throw WrongKind(ValueKind.Integer);

    /// <summary>The number as a double (integers converted); throws for non-numbers.</summary>
    public double AsDouble =>
        IsReal ? BitConverter.Int64BitsToDouble(_bits) : IsInteger ? _bits : throw WrongKind(ValueKind.Real);

    /// <summary>The symbol; throws for other kinds.</summary>
    public Symbol AsSymbol => _ref as Symbol ?? throw WrongKind(ValueKind.Symbol);

    /// <summary>The expression; throws for other kinds.</summary>
    public Expr AsExpr => _ref as Expr ?? throw WrongKind(ValueKind.Expr);

    /// <summary>Gets the symbol when this is one.</summary>
    public bool TryGetSymbol([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Symbol? symbol)
    {
        symbol = _ref as Symbol;
        return symbol is not null;
    }

    /// <summary>Gets the expression when this is one.</summary>
    public bool TryGetExpr([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Expr? expr)
    {
        expr = _ref as Expr;
        return expr is not null;
    }

    /// <summary>Same payload bits and same reference: a cheap "unchanged" test, no structural comparison.</summary>
    internal bool IsIdenticalTo(Value other) => ReferenceEquals(_ref, other._ref) && _bits == other._bits;

    /// <summary>True when this is an expression with the given head.</summary>
    public bool HasHead(Symbol head) => _ref is Expr e && ReferenceEquals(e.Head, head);

    /// <summary>An integer.</summary>
    public static Value FromInteger(long value) => new(s_integer, value);

    /// <summary>A real.</summary>
    public static Value FromReal(double value) => new(s_real, BitConverter.DoubleToInt64Bits(value));

    /// <summary>A symbol.</summary>
    public static Value FromSymbol(Symbol symbol) => new(symbol ?? throw new ArgumentNullException(nameof(symbol)), 0);

    /// <summary>An expression.</summary>
    public static Value FromExpr(Expr expr) => new(expr ?? throw new ArgumentNullException(nameof(expr)), 0);

#pragma warning disable CS1591 // conversions and operators are self-describing
    public static implicit operator Value(long value) => FromInteger(value);
    public static implicit operator Value(double value) => FromReal(value);
    public static implicit operator Value(Symbol symbol) => FromSymbol(symbol);
    public static implicit operator Value(Expr expr) => FromExpr(expr);

    public static Value operator +(Value a, Value b) => Add(a, b);
    public static Value operator -(Value a, Value b) => Subtract(a, b);
    public static Value operator *(Value a, Value b) => Multiply(a, b);
    public static Value operator /(Value a, Value b) => Divide(a, b);
    public static Value operator -(Value a) => Negate(a);
    public static bool operator ==(Value a, Value b) => a.Equals(b);
    public static bool operator !=(Value a, Value b) => !a.Equals(b);
    public static bool operator <(Value a, Value b) => Order(a, b) < 0;
    public static bool operator >(Value a, Value b) => Order(a, b) > 0;
    public static bool operator <=(Value a, Value b) => Order(a, b) <= 0;
    public static bool operator >=(Value a, Value b) => Order(a, b) >= 0;
#pragma warning restore CS1591

    /// <summary>Sum of two numbers; integer overflow promotes to a real.</summary>
    public static Value Add(Value a, Value b)
    {
        if (a.IsInteger && b.IsInteger)
        {
            long sum = unchecked(a._bits + b._bits);
            // Overflow when both operands have the same sign and the sum's sign differs.
            return ((a._bits ^ sum) & (b._bits ^ sum)) < 0 ? FromReal((double)a._bits + b._bits) : FromInteger(sum);
        }

        return FromReal(Numeric(a) + Numeric(b));
    }

    /// <summary>Difference of two numbers.</summary>
    public static Value Subtract(Value a, Value b) => Add(a, Negate(b));

    /// <summary>Negation of a number.</summary>
    public static Value Negate(Value a)
    {
        if (a.IsInteger)
        {
            return a._bits == long.MinValue ? FromReal(-(double)a._bits) : FromInteger(-a._bits);
        }

        return FromReal(-Numeric(a));
    }

    /// <summary>Product of two numbers; integer overflow promotes to a real.</summary>
    public static Value Multiply(Value a, Value b)
    {
        if (a.IsInteger && b.IsInteger)
        {
            long high = Math.BigMul(a._bits, b._bits, out long low);
            return high == (low >> 63) ? FromInteger(low) : FromReal((double)a._bits * b._bits);
        }

        return FromReal(Numeric(a) * Numeric(b));
    }

    /// <summary>Quotient: exact integer division stays an integer, otherwise a real.</summary>
    public static Value Divide(Value a, Value b)
    {
        if (a.IsInteger && b.IsInteger)
        {
            if (b._bits == 0)
            {
                throw new DivideByZeroException();
            }

            if (b._bits != -1 && a._bits % b._bits == 0)
            {
                return FromInteger(a._bits / b._bits);
            }
        }

        return FromReal(Numeric(a) / Numeric(b));
    }

    /// <summary><paramref name="a"/> raised to <paramref name="b"/>; integer to non-negative integer stays exact.</summary>
    public static Value Power(Value a, Value b)
    {
        if (a.IsInteger && b.IsInteger && b._bits >= 0)
        {
            Value result = FromInteger(1);
            Value factor = a;
            long exponent = b._bits;
            while (exponent != 0)
            {
                if ((exponent & 1) != 0)
                {
                    result = Multiply(result, factor);
                }

                exponent >>= 1;
                if (exponent != 0)
                {
                    factor = Multiply(factor, factor);
                }
            }

            return result;
        }

        return FromReal(Math.Pow(Numeric(a), Numeric(b)));
    }

    /// <inheritdoc />
    public bool Equals(Value other)
    {
        if (ReferenceEquals(_ref, other._ref))
        {
            // Same tag (or same symbol/expression): integers and reals compare their bits; NaN equals NaN.
            return _bits == other._bits || (IsReal && AsDouble.Equals(other.AsDouble));
        }

        return _ref is Expr left && other._ref is Expr right && left.Equals(right);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _ref switch
    {
        null => 0,
        KindTag => IsReal ? AsDouble.GetHashCode() : _bits.GetHashCode(),
        Symbol s => s.GetHashCode() ^ 0x5bd1e995,
        Expr e => e.GetHashCode(),
        _ => 0,
    };

    /// <inheritdoc />
    public int CompareTo(Value other)
    {
        int rank = Rank(), otherRank = other.Rank();
        if (rank != otherRank)
        {
            return rank.CompareTo(otherRank);
        }

        switch (_ref)
        {
            case null:
                return 0;
            case KindTag:
                if (IsInteger && other.IsInteger)
                {
                    return _bits.CompareTo(other._bits);
                }

                int byValue = AsDouble.CompareTo(other.AsDouble);
                return byValue != 0 ? byValue : IsInteger.CompareTo(other.IsInteger) * -1;
            case Symbol s:
                return string.CompareOrdinal(s.Name, other.AsSymbol.Name);
            default:
                return AsExpr.CompareTo(other.AsExpr);
        }
    }

    // Operators compare numbers numerically (3 >= 3.0); CompareTo breaks that tie to stay a total order.
    private static int Order(Value a, Value b)
    {
        if (a.IsInteger && b.IsInteger)
        {
            return a._bits.CompareTo(b._bits);
        }

        return a.IsNumber && b.IsNumber ? a.AsDouble.CompareTo(b.AsDouble) : a.CompareTo(b);
    }

    /// <summary>FullForm text: integers, reals (always with a '.' or exponent), symbols, <c>Head[args]</c>.</summary>
    public override string ToString() => _ref switch
    {
        null => "Null",
        KindTag when IsInteger => _bits.ToString(CultureInfo.InvariantCulture),
        KindTag => FormatReal(AsDouble),
        _ => _ref.ToString() ?? string.Empty,
    };

    internal static string FormatReal(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') >= 0 || !double.IsFinite(value) ? text : text + ".0";
    }

    private int Rank() => _ref switch
    {
        null => 0,
        KindTag => 1,
        Symbol => 2,
        _ => 3,
    };

    private static double Numeric(Value v) =>
        v.IsReal ? BitConverter.Int64BitsToDouble(v._bits)
        : v.IsInteger ? v._bits
        : throw new InvalidOperationException($"'{v}' is not a number.");

    private InvalidOperationException WrongKind(ValueKind wanted) => new($"Expected {wanted}, got {Kind} '{this}'.");

    private sealed class KindTag(ValueKind kind)
    {
        public ValueKind Kind { get; } = kind;
    }
}
