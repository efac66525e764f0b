using System;
using System.Linq;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.History;

public class HistoryEntriesTests
{
    private static readonly HistoryBenchmark[] Entries =
    {
        new("Ns.T.A") { TypicalNanoseconds = 101.5, AllocatedBytesPerOperation = 24, Outcome = Outcome.Regressed, Severity = Severity.Major, Ratio = 1.25, Launches = 2, LaunchLevels = new[] { 100.0, 103 }, LaunchBytes = new[] { 24.0, 24 } },
        new("Ns.T.B") { Outcome = Outcome.Failed, Launches = 0 },
        new("Ns.T.C") { TypicalNanoseconds = 7, Launches = 3, LaunchLevels = new[] { 6.5, 7, 7.25 } },
        new("Ns.T.D") { TypicalNanoseconds = 9, Launches = 1, LaunchLevels = Array.Empty<double>(), LaunchBytes = new[] { 0.0 } },
    };

    private static DateTimeOffset At(int hour) => new(2026, 12, 1, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Entries_held_as_columns_read_back_as_given_and_their_columns_say_the_same()
    {
        var columns = HistoryEntries.Of(Entries);
        Assert.Equal(Entries, columns);
        Assert.True(columns.Equals(HistoryEntries.Of(Entries.ToList())));
        Assert.False(columns.Equals(HistoryEntries.Of(Entries.Take(3).ToList())));
        for (var i = 0; i < Entries.Length; i++)
        {
            Assert.Equal(Entries[i].Id, columns.Id(i));
            Assert.Equal(Entries[i].TypicalNanoseconds, columns.Nanoseconds(i));
            Assert.Equal(Entries[i].LaunchLevels ?? Array.Empty<double>(), columns.Levels(i));
            Assert.Equal(Entries[i].LaunchBytes ?? Array.Empty<double>(), columns.Readings(i));
        }

        // Null and empty per-launch lists stay apart, as the file writes them apart.
        Assert.Null(columns[1].LaunchLevels);
        Assert.Empty(columns[3].LaunchLevels!);
        Assert.Same(columns, HistoryEntries.Of(columns));
    }

    [Fact]
    public void A_record_holds_any_list_of_entries_as_columns_and_a_read_line_equals_the_record_written()
    {
        var record = new HistoryRecord { Time = At(1), Commit = "abc", Benchmarks = Entries.ToList() };
        Assert.IsType<HistoryEntries>(record.Benchmarks);
        Assert.Same(record.Entries, record.Benchmarks);

        Assert.True(HistoryStore.TryParse(HistoryStore.Serialize(record), out var read, out var error), error?.Message);
        Assert.Equal(record.Entries, read!.Entries);
        Assert.Equal(record with { }, read with { Environment = record.Environment });
    }

    [Fact]
    public void A_series_has_each_records_first_entry_for_a_benchmark_and_no_point_where_it_has_no_time()
    {
        var records = new[]
        {
            new HistoryRecord { Time = At(1), Benchmarks = new[] { new HistoryBenchmark("A") { TypicalNanoseconds = 10 }, new HistoryBenchmark("B") { TypicalNanoseconds = 20 } } },
            // Another order, a duplicate of A (its second entry is not a point) and B without a time.
            new HistoryRecord { Time = At(2), Benchmarks = new[] { new HistoryBenchmark("B"), new HistoryBenchmark("A") { TypicalNanoseconds = 11 }, new HistoryBenchmark("A") { TypicalNanoseconds = 99 } } },
            new HistoryRecord { Time = At(3), Benchmarks = new[] { new HistoryBenchmark("A") { TypicalNanoseconds = 12 }, new HistoryBenchmark("C") { TypicalNanoseconds = 5 } } },
        };

        var series = HistorySeries.Of(records);
        Assert.Equal(new[] { (0, 10.0), (1, 11.0), (2, 12.0) }, series["A"]);
        Assert.Equal(new[] { (0, 20.0) }, series["B"]);
        Assert.Equal(new[] { (2, 5.0) }, series["C"]);
        Assert.Equal(3, series.Count);
    }
}
