using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.History;

/// <summary>
/// A history record's entries, held as columns: one array per field, and all per-launch numbers in one array. The
/// gate's window of 119 runs of 1,000 benchmarks would otherwise be 119,000 entry objects, which every garbage
/// collection of the gate marks and copies; these are a dozen arrays a run, most of them without references. The
/// gate's passes over the window (RunnerPrior, drift, the trend charts) read the columns; anything else gets
/// <see cref="HistoryBenchmark"/>s, made when asked for.
/// </summary>
public sealed class HistoryEntries : IReadOnlyList<HistoryBenchmark>, IEquatable<HistoryEntries>
{
    public static readonly HistoryEntries Empty = new Builder().Build();

    private readonly string[] _ids;
    private readonly double?[] _nanoseconds, _bytes, _ratios;
    private readonly Outcome[] _outcomes;
    private readonly Severity[] _severities;
    private readonly int[] _launches;

    // Where each entry's launch levels and readings are in _numbers: (start, count) pairs, start -1 for none.
    private readonly int[] _levels, _readings;
    private readonly double[] _numbers;

    private HistoryEntries(Builder builder)
    {
        _ids = builder.Ids.ToArray();
        _nanoseconds = builder.Nanoseconds.ToArray();
        _bytes = builder.Bytes.ToArray();
        _ratios = builder.Ratios.ToArray();
        _outcomes = builder.Outcomes.ToArray();
        _severities = builder.Severities.ToArray();
        _launches = builder.Launches.ToArray();
        _levels = builder.Levels.ToArray();
        _readings = builder.Readings.ToArray();
        _numbers = builder.Numbers.ToArray();
    }

    /// <summary>The columns of <paramref name="entries"/> (the same object when they already are).</summary>
    public static HistoryEntries Of(IReadOnlyList<HistoryBenchmark>? entries)
    {
        if (entries is HistoryEntries columns)
        {
            return columns;
        }

        var builder = new Builder();
        foreach (var entry in entries ?? Array.Empty<HistoryBenchmark>())
        {
            var levels = builder.AddNumbers(entry.LaunchLevels);
            var readings = builder.AddNumbers(entry.LaunchBytes);
            builder.Add(entry.Id, entry.TypicalNanoseconds, entry.AllocatedBytesPerOperation, entry.Outcome, entry.Severity, entry.Ratio, entry.Launches, levels, readings);
        }

        return builder.Build();
    }

    public int Count => _ids.Length;

    public string Id(int index) => _ids[index];

    /// <summary>The entry's typical time, ns/op (<see cref="HistoryBenchmark.TypicalNanoseconds"/>).</summary>
    public double? Nanoseconds(int index) => _nanoseconds[index];

    /// <summary>The entry's launch levels (<see cref="HistoryBenchmark.LaunchLevels"/>); empty when it has none.</summary>
    public ArraySegment<double> Levels(int index) => Numbers(_levels, index);

    /// <summary>The entry's per-launch allocation readings (<see cref="HistoryBenchmark.LaunchBytes"/>); empty when it has none.</summary>
    public ArraySegment<double> Readings(int index) => Numbers(_readings, index);

    public HistoryBenchmark this[int index] => new(_ids[index])
    {
        TypicalNanoseconds = _nanoseconds[index],
        AllocatedBytesPerOperation = _bytes[index],
        Outcome = _outcomes[index],
        Severity = _severities[index],
        Ratio = _ratios[index],
        Launches = _launches[index],
        LaunchLevels = _levels[2 * index] < 0 ? null : (IReadOnlyList<double>)Levels(index),
        LaunchBytes = _readings[2 * index] < 0 ? null : (IReadOnlyList<double>)Readings(index),
    };

    public IEnumerator<HistoryBenchmark> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Equal entries, in the same order.</summary>
    public bool Equals(HistoryEntries? other) => other is not null && (ReferenceEquals(this, other) || this.SequenceEqual(other));

    public override bool Equals(object? obj) => Equals(obj as HistoryEntries);

    public override int GetHashCode() => Count;

    private ArraySegment<double> Numbers(int[] spans, int index)
    {
        var start = spans[2 * index];
        return start < 0 ? new ArraySegment<double>(Array.Empty<double>()) : new ArraySegment<double>(_numbers, start, spans[(2 * index) + 1]);
    }

    /// <summary>Gathers entries one by one (a history line as it is read); reusable after <see cref="Build"/>.</summary>
    internal sealed class Builder
    {
        internal readonly List<string> Ids = new();
        internal readonly List<double?> Nanoseconds = new(), Bytes = new(), Ratios = new();
        internal readonly List<Outcome> Outcomes = new();
        internal readonly List<Severity> Severities = new();
        internal readonly List<int> Launches = new(), Levels = new(), Readings = new();
        internal readonly List<double> Numbers = new();

        public int Count => Ids.Count;

        /// <summary>An entry, its launch levels and readings already in <see cref="Numbers"/> at the given (start,
        /// count) spans (start -1: none).</summary>
        public void Add(string id, double? nanoseconds, double? bytes, Outcome outcome, Severity severity, double? ratio, int launches, (int At, int Count) levels, (int At, int Count) readings)
        {
            Ids.Add(id);
            Nanoseconds.Add(nanoseconds);
            Bytes.Add(bytes);
            Outcomes.Add(outcome);
            Severities.Add(severity);
            Ratios.Add(ratio);
            Launches.Add(launches);
            Levels.Add(levels.At);
            Levels.Add(levels.Count);
            Readings.Add(readings.At);
            Readings.Add(readings.Count);
        }

        /// <summary>Per-launch numbers added to <see cref="Numbers"/>: their span, (-1, 0) for null.</summary>
        public (int At, int Count) AddNumbers(IReadOnlyList<double>? numbers)
        {
            if (numbers is null)
            {
                return (-1, 0);
            }

            var at = Numbers.Count;
            Numbers.AddRange(numbers);
            return (at, numbers.Count);
        }

        public HistoryEntries Build() => new(this);

        public void Clear()
        {
            Ids.Clear();
            Nanoseconds.Clear();
            Bytes.Clear();
            Ratios.Clear();
            Outcomes.Clear();
            Severities.Clear();
            Launches.Clear();
            Levels.Clear();
            Readings.Clear();
            Numbers.Clear();
        }
    }
}
