using System;
using Lyra.Core.Memory;

namespace Lyra.Core.Patterns;

/// <summary>
/// Applies <see cref="RuleSet"/>s to expressions. <see cref="ReplaceAll"/> walks top-down and rewrites the first
/// node a rule matches (the replacement is not walked again in the same pass); <see cref="ReplaceRepeated"/>
/// repeats passes, evaluating in between, until nothing changes. <see cref="Bindings"/> come from a pool.
/// </summary>
public sealed class Rewriter
{
    private readonly Evaluator? _evaluator;
    private readonly WellKnownSymbols _known;
    private readonly ObjectPool<Bindings> _bindings;

    /// <param name="symbols">The table the rules and subjects were interned in.</param>
    /// <param name="evaluator">Evaluates each replacement (folds <c>Plus[3, -1]</c> to <c>2</c>); null leaves them as built.</param>
    public Rewriter(SymbolTable symbols, Evaluator? evaluator = null)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _known = symbols.Known;
        _evaluator = evaluator;
        _bindings = new ObjectPool<Bindings>(() => new Bindings(), static b =>
        {
            b.Clear();
            return true;
        });
    }

    /// <summary>One top-down pass of <paramref name="rules"/> over <paramref name="value"/>.</summary>
    public Value ReplaceAll(Value value, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Bindings bindings = _bindings.Rent();
        try
        {
            return ReplaceAll(value, rules, bindings);
        }
        finally
        {
            _bindings.Return(bindings);
        }
    }

    /// <summary>Passes of <see cref="ReplaceAll"/> until the value stops changing.</summary>
    /// <exception cref="InvalidOperationException">More than <paramref name="maxPasses"/> passes.</exception>
    public Value ReplaceRepeated(Value value, RuleSet rules, int maxPasses = 1000)
    {
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): rewriting allocates, so it is slowed by a timed wait; the matching
            // and evaluation inside are not slowed again.
            long start = Slowdown.EnterTimed();
            try
            {
                return ReplaceRepeatedCore(value, rules, maxPasses);
            }
            finally
            {
                Slowdown.ExitTimed(start);
            }
        }

        return ReplaceRepeatedCore(value, rules, maxPasses);
    }

    private Value ReplaceRepeatedCore(Value value, RuleSet rules, int maxPasses)
    {
        Value current = _evaluator?.Evaluate(value) ?? value;
        for (int pass = 0; pass < maxPasses; pass++)
        {
            Value next = ReplaceAll(current, rules);
            if (next.IsIdenticalTo(current) || next.Equals(current))
            {
                return current;
            }

            current = next;
        }

        throw new InvalidOperationException($"The rules did not reach a fixed point in {maxPasses} passes.");
    }

    /// <summary>Replaces the names bound in <paramref name="bindings"/> in <paramref name="template"/>.</summary>
    public Value Substitute(Value template, Bindings bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        if (template.TryGetSymbol(out Symbol? symbol))
        {
            if (!bindings.TryGetValues(symbol, out ReadOnlySpan<Value> values, out bool isSequence))
            {
                return template;
            }

            return isSequence ? Expr.Own(_known.Sequence, values.ToArray()) : values[0];
        }

        if (!template.TryGetExpr(out Expr? expr))
        {
            return template;
        }

        Value[]? args = null;
        int written = 0;
        for (int i = 0; i < expr.Count; i++)
        {
            Value arg = expr[i];
            if (arg.TryGetSymbol(out Symbol? name) && bindings.TryGetValues(name, out ReadOnlySpan<Value> values, out bool isSequence) && isSequence)
            {
                // Splice the slice in place of the name.
                args ??= CopyPrefix(expr, i, expr.Count - 1 + values.Length);
                if (args.Length < written + values.Length + (expr.Count - i - 1))
                {
                    Array.Resize(ref args, written + values.Length + (expr.Count - i - 1));
                }

                values.CopyTo(args.AsSpan(written));
                written += values.Length;
                continue;
            }

            Value replaced = Substitute(arg, bindings);
            if (args is null && !replaced.IsIdenticalTo(arg))
            {
                args = CopyPrefix(expr, i, expr.Count);
            }

            if (args is not null)
            {
                args[written] = replaced;
            }

            written++;
        }

        if (args is null)
        {
            return template;
        }

        if (args.Length != written)
        {
            Array.Resize(ref args, written);
        }

        return Expr.Own(expr.Head, args);
    }

    private Value ReplaceAll(Value value, RuleSet rules, Bindings bindings)
    {
        Rule? rule = rules.FindMatch(value, bindings);
        if (rule is not null)
        {
            Value replacement = Substitute(rule.Rhs, bindings);
            return _evaluator?.Evaluate(replacement) ?? replacement;
        }

        if (!value.TryGetExpr(out Expr? expr))
        {
            return value;
        }

        Value[]? args = null;
        for (int i = 0; i < expr.Count; i++)
        {
            Value replaced = ReplaceAll(expr[i], rules, bindings);
            if (args is null && !replaced.IsIdenticalTo(expr[i]))
            {
                args = CopyPrefix(expr, i, expr.Count);
            }

            if (args is not null)
            {
                args[i] = replaced;
            }
        }

        if (args is null)
        {
            return value;
        }

        Value rebuilt = Expr.Own(expr.Head, args);
        return _evaluator?.Evaluate(rebuilt) ?? rebuilt;
    }

    private static Value[] CopyPrefix(Expr expr, int count, int capacity)
    {
        var args = new Value[capacity];
        expr.Args[..count].CopyTo(args);
        return args;
    }
}
