using System;
using Lyra.Core;

namespace Lyra.Core.Tests;

public class EvaluatorTests
{
    private readonly SymbolTable _table = new();
    private readonly Parser _parser;
    private readonly Evaluator _evaluator;

    public EvaluatorTests()
    {
        _parser = new Parser(_table);
        _evaluator = new Evaluator(_table);
    }

    private string Eval(string source, Scope? scope = null) => _evaluator.Evaluate(_parser.Parse(source), scope).ToString();

    [Theory]
    [InlineData("1 + 2*3", "7")]
    [InlineData("2^10 - 24", "1000")]
    [InlineData("7/2", "3.5")]
    [InlineData("1 + x + 2", "Plus[3, x]")]
    [InlineData("x + 0", "x")]
    [InlineData("1*x", "x")]
    [InlineData("0*x", "0")]
    [InlineData("2*x*3", "Times[6, x]")]
    [InlineData("Plus[a, Plus[b, 1], 2]", "Plus[3, a, b]")]
    [InlineData("x^1", "x")]
    [InlineData("x^0", "1")]
    [InlineData("f[1 + 1, g[2*2]]", "f[2, g[4]]")]
    [InlineData("Max[3, 7.5, -1]", "7.5")]
    [InlineData("Min[3, 7.5, -1]", "-1")]
    [InlineData("Abs[-4]", "4")]
    [InlineData("Sum[i^2, {i, 1, 10}]", "385")]
    [InlineData("Sum[i, {i, 1, 2, 0.5}]", "4.5")]
    [InlineData("Sum[y*i, {i, 1, 3}]", "Sum[Times[y, i], List[i, 1, 3]]")]
    [InlineData("f[x_] -> x + 1", "Rule[f[Pattern[x, Blank[]]], Plus[x, 1]]")]
    public void Evaluates(string source, string expected) => Assert.Equal(expected, Eval(source));

    [Fact]
    public void Functions_of_numbers_are_numbers()
    {
        Assert.Equal(1.0, _evaluator.Evaluate(_parser.Parse("Sin[Pi/2]")).AsDouble, 12);
        Assert.Equal(1.0, _evaluator.Evaluate(_parser.Parse("Sin[0.3]^2 + Cos[0.3]^2")).AsDouble, 12);
        Assert.Equal(Math.E, _evaluator.Evaluate(_parser.Parse("Exp[Log[E]]")).AsDouble, 12);
        Assert.Equal(3.0, _evaluator.Evaluate(_parser.Parse("Sqrt[9]")).AsDouble);
        Assert.Equal("Sin[x]", Eval("Sin[x]"));
    }

    [Fact]
    public void Scope_binds_symbols()
    {
        var outer = new Scope();
        outer.Set(_table.Intern("x"), 3L);
        var inner = new Scope(outer);
        inner.Set(_table.Intern("y"), 0.5);
        Assert.Equal("6.5", Eval("x*2 + y", inner));
        Assert.Equal("Plus[6, y]", Eval("x*2 + y", outer));
    }

    [Fact]
    public void Unchanged_expressions_are_returned_as_is()
    {
        Value value = _parser.Parse("f[x, g[y, 2]]");
        Assert.Same(value.AsExpr, _evaluator.Evaluate(value).AsExpr);
        Value sum = _parser.Parse("Plus[1, x]");
        Assert.Same(sum.AsExpr, _evaluator.Evaluate(sum).AsExpr);
    }

    [Fact]
    public void Pooled_and_unpooled_evaluation_agree()
    {
        var unpooled = new Evaluator(_table, pooling: false);
        Assert.True(_evaluator.Pooling);
        Assert.False(unpooled.Pooling);
        foreach (string source in new[] { "x^3 + 2*x - f[1 + 2, y]", "Sum[Sin[i]^2, {i, 1, 50}]", "Plus[a, Plus[b, Times[2, 3]]]" })
        {
            Value value = _parser.Parse(source);
            Assert.Equal(_evaluator.Evaluate(value), unpooled.Evaluate(value));
        }
    }
}
