using System;
using Lyra.Core.Memory;

namespace Lyra.Core;

/// <summary>
/// Evaluates values: bound symbols are replaced from the <see cref="Scope"/>; <c>Plus</c>, <c>Times</c>,
/// <c>Power</c> fold their numeric arguments, flatten nested sums/products and drop identities (what is left stays
/// symbolic: <c>Plus[1, x, 2]</c> is <c>Plus[3, x]</c>); <c>Sin</c>, <c>Cos</c>, <c>Exp</c>, <c>Log</c>,
/// <c>Sqrt</c>, <c>Abs</c>, <c>Min</c>, <c>Max</c> compute on numbers; <c>Sum[body, {i, lo, hi}]</c> loops;
/// <c>Pi</c> and <c>E</c> are reals. Patterns and rules are held unevaluated. Unknown heads keep their head with
/// evaluated arguments, and an unchanged expression is returned as the same object (no allocation).
/// </summary>
/// <remarks>
/// Arguments are evaluated onto one argument stack (a <see cref="ValueBuffer"/>) per top-level call, rented from an
/// <see cref="ObjectPool{T}"/> and returned, so a purely numeric evaluation allocates nothing. With pooling off each
/// call allocates its stack (the comparison <c>PoolBenchmarks</c> measures). Thread-safe: share one evaluator,
/// not a <see cref="Scope"/>.
/// </remarks>
public sealed class Evaluator
{
    private readonly ObjectPool<ValueBuffer>? _buffers;
    private readonly WellKnownSymbols _known;

    /// <summary>Creates an evaluator for expressions built from <paramref name="symbols"/>.</summary>
    /// <param name="symbols">The table the expressions were interned in.</param>
    /// <param name="pooling">Rent scratch buffers from a pool (true) or allocate one per expression node.</param>
    public Evaluator(SymbolTable symbols, bool pooling = true)
    {
        Symbols = symbols ?? throw new ArgumentNullException(nameof(symbols));
        _known = symbols.Known;
        // One stack per evaluation in flight: a few per thread is plenty.
        _buffers = pooling ? Pools.CreateValueBufferPool(maxRetained: 4 * Environment.ProcessorCount) : null;
    }

    /// <summary>The symbol table.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>True when scratch buffers come from a pool.</summary>
    public bool Pooling => _buffers is not null;

    /// <summary>Evaluates <paramref name="value"/> with the bindings of <paramref name="scope"/>.</summary>
    public Value Evaluate(Value value, Scope? scope = null)
    {
        if (!value.TryGetExpr(out Expr? expr))
        {
            return EvaluateAtom(value, scope);
        }

        // One argument stack per evaluation, shared by every nested level: rented once, returned once.
        ValueBuffer stack = _buffers?.Rent() ?? new ValueBuffer(16);
        try
        {
            if (Slowdown.Enabled)
            {
                return EvaluateSlowed(expr, scope, stack);
            }

            return EvaluateExpr(expr, scope, stack);
        }
        finally
        {
            _buffers?.Return(stack);
        }
    }

    // LYRA_CORE_SLOWDOWN (see Slowdown): a numeric evaluation allocates nothing, so it is repeated on a fraction of
    // calls, on the same stack; one that ran a Sum was already slowed term by term, and a symbolic result
    // (which allocated) is not repeated.
    private Value EvaluateSlowed(Expr expr, Scope? scope, ValueBuffer stack)
    {
        Slowdown.BeginEvaluation();
        Value result = EvaluateExpr(expr, scope, stack);
        if (result.IsNumber && !Slowdown.SumSeen)
        {
            for (int r = Slowdown.Enter(); r > 0; r--)
            {
                EvaluateExpr(expr, scope, stack);
            }

            Slowdown.Exit();
        }

        return result;
    }

    private static Value EvaluateAtom(Value value, Scope? scope)
    {
        if (value.TryGetSymbol(out Symbol? symbol))
        {
            if (scope is not null && scope.TryGet(symbol, out Value bound))
            {
                return bound;
            }

            return symbol.Builtin switch
            {
                Builtin.Pi => Value.FromReal(Math.PI),
                Builtin.E => Value.FromReal(Math.E),
                _ => value,
            };
        }

        return value;
    }

