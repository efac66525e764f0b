using System.Collections.Generic;
using Lyra.Perf.Engine.History;

namespace Lyra.Perf.Engine.Tests.History;

public sealed class EntryIndexTests
{
    [Fact]
    public void An_id_has_one_state_found_at_any_position()
    {
        var made = new List<string>();
        var index = new EntryIndex<List<int>>(id => { made.Add(id); return new List<int>(); });

        var a = index.Find("a", 0);
        var b = index.Find("b", 1);

        // The same ids in the next record, as other string instances, at their positions and then shifted.
        Assert.Same(a, index.Find(new string('a', 1), 0));
        Assert.Same(b, index.Find(new string('b', 1), 1));
        Assert.Same(b, index.Find("b", 0));
        Assert.Same(a, index.Find("a", 1));
        Assert.NotSame(a, index.Find("c", 0));

        Assert.Equal(new[] { "a", "b", "c" }, made); // each id's state is made once
        Assert.Equal(3, index.States.Count);
    }
}
