using System;

namespace Lyra.Core.Patterns;

/// <summary>
/// Structural pattern matching over <see cref="Value"/>s. A pattern is a value in which
/// <c>Blank[]</c> (<c>_</c>) matches any one value, <c>Blank[h]</c> (<c>_h</c>) one value with head <c>h</c>
/// (<c>Integer</c>, <c>Real</c> and <c>Symbol</c> name the atomic kinds), <c>BlankSequence[]</c> (<c>__</c>) one or
/// more arguments, and <c>Pattern[x, blank]</c> (<c>x_</c>, <c>x__</c>) binds what it matched to <c>x</c>; a name
/// used twice must match equal values. Everything else matches only an equal value.
/// </summary>
/// <remarks>
/// Sequence blanks try the shortest slice first and backtrack over the arguments of one expression; a nested
/// expression's match is not revisited when a later sibling fails (enough for rewrite rules, not a full
/// Mathematica matcher). Matching allocates nothing when <see cref="Bindings"/> has room.
/// </remarks>
public static class PatternMatcher
{
    /// <summary>
    /// Matches <paramref name="subject"/> against <paramref name="pattern"/>, adding to <paramref name="bindings"/>;
    /// on failure the bindings are left as they were.
    /// </summary>
    public static bool Match(Value pattern, Value subject, Bindings bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        int mark = bindings.Count;
        if (MatchValue(pattern, subject, bindings))
        {
            return true;
        }

        bindings.Truncate(mark);
        return false;
    }

    /// <summary>True when <paramref name="pattern"/> contains a blank anywhere.</summary>
    public static bool IsPattern(Value pattern)
    {
        if (!pattern.TryGetExpr(out Expr? expr))
        {
            return false;
        }

        if (expr.Head.Builtin is Builtin.Blank or Builtin.BlankSequence or Builtin.Pattern)
        {
            return true;
        }

        foreach (Value arg in expr.Args)
        {
            if (IsPattern(arg))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchValue(Value pattern, Value subject, Bindings bindings)
    {
        if (!pattern.TryGetExpr(out Expr? p))
        {
            return pattern.Equals(subject);
        }

        switch (p.Head.Builtin)
        {
            case Builtin.Pattern when p.Count == 2 && p[0].TryGetSymbol(out Symbol? name):
                int bound = bindings.IndexOf(name);
                if (bound >= 0)
                {
                    return bindings.TryGetValues(name, out ReadOnlySpan<Value> values, out _)
                        && values.Length == 1 && values[0].Equals(subject);
                }

                if (!MatchValue(p[1], subject, bindings))
                {
                    return false;
                }

                bindings.Add(name, subject);
                return true;
            case Builtin.Blank:
            case Builtin.BlankSequence:
                return p.Count == 0 || HasHead(subject, p[0]);
        }

        if (!subject.TryGetExpr(out Expr? s) || !ReferenceEquals(p.Head, s.Head))
        {
            return false;
        }

        return MatchArguments(p, 0, s, 0, bindings);
    }

    private static bool MatchArguments(Expr pattern, int pi, Expr subject, int si, Bindings bindings)
    {
        while (pi < pattern.Count)
        {
            Value p = pattern[pi];
            if (IsSequence(p, out Symbol? name, out Value constraint))
            {
                return MatchSequence(pattern, pi, subject, si, bindings, name, constraint);
            }

            if (si == subject.Count || !MatchValue(p, subject[si], bindings))
            {
                return false;
            }

            pi++;
            si++;
        }

        return si == subject.Count;
    }

    private static bool MatchSequence(Expr pattern, int pi, Expr subject, int si, Bindings bindings, Symbol? name, Value constraint)
    {
        // Every later pattern argument needs at least one subject argument.
        int longest = subject.Count - si - (pattern.Count - pi - 1);
        if (name is not null && bindings.TryGetValues(name, out ReadOnlySpan<Value> previous, out _))
        {
            return previous.Length <= longest
                && previous.SequenceEqual(subject.Args.Slice(si, previous.Length))
                && MatchArguments(pattern, pi + 1, subject, si + previous.Length, bindings);
        }

        for (int length = 1; length <= longest; length++)
        {
            if (!constraint.IsNull && !HasHead(subject[si + length - 1], constraint))
            {
                return false;
            }

            int mark = bindings.Count;
            if (name is not null)
            {
                bindings.AddSequence(name, subject, si, length);
            }

            if (MatchArguments(pattern, pi + 1, subject, si + length, bindings))
            {
                return true;
            }

            bindings.Truncate(mark);
        }

        return false;
    }

    private static bool IsSequence(Value pattern, out Symbol? name, out Value constraint)
    {
        name = null;
        constraint = default;
        if (!pattern.TryGetExpr(out Expr? p))
        {
            return false;
        }

        if (p.Head.Builtin == Builtin.Pattern && p.Count == 2 && p[0].TryGetSymbol(out Symbol? bound)
            && p[1].TryGetExpr(out Expr? inner) && inner.Head.Builtin == Builtin.BlankSequence)
        {
            name = bound;
            p = inner;
        }
        else if (p.Head.Builtin != Builtin.BlankSequence)
        {
            return false;
        }

        constraint = p.Count > 0 ? p[0] : default;
        return true;
    }

    private static bool HasHead(Value subject, Value head)
    {
        if (!head.TryGetSymbol(out Symbol? symbol))
        {
            return false;
        }

        return symbol.Builtin switch
        {
            Builtin.Integer => subject.IsInteger,
            Builtin.Real => subject.IsReal,
            Builtin.Symbol => subject.Kind == ValueKind.Symbol,
            _ => subject.HasHead(symbol),
        };
    }
}
