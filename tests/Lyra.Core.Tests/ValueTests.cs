using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Lyra.Core;

namespace Lyra.Core.Tests;

public class ValueTests
{
    [Fact]
    public void Value_is_sixteen_bytes() => Assert.Equal(16, Unsafe.SizeOf<Value>());

    [Fact]
    public void Kinds_round_trip()
    {
        var table = new SymbolTable();
        Symbol x = table.Intern("x");
        Assert.Equal(ValueKind.Null, default(Value).Kind);
        Assert.Equal(42, Value.FromInteger(42).AsInteger);
        Assert.Equal(2.5, Value.FromReal(2.5).AsDouble);
        Assert.Same(x, Value.FromSymbol(x).AsSymbol);
        Assert.Equal(ValueKind.Expr, Value.FromExpr(new Expr(x, 1L)).Kind);
        Assert.Throws<InvalidOperationException>(() => Value.FromReal(1).AsInteger);
    }

    [Fact]
    public void Integer_arithmetic_is_exact_and_promotes_on_overflow()
    {
        Assert.Equal(Value.FromInteger(7), (Value)3L + 4L);
        Assert.Equal(Value.FromInteger(-12), (Value)3L * -4L);
        Assert.Equal(Value.FromInteger(3), (Value)12L / 4L);
        Assert.Equal(Value.FromReal(2.5), (Value)5L / 2L);
        Assert.Equal(Value.FromInteger(1024), Value.Power(2L, 10L));
        Assert.True(Value.Add(long.MaxValue, 1L).IsReal);
        Assert.True(Value.Multiply(long.MaxValue, 2L).IsReal);
        Assert.Throws<DivideByZeroException>(() => (Value)1L / 0L);
    }

    [Fact]
    public void Mixed_arithmetic_is_real()
    {
        Value sum = (Value)1L + 0.5;
        Assert.True(sum.IsReal);
        Assert.Equal(1.5, sum.AsDouble);
        Assert.Throws<InvalidOperationException>(() => (Value)new SymbolTable().Intern("x") + 1L);
    }

    [Fact]
    public void Equality_is_kind_sensitive_and_hash_consistent()
    {
        Assert.NotEqual(Value.FromInteger(2), Value.FromReal(2.0));
        Assert.Equal(Value.FromReal(double.NaN), Value.FromReal(double.NaN));
        Assert.Equal(Value.FromReal(0.0), Value.FromReal(-0.0));
        Assert.Equal(Value.FromReal(0.0).GetHashCode(), Value.FromReal(-0.0).GetHashCode());

        var table = new SymbolTable();
        var parser = new Parser(table);
        Value a = parser.Parse("f[x, 2, g[y]]"), b = parser.Parse("f[x, 2, g[y]]");
        Assert.NotSame(a.AsExpr, b.AsExpr);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, parser.Parse("f[x, 2, g[z]]"));
    }

    [Fact]
    public void Ordering_is_total_and_numeric()
    {
        var table = new SymbolTable();
        var values = new List<Value> { table.Intern("b"), 3L, 2.5, default, table.Intern("a"), 1L };
        values.Sort();
        Assert.Equal("Null, 1, 2.5, 3, a, b", string.Join(", ", values));
        Assert.True((Value)2L < 2.5);
        Assert.True((Value)3L >= 3.0);
    }

    [Fact]
    public void Reals_print_so_they_parse_back_as_reals()
    {
        Assert.Equal("2.0", Value.FromReal(2).ToString());
        Assert.Equal("0.1", Value.FromReal(0.1).ToString());
        var parser = new Parser(new SymbolTable());
        Assert.Equal(Value.FromReal(2), parser.Parse(Value.FromReal(2).ToString()));
    }
}
