using System;
using System.Threading.Tasks;
using Lyra.Core;

namespace Lyra.Core.Tests;

public class SymbolTests
{
    [Fact]
    public void Interning_the_same_name_returns_the_same_object()
    {
        var table = new SymbolTable();
        Symbol a = table.Intern("alpha");
        Symbol b = table.Intern("alpha".AsSpan());
        Symbol c = table.Intern(new string("xalphax".AsSpan(1, 5)));

        Assert.Same(a, b);
        Assert.Same(a, c);
        Assert.Equal(a.Id, c.Id);
        Assert.NotSame(a, table.Intern("beta"));
    }

    [Fact]
    public void Ids_are_dense_and_index_the_table()
    {
        var table = new SymbolTable();
        int before = table.Count;
        Symbol s = table.Intern("fresh");
        Assert.Equal(before, s.Id);
        Assert.Equal(before + 1, table.Count);
        Assert.Same(s, table[s.Id]);
    }

    [Fact]
    public void Builtins_are_known_by_name_in_every_table()
    {
        var one = new SymbolTable();
        var two = new SymbolTable();
        Assert.Equal(Builtin.Plus, one.Known.Plus.Builtin);
        Assert.Equal(Builtin.Plus, two.Intern("Plus").Builtin);
        Assert.Equal(Builtin.None, one.Intern("plus").Builtin);
        Assert.NotSame(one.Known.Plus, two.Known.Plus);
    }

    [Fact]
    public void TryGet_does_not_create()
    {
        var table = new SymbolTable();
        int before = table.Count;
        Assert.False(table.TryGet("nowhere", out _));
        Assert.Equal(before, table.Count);
    }

    [Fact]
    public void Concurrent_interning_yields_one_symbol_per_name()
    {
        var table = new SymbolTable();
        var seen = new Symbol[8][];
        Parallel.For(0, 8, t =>
        {
            seen[t] = new Symbol[200];
            for (int i = 0; i < 200; i++)
            {
                seen[t][i] = table.Intern("n" + i);
            }
        });

        for (int i = 0; i < 200; i++)
        {
            for (int t = 1; t < 8; t++)
            {
                Assert.Same(seen[0][i], seen[t][i]);
            }
        }
    }
}
