using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Reports;
using Lyra.Perf.Engine.Sources;

namespace Lyra.Perf.Engine.Benchmarks;

/// <summary>
/// <c>--stages [repeats]</c>: where the compare-only gate's time goes, stage by stage, for 1 and for 1,000 benchmarks
/// (each with its 1,000-run history), every stage timed <c>repeats</c> times with a Stopwatch, 1 and 1,000 interleaved.
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
                    foreach (var (stage, ms) in Once(suites[size]))
                    {
                        if (!times.TryGetValue((stage, size), out var list))
                        {
                            times[(stage, size)] = list = new List<double>();
                        }

                        list.Add(ms);

                        // Each time as it is taken, so a run stopped early still says where its time went.
                        output.WriteLine(string.Join("\t", "#", size.ToString(CultureInfo.InvariantCulture), stage, F(ms)));
                        output.Flush();
                    }
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

    /// <summary>Each stage once, in the gate's order; the pipeline last, whole (it also appends to the history).</summary>
    private static IEnumerable<(string Stage, double Milliseconds)> Once(SyntheticSuite suite)
    {
        var clock = Stopwatch.StartNew();
        double Lap()
        {
            var ms = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            return ms;
        }

        var run = BenchmarkDotNetReader.ReadDirectories(suite.ResultsDirectories).Run;
        yield return ("ingest reports", Lap());
        var baseline = BaselineSerializer.Read(suite.BaselinePath);
        yield return ("read baseline", Lap());
        GateResult result;
        using (var locator = PdbSourceLocator.TryOpen(typeof(StageTimes).Assembly.Location))
        {
            result = new Gate().Evaluate(baseline, suite.BaselinePath, run, SyntheticSuite.Options, SyntheticSuite.Now, locator?.CreateLookup(run));
        }

        yield return ("judge + decide (with PDB lookup)", Lap());
        // As the gate reads it: this project's last runs, from the file's end.
        var read = HistoryStore.ReadRecent(suite.HistoryPath, HistoryWindow.Runs, r => r.Project is null || r.Project == SyntheticSuite.ProjectName);
        var history = read.Records;
        yield return ("read history", Lap());
        HistoryDrift.Diagnose(history, run, result.Verdicts, _ => 0.05, suite.BaselinePath);
        yield return ("history drift", Lap());
        var record = HistoryRecord.From(run, result, SyntheticSuite.Now, "feedface", SyntheticSuite.ProjectName);
        var context = new ReportContext
        {
            Result = result,
            Run = run,
            Baseline = baseline,
            BaselinePath = suite.BaselinePath,
            History = history.Concat(new[] { record }).ToList(),
            Options = SyntheticSuite.Options,
            Time = SyntheticSuite.Now,
            Commit = record.Commit,
            ProjectName = SyntheticSuite.ProjectName,
        };
        Lap();
        _ = JsonReportWriter.Write(context);
        yield return ("report json", Lap());
        _ = MarkdownReportWriter.Write(context);
        yield return ("report markdown", Lap());
        var html = HtmlReportWriter.Write(context);
        yield return ("report html", Lap());
        yield return ("report html size (kB, not ms)", html.Length / 1000.0);
        Lap();
        _ = SarifReportWriter.Write(context);
        yield return ("report sarif", Lap());
        _ = PullRequestCommentWriter.Write(context, null);
        yield return ("report comment", Lap());
        HistoryStore.Append(suite.HistoryPath, record, suite.HistoryRuns, seen: read.Tail);
        yield return ("history append (at the limit)", Lap());
        suite.FillTrimHistory();
        Lap();
        HistoryStore.Append(suite.TrimHistoryPath, record, suite.HistoryRuns);
        yield return ("history trim (1 append in limit/10)", Lap());
        GateRunner.Gate(suite.Request());
        yield return ("whole compare-only gate", Lap());
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
