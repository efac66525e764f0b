using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Benchmarks;

/// <summary>
/// <c>--stages [repeats]</c>: where the compare-only gate's time goes, stage by stage, for 1 and for 1,000 benchmarks
/// (each with its 1,000-run history), the gate run <c>repeats</c> times with its steps timed by the gate itself
/// (<see cref="GateRequest.OnStage"/>), 1 and 1,000 interleaved; with each step's megabytes allocated and the gate's
/// garbage collections (count per generation, pauses).
/// Prints one tab-separated line per stage: the median for 1 and for 1,000, their difference, and the range of the
/// 1,000 case. Two builds (before and after a change) run alternately give a side-by-side ratio on a busy machine.
/// The history's append at the limit is a plain append; the trim it does once every limit/10 appends is timed on a
/// copy of the history held just at <see cref="HistoryStore.TrimThreshold"/>.
/// </summary>
public static class StageTimes
{
    public static int Run(int repeats, TextWriter output)
    {
        var sizes = new[] { 1, 1000 };
        var suites = sizes.ToDictionary(n => n, n => SyntheticSuite.Create(n));
        try
        {
            var times = new Dictionary<(string Stage, int Size), List<double>>();
            for (var repeat = 0; repeat < repeats; repeat++)
            {
                foreach (var size in repeat % 2 == 0 ? sizes : sizes.Reverse())
                {
                    Once(suites[size], (stage, ms) =>
                    {
                        if (!times.TryGetValue((stage, size), out var list))
                        {
                            times[(stage, size)] = list = new List<double>();
                        }

                        list.Add(ms);

                        // Each time as it is taken, so a run stopped early still says where its time went.
                        output.WriteLine(string.Join("\t", "#", size.ToString(CultureInfo.InvariantCulture), stage, F(ms)));
                        output.Flush();
                    });
                }
            }

            output.WriteLine("stage\t1 benchmark (ms)\t1000 benchmarks (ms)\textra for 1000 (ms)\t1000: min-max (ms)");
            foreach (var stage in times.Keys.Select(k => k.Stage).Distinct())
            {
                var one = Median(times[(stage, 1)]);
                var many = times[(stage, 1000)];
                output.WriteLine(string.Join("\t", stage, F(one), F(Median(many)), F(Median(many) - one), F(many.Min()) + "-" + F(many.Max())));
            }

            return 0;
        }
        finally
        {
            foreach (var suite in suites.Values)
            {
                suite.Dispose();
            }
        }
    }

    /// <summary>The compare-only gate once, each of its steps timed by the gate itself (GateRequest.OnStage), in its
    /// order; then the HTML report's size, the whole gate, and the history's trim.</summary>
    private static void Once(SyntheticSuite suite, Action<string, double> record)
    {
        // The history as written (the gate before appended its run), as PipelineBenchmarks has it.
        suite.RestoreHistory();
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var paused = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        GateRunner.Gate(suite.Request() with
        {
            // The PDB lookup as in a real gate: the synthetic benchmarks are this assembly's.
            BenchmarkAssembly = typeof(StageTimes).Assembly.Location,
            OnStage = (stage, time) =>
            {
                // Allocation counts every thread's (the HTML page is made beside the other reports); stages reported
                // together (the five reports) have it all under the first of them.
                var now = GC.GetTotalAllocatedBytes(precise: true);
                record(stage, time.TotalMilliseconds);
                record(stage + " (MB allocated, not ms)", (now - allocated) / 1e6);
                allocated = now;
            },
        });
        var whole = clock.Elapsed.TotalMilliseconds;
        record("gen0 collections (count, not ms)", GC.CollectionCount(0) - gcs.Item1);
        record("gen1 collections (count, not ms)", GC.CollectionCount(1) - gcs.Item2);
        record("gen2 collections (count, not ms)", GC.CollectionCount(2) - gcs.Item3);
        record("gate's garbage-collection pauses", (GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
        record("report html size (kB, not ms)", new FileInfo(Path.Combine(suite.ReportDirectory, ReportWriter.HtmlFileName)).Length / 1000.0);
        record("whole compare-only gate", whole);

        // The trim the gate's append does once every limit/10 appends: one append to a copy held at the threshold.
        suite.FillTrimHistory();
        var appended = HistoryStore.ReadRecent(suite.HistoryPath, 1, _ => true).Records.Single(); // The record the gate just appended.
        clock.Restart();
        HistoryStore.Append(suite.TrimHistoryPath, appended, suite.HistoryRuns);
        record("history trim (1 append in limit/10)", clock.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
