using System.Collections.Generic;
using System.Linq;
using Lyra.Core;
using Lyra.Core.Data;

namespace Lyra.Core.Tests;

public class DataAndResolutionTests
{
    [Fact]
    public void Summaries_match_a_linq_reference()
    {
        var table = new SymbolTable();
        var region = new[] { table.Intern("north"), table.Intern("south"), table.Intern("north"), table.Intern("east") };
        var units = new Value[] { 2L, 1L, 3L, 5L };
        var price = new Value[] { 10.0, 4.0, 1.5, 0.5 };
        var sales = new SalesTable(region, units, price);

        GroupSummary[] groups = sales.Summarize(table, 1.0);

        Assert.Equal(new[] { "north", "south" }, groups.Select(g => g.Group.Name));
        Assert.Equal(new GroupSummary(table.Intern("north"), 2, 5, 24.5, 20.0), groups[0]);
        Assert.Equal(new GroupSummary(table.Intern("south"), 1, 1, 4.0, 4.0), groups[1]);
    }

    [Fact]
    public void Generated_tables_are_deterministic()
    {
        var t1 = new SymbolTable();
        var t2 = new SymbolTable();
        GroupSummary[] a = SalesTable.Generate(t1, 5000, 16, seed: 7).Summarize(t1, 25.0);
        GroupSummary[] b = SalesTable.Generate(t2, 5000, 16, seed: 7).Summarize(t2, 25.0);
        Assert.Equal(a.Select(g => (g.Group.Name, g.Rows, g.Units, g.Revenue)), b.Select(g => (g.Group.Name, g.Rows, g.Units, g.Revenue)));
        Assert.Equal(16, a.Length);
    }

    [Fact]
    public void Symbol_and_string_environments_resolve_alike()
    {
        var table = new SymbolTable();
        var scope = new Scope();
        var strings = new Dictionary<string, Value>();
        foreach ((string name, Value value) in new[] { ("x", (Value)1L), ("alpha", (Value)2.5), ("n2", (Value)table.Intern("q")) })
        {
            scope.Set(table.Intern(name), value);
            strings[name] = value;
        }

        const string call = "f[x, 3, alpha, 0.25, n2, unknown]";
        Value[] bySymbol = NameResolution.ResolveArguments(call, table, scope);
        Value[] byString = NameResolution.ResolveArguments(call, strings);

        Assert.Equal(new Value[] { 1L, 3L, 2.5, 0.25, table.Intern("q"), default }, bySymbol);
        Assert.Equal(bySymbol, byString);
        Assert.Empty(NameResolution.ResolveArguments("f[]", strings));
        Assert.Throws<ParseException>(() => NameResolution.ResolveArguments("f(x)", strings));
    }
}
