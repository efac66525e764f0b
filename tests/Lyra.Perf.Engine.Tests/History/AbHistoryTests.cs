using System;
using Lyra.Perf.Engine.History;

namespace Lyra.Perf.Engine.Tests.History;

public class AbHistoryTests
{
    [Fact]
    public void An_AB_runs_record_is_marked_and_keeps_its_base_commit_through_a_round_trip()
    {
        var record = new HistoryRecord { Time = new DateTimeOffset(2026, 12, 1, 22, 0, 0, TimeSpan.Zero), Commit = "c0ffee", BaseCommit = "ba5e" };
        var line = HistoryStore.Serialize(record);
        Assert.Contains("\"comparison\":\"ab\",\"baseCommit\":\"ba5e\"", line);
        Assert.True(HistoryStore.TryParse(line, out var read, out var error), error?.Message);
        Assert.Equal("ba5e", read!.BaseCommit);

        var stored = HistoryStore.Serialize(record with { BaseCommit = null });
        Assert.DoesNotContain("comparison", stored);
        Assert.True(HistoryStore.TryParse(stored, out var plain, out _));
        Assert.Null(plain!.BaseCommit);
    }
}
