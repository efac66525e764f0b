using System;
using Lyra.Core;
using Lyra.Core.Numerics;

namespace Lyra.Core.Tests;

public class CalculusTests
{
    private readonly SymbolTable _table = new();
    private readonly Parser _parser;
    private readonly Calculus _calculus;
    private readonly Symbol _x;

    public CalculusTests()
    {
        _parser = new Parser(_table);
        _calculus = new Calculus(new Evaluator(_table));
        _x = _table.Intern("x");
    }

    [Theory]
    [InlineData("x", "1")]
    [InlineData("5", "0")]
    [InlineData("y", "0")]
    [InlineData("x^3", "Times[3, Power[x, 2]]")]
    [InlineData("3*x + 2", "3")]
    [InlineData("Sin[x]", "Cos[x]")]
    [InlineData("Exp[2*x]", "Times[2, Exp[Times[2, x]]]")]
    public void Differentiates_symbolically(string f, string expected) =>
        Assert.Equal(expected, _calculus.Differentiate(_parser.Parse(f), _x).ToString());

    [Theory]
    [InlineData("x^3 + 2*x^2 - 5*x + 1", 0.7)]
    [InlineData("Sin[x]*Exp[x]", 1.3)]
    [InlineData("Log[x^2 + 1]/x", 2.0)]
    [InlineData("Sqrt[x]*Cos[x^2]", 0.9)]
    [InlineData("x^x", 1.5)]
    public void Derivative_matches_a_finite_difference(string source, double at)
    {
        Value f = _parser.Parse(source);
        Value df = _calculus.Differentiate(f, _x);
        var evaluator = _calculus.Evaluator;
        double F(double v)
        {
            var scope = new Scope();
            scope.Set(_x, v);
            return evaluator.Evaluate(f, scope).AsDouble;
        }

        var s = new Scope();
        s.Set(_x, at);
        double symbolic = evaluator.Evaluate(df, s).AsDouble;
        const double h = 1e-6;
        double numeric = (F(at + h) - F(at - h)) / (2 * h);
        Assert.Equal(numeric, symbolic, 5);
    }

    [Fact]
    public void Simpson_integrates_polynomials_exactly()
    {
        Assert.Equal(0.25, _calculus.Integrate(_parser.Parse("x^3"), _x, 0, 1, 2), 12);
        Assert.Equal(2.0, _calculus.Integrate(_parser.Parse("Sin[x]"), _x, 0, Math.PI, 64), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => _calculus.Integrate(_parser.Parse("x"), _x, 0, 1, 3));
    }

    [Fact]
    public void Newton_finds_roots_with_the_symbolic_derivative()
    {
        Value f = _parser.Parse("x^2 - 2");
        Value df = _calculus.Differentiate(f, _x);
        Assert.Equal(Math.Sqrt(2), _calculus.FindRoot(f, df, _x, 1.0), 12);
        Value g = _parser.Parse("Cos[x] - x");
        Assert.Equal(0.7390851332151607, _calculus.FindRoot(g, _calculus.Differentiate(g, _x), _x, 1.0), 12);
    }
}
