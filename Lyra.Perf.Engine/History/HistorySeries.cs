using System.Collections.Generic;

namespace Lyra.Perf.Engine.History;

/// <summary>Each benchmark's typical time over history records (drift, LPG0104, and the reports' trend charts): one
/// pass over the entries' columns, each found by position (<see cref="EntryIndex{T}"/>).</summary>
internal static class HistorySeries
{
    /// <summary>Per id with an entry in <paramref name="records"/>: the records (their index) and typical times, in the
    /// records' order, a record's first entry for the id only; entries without a time give no point.</summary>
    public static Dictionary<string, List<(int Record, double Nanoseconds)>> Of(IReadOnlyList<HistoryRecord> records)
    {
        var tracks = new EntryIndex<Track>(_ => new Track(records.Count));
        for (var record = 0; record < records.Count; record++)
        {
            var entries = records[record].Entries;
            for (var position = 0; position < entries.Count; position++)
            {
                var track = tracks.Find(entries.Id(position), position);
                if (track.LastRecord == record + 1)
                {
                    continue;
                }

                track.LastRecord = record + 1;
                if (entries.Nanoseconds(position) is { } nanoseconds)
                {
                    track.Points.Add((record, nanoseconds));
                }
            }
        }

        var series = new Dictionary<string, List<(int, double)>>(tracks.States.Count, System.StringComparer.Ordinal);
        foreach (var pair in tracks.States)
        {
            series[pair.Key] = pair.Value.Points;
        }

        return series;
    }

    /// <summary>A benchmark's points, and the last record (its index + 1) that had an entry for it.</summary>
    private sealed class Track(int records)
    {
        public List<(int Record, double Nanoseconds)> Points { get; } = new(records);

        public int LastRecord { get; set; }
    }
}