    private Value Evaluate(Value value, Scope? scope, ValueBuffer stack) =>
        value.TryGetExpr(out Expr? expr) ? EvaluateExpr(expr, scope, stack) : EvaluateAtom(value, scope);

    // Arguments are pushed on the shared stack above `mark` and popped before returning.
    private Value EvaluateExpr(Expr expr, Scope? scope, ValueBuffer stack)
    {
        switch (expr.Head.Builtin)
        {
            case Builtin.Pattern:
            case Builtin.Blank:
            case Builtin.BlankSequence:
            case Builtin.Rule:
                return expr;
            case Builtin.Sum:
                return EvaluateSum(expr, scope, stack);
        }

        int mark = stack.Count;
        try
        {
            bool changed = false;
            bool numeric = true;
            foreach (Value arg in expr.Args)
            {
                Value result = Evaluate(arg, scope, stack);
                if (!result.IsIdenticalTo(arg))
                {
                    changed = true;
                }

                if (result.TryGetExpr(out Expr? sequence) && sequence.Head.Builtin == Builtin.Sequence)
                {
                    stack.AddRange(sequence.Args);
                    changed = true;
                    numeric = false;
                    continue;
                }

                numeric &= result.IsNumber;
                stack.Add(result);
            }

            ReadOnlySpan<Value> items = stack.Items[mark..];
            switch (expr.Head.Builtin)
            {
                case Builtin.Plus:
                    return Fold(expr, items, changed, isPlus: true, stack);
                case Builtin.Times:
                    return Fold(expr, items, changed, isPlus: false, stack);
                case Builtin.Power when items.Length == 2:
                    return EvaluatePower(expr, items[0], items[1], changed);
                case Builtin.Sin when numeric && items.Length == 1:
                    return Math.Sin(items[0].AsDouble);
                case Builtin.Cos when numeric && items.Length == 1:
                    return Math.Cos(items[0].AsDouble);
                case Builtin.Exp when numeric && items.Length == 1:
                    return Math.Exp(items[0].AsDouble);
                case Builtin.Log when numeric && items.Length == 1:
                    return Math.Log(items[0].AsDouble);
                case Builtin.Sqrt when numeric && items.Length == 1:
                    return Math.Sqrt(items[0].AsDouble);
                case Builtin.Abs when numeric && items.Length == 1:
                    return items[0].IsInteger && items[0].AsInteger != long.MinValue
                        ? Value.FromInteger(Math.Abs(items[0].AsInteger))
                        : Value.FromReal(Math.Abs(items[0].AsDouble));
                case Builtin.Min when numeric && items.Length > 0:
                    return Extreme(items, max: false);
                case Builtin.Max when numeric && items.Length > 0:
                    return Extreme(items, max: true);
            }

            return changed ? Expr.Own(expr.Head, items.ToArray()) : expr;
        }
        finally
        {
            stack.Truncate(mark);
        }
    }

