using System.Collections.Generic;
using Lyra.Perf.Engine.History;

namespace Lyra.Perf.Engine.Tests.History;

public sealed class EntryIndexTests
{
    [Fact]
    public void An_id_finds_its_one_state_at_any_position_and_an_ignored_id_none()
    {
        var made = new List<string>();
        var index = new EntryIndex<List<int>>(id => { made.Add(id); return id.StartsWith("skip", System.StringComparison.Ordinal) ? null : new List<int>(); });

        var a = index.Find("a", 0)!;
        var b = index.Find("b", 1)!;
        Assert.Null(index.Find("skip", 2));

        // The same ids in the next record, as other string instances, at their positions and then shifted.
        Assert.Same(a, index.Find(new string('a', 1), 0));
        Assert.Same(b, index.Find(new string('b', 1), 1));
        Assert.Same(b, index.Find("b", 0));
        Assert.Same(a, index.Find("a", 1));
        Assert.Null(index.Find("skip", 2));
        Assert.Null(index.Find("skip", 3));

        // An id is made once; an ignored one is asked again only at a position where it is not the cached id.
        Assert.Equal(new[] { "a", "b", "skip", "skip" }, made);
        Assert.Equal(2, index.States.Count);
    }
}
