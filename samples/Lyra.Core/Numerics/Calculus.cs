using System;
using Lyra.Core.Patterns;

namespace Lyra.Core.Numerics;

/// <summary>
/// Symbolic differentiation by rewrite rules (sum, product, power and chain rules for <c>Sin</c>, <c>Cos</c>,
/// <c>Exp</c>, <c>Log</c>), and numeric methods over expressions: Simpson integration and Newton's method.
/// </summary>
public sealed class Calculus
{
    /// <summary>The differentiation rules, in the order they are tried.</summary>
    public static readonly string[] DerivativeRules =
    [
        "D[x_, x_] -> 1",
        "D[c_Integer, x_] -> 0",
        "D[c_Real, x_] -> 0",
        "D[y_Symbol, x_] -> 0",
        "D[Plus[a_, b__], x_] -> Plus[D[a, x], D[Plus[b], x]]",
        "D[Times[a_, b__], x_] -> Plus[Times[D[a, x], b], Times[a, D[Times[b], x]]]",
        "D[Power[f_, n_Integer], x_] -> Times[n, Power[f, Plus[n, -1]], D[f, x]]",
        "D[Power[f_, g_], x_] -> Times[Power[f, g], Plus[Times[D[g, x], Log[f]], Times[g, D[f, x], Power[f, -1]]]]",
        "D[Sin[f_], x_] -> Times[Cos[f], D[f, x]]",
        "D[Cos[f_], x_] -> Times[-1, Sin[f], D[f, x]]",
        "D[Exp[f_], x_] -> Times[Exp[f], D[f, x]]",
        "D[Log[f_], x_] -> Times[D[f, x], Power[f, -1]]",
        "D[Sqrt[f_], x_] -> Times[1/2, Power[f, -1/2], D[f, x]]",
    ];

    private readonly SymbolTable _symbols;
    private readonly Rewriter _rewriter;
    private readonly RuleSet _rules;

    /// <summary>Creates the rules in <paramref name="evaluator"/>'s symbol table.</summary>
    public Calculus(Evaluator evaluator)
    {
        Evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        _symbols = evaluator.Symbols;
        _rewriter = new Rewriter(_symbols, evaluator);
        _rules = RuleSet.Parse(new Parser(_symbols), DerivativeRules);
    }

    /// <summary>The evaluator used for simplification and numeric work.</summary>
    public Evaluator Evaluator { get; }

    /// <summary>The derivative of <paramref name="f"/> with respect to <paramref name="x"/>, simplified by evaluation.</summary>
    public Value Differentiate(Value f, Symbol x) =>
        _rewriter.ReplaceRepeated(Expr.Own(_symbols.Known.D, [f, Value.FromSymbol(x)]), _rules);

    /// <summary>∫ f dx from <paramref name="a"/> to <paramref name="b"/> by composite Simpson with <paramref name="intervals"/> (even) intervals.</summary>
    public double Integrate(Value f, Symbol x, double a, double b, int intervals)
    {
        if (intervals <= 0 || intervals % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(intervals), "Simpson's rule needs a positive, even number of intervals.");
        }

        var scope = new Scope(capacity: 1);
        double h = (b - a) / intervals;
        double sum = At(f, x, a, scope) + At(f, x, b, scope);
        for (int i = 1; i < intervals; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * At(f, x, a + (i * h), scope);
        }

        return sum * h / 3;
    }

    /// <summary>
    /// A root of <paramref name="f"/> by Newton's method from <paramref name="start"/>, using the symbolic derivative
    /// <paramref name="derivative"/>; NaN when it does not converge.
    /// </summary>
    public double FindRoot(Value f, Value derivative, Symbol x, double start, double tolerance = 1e-12, int maxIterations = 50)
    {
        var scope = new Scope(capacity: 1);
        double current = start;
        for (int i = 0; i < maxIterations; i++)
        {
            double fx = At(f, x, current, scope);
            double slope = At(derivative, x, current, scope);
            if (slope == 0 || !double.IsFinite(slope))
            {
                return double.NaN;
            }

            double next = current - (fx / slope);
            if (Math.Abs(next - current) <= tolerance * Math.Max(1, Math.Abs(next)))
            {
                return next;
            }

            current = next;
        }

        return double.NaN;
    }

    private double At(Value f, Symbol x, double at, Scope scope)
    {
        scope.Set(x, Value.FromReal(at));
        Value result = Evaluator.Evaluate(f, scope);
        return result.IsNumber ? result.AsDouble : throw new InvalidOperationException($"'{f}' is not numeric at {x} = {at}: {result}.");
    }
}