    // Plus and Times: fold numbers into one (placed first), splice nested sums/products, drop the identity,
    // Times with an exact 0 is 0. Returns the original expression when nothing changed.
    // `items` may point into the stack's previous array once `terms` grows it: that array stays valid for reading.
    private static Value Fold(Expr expr, ReadOnlySpan<Value> items, bool changed, bool isPlus, ValueBuffer stack)
    {
        Symbol head = expr.Head;
        Value identity = Value.FromInteger(isPlus ? 0 : 1);
        Value number = identity;
        int numbers = 0;
        bool flattened = false;
        bool numberFirst = items.Length > 0 && items[0].IsNumber;
        int termsStart = stack.Count;
        int termCount = 0;
        try
        {
            foreach (Value item in items)
            {
                if (item.IsNumber)
                {
                    number = isPlus ? Value.Add(number, item) : Value.Multiply(number, item);
                    numbers++;
                }
                else if (item.TryGetExpr(out Expr? nested) && ReferenceEquals(nested.Head, head))
                {
                    flattened = true;
                    foreach (Value inner in nested.Args)
                    {
                        if (inner.IsNumber)
                        {
                            number = isPlus ? Value.Add(number, inner) : Value.Multiply(number, inner);
                            numbers++;
                        }
                        else
                        {
                            stack.Add(inner);
                            termCount++;
                        }
                    }
                }
                else
                {
                    stack.Add(item);
                    termCount++;
                }
            }

            if (!isPlus && number.IsInteger && number.AsInteger == 0)
            {
                return number;
            }

            bool keepNumber = !number.IsIdenticalTo(identity);
            if (termCount == 0)
            {
                return number;
            }

            if (termCount == 1 && !keepNumber)
            {
                return stack[termsStart];
            }

            bool sameShape = !flattened && (numbers == 0 || (numbers == 1 && keepNumber && numberFirst));
            if (sameShape && !changed)
            {
                return expr;
            }

            var result = new Value[termCount + (keepNumber ? 1 : 0)];
            int offset = 0;
            if (keepNumber)
            {
                result[offset++] = number;
            }

            stack.Items[termsStart..].CopyTo(result.AsSpan(offset));
            return Expr.Own(head, result);
        }
        finally
        {
            stack.Truncate(termsStart);
        }
    }

    private Value EvaluatePower(Expr expr, Value baseValue, Value exponent, bool changed)
    {
        if (baseValue.IsNumber && exponent.IsNumber)
        {
            return Value.Power(baseValue, exponent);
        }

        if (exponent.IsInteger)
        {
            switch (exponent.AsInteger)
            {
                case 0:
                    return Value.FromInteger(1);
                case 1:
                    return baseValue;
            }
        }

        if (baseValue.IsInteger && baseValue.AsInteger == 1)
        {
            return baseValue;
        }

        return changed ? Expr.Own(_known.Power, [baseValue, exponent]) : expr;
    }

    // Sum[body, {i, lo, hi}] or Sum[body, {i, lo, hi, step}]: evaluates body with i bound in a child scope.
    private Value EvaluateSum(Expr expr, Scope? scope, ValueBuffer stack)
    {
        if (expr.Count != 2 || !expr[1].TryGetExpr(out Expr? range) || !ReferenceEquals(range.Head, _known.List)
            || range.Count is < 3 or > 4 || !range[0].TryGetSymbol(out Symbol? index))
        {
            return expr;
        }

        Value low = Evaluate(range[1], scope, stack), high = Evaluate(range[2], scope, stack);
        Value step = range.Count == 4 ? Evaluate(range[3], scope, stack) : Value.FromInteger(1);
        if (!low.IsNumber || !high.IsNumber || !step.IsNumber || step.AsDouble <= 0)
        {
            return expr;
        }

        var inner = new Scope(scope, capacity: 1);
        Value total = Value.FromInteger(0);
        for (Value i = low; i <= high; i = Value.Add(i, step))
        {
            inner.Set(index, i);
            Value term = Evaluate(expr[0], inner, stack);
            if (Slowdown.Enabled)
            {
                // LYRA_CORE_SLOWDOWN: each term (allocation-free when numeric) is a repeatable step.
                Slowdown.MarkSum();
                for (int r = term.IsNumber ? Slowdown.Enter() : -1; r > 0; r--)
                {
                    Evaluate(expr[0], inner, stack);
                }

                if (term.IsNumber)
                {
                    Slowdown.Exit();
                }
            }

            if (!term.IsNumber)
            {
                return expr;
            }

            total = Value.Add(total, term);
        }

        return total;
    }

    private static Value Extreme(ReadOnlySpan<Value> items, bool max)
    {
        Value best = items[0];
        for (int i = 1; i < items.Length; i++)
        {
            int order = items[i].CompareTo(best);
            if (max ? order > 0 : order < 0)
            {
                best = items[i];
            }
        }

        return best;
    }

}
