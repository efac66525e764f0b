using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Reports;
using Lyra.Perf.Engine.Sources;

namespace Lyra.Perf.Engine.Benchmarks;

// The engine at the scale the issue names: 1,000 benchmarks, 3 launches each, a baseline kept over 3 recording runs
// and a 1,000-run history. Each class makes only the files it reads, once, in its GlobalSetup.

/// <summary>Reading the inputs: the launches' BenchmarkDotNet reports and the baseline.</summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private SyntheticSuite _suite = null!;

    [GlobalSetup]
    public void Setup() => _suite = SyntheticSuite.Create(1000, history: false);

    [GlobalCleanup]
    public void Cleanup() => _suite.Dispose();

    /// <summary>What the gate reads: the SDK's cut of each report (*-report-lyra.json).</summary>
    [Benchmark]
    public int ReadReports() => BenchmarkDotNetReader.ReadDirectories(_suite.ResultsDirectories).Run.Benchmarks.Count;

    /// <summary>BenchmarkDotNet's full reports, as a compare-only gate over results exported without the SDK reads them.</summary>
    [Benchmark]
    public int ReadFullReports() => BenchmarkDotNetReader.ReadFiles(_suite.ResultsDirectories.SelectMany(d => Directory.GetFiles(d, "*-report-full.json", SearchOption.AllDirectories))).Run.Benchmarks.Count;

    [Benchmark]
    public int ReadBaseline() => BaselineSerializer.Read(_suite.BaselinePath).Benchmarks.Count;
}

/// <summary>Compare and decide: every benchmark's time and allocation judgement, the run's family control, claims, the
/// policy's decision, and each diagnostic placed at its benchmark's source line (the PDB lookup of a gate build).</summary>
[MemoryDiagnoser]
public class JudgeBenchmarks
{
    private SyntheticSuite _suite = null!;
    private RunResult _run = null!;
    private Baseline _baseline = null!;

    [GlobalSetup]
    public void Setup()
    {
        _suite = SyntheticSuite.Create(1000, history: false);
        _run = BenchmarkDotNetReader.ReadDirectories(_suite.ResultsDirectories).Run;
        _baseline = BaselineSerializer.Read(_suite.BaselinePath);
    }

    [GlobalCleanup]
    public void Cleanup() => _suite.Dispose();

    [Benchmark]
    public int Decide()
    {
        using var locator = PdbSourceLocator.TryOpen(typeof(JudgeBenchmarks).Assembly.Location);
        var result = new Gate().Evaluate(_baseline, _suite.BaselinePath, _run, SyntheticSuite.Options, SyntheticSuite.Now, locator?.CreateLookup(_run));
        return result.Diagnostics.Count;
    }
}

/// <summary>Each report writer over the decided run, with the history's last runs (as the gate reads them) for the trend charts. The cases
/// share one suite and context (made by the first case's setup, removed when the process exits).</summary>
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private static SyntheticSuite? s_suite;
    private static ReportContext? s_context;

    [Params("json", "markdown", "html", "sarif", "comment")]
    public string Format { get; set; } = "json";

    [GlobalSetup]
    public void Setup()
    {
        if (s_context is not null)
        {
            return;
        }

        var suite = s_suite = SyntheticSuite.Create(1000);
        System.AppDomain.CurrentDomain.ProcessExit += (_, _) => suite.Dispose();
        s_context = suite.ReportContext();
    }

    [Benchmark]
    public int Write() => Format switch
    {
        "json" => JsonReportWriter.Write(s_context!).Length,
        "markdown" => MarkdownReportWriter.Write(s_context!).Length,
        "html" => HtmlReportWriter.Write(s_context!).Length,
        "sarif" => SarifReportWriter.Write(s_context!).Length,
        _ => PullRequestCommentWriter.Write(s_context!, "https://example.invalid/run/1").Length,
    };
}

/// <summary>The history at its limit: reading the runs the gate uses, and appending one run.</summary>
[MemoryDiagnoser]
public class HistoryBenchmarks
{
    private SyntheticSuite _suite = null!;
    private HistoryRecord _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        _suite = SyntheticSuite.Create(1000, reports: false, baseline: false);
        var last = HistoryStore.ReadRecent(_suite.HistoryPath, 1).Records[^1];
        _record = last with { Time = SyntheticSuite.Now };
    }

    [GlobalCleanup]
    public void Cleanup() => _suite.Dispose();

    /// <summary>The gate's read: the last <see cref="HistoryWindow.Runs"/> runs, from the file's end.</summary>
    [Benchmark]
    public int ReadRecent() => HistoryStore.ReadRecent(_suite.HistoryPath, HistoryWindow.Runs).Records.Count;

    /// <summary>At the limit: one line, and once in limit/10 appends a trim back to the limit, so the mean carries its share.</summary>
    [Benchmark]
    public void AppendAtLimit() => HistoryStore.Append(_suite.HistoryPath, _record, _suite.HistoryRuns);
}

/// <summary>The whole compare-only gate (dotnet build -t:PerfGate -p:PerfGateResults=DIR) in process: ingest, baseline,
/// judge, decide, history read and drift, every report, the history append. 1 against 1,000 benchmarks is what the
/// engine costs per benchmark.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private SyntheticSuite _suite = null!;

    [Params(1, 1000)]
    public int Benchmarks { get; set; }

    [GlobalSetup]
    public void Setup() => _suite = SyntheticSuite.Create(Benchmarks);

    [GlobalCleanup]
    public void Cleanup() => _suite.Dispose();

    /// <summary>Each gate reads the same history of distinct runs and appends its own: without this, every iteration
    /// would find the ones before it in the history (copies of one run, a step that history drift has to test).</summary>
    [IterationSetup]
    public void RestoreHistory() => _suite.RestoreHistory();

    [Benchmark]
    public bool CompareOnly() => GateRunner.Gate(_suite.Request()).Fails;
}

/// <summary>Every benchmark class, for the dry run.</summary>
public static class EngineBenchmarkTypes
{
    public static IReadOnlyList<System.Type> All { get; } = new[]
    {
        typeof(IngestBenchmarks), typeof(JudgeBenchmarks), typeof(ReportBenchmarks), typeof(HistoryBenchmarks), typeof(PipelineBenchmarks),
    };
}
