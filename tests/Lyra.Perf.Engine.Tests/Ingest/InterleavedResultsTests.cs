using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Comparison;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Ingest;

/// <summary>The in-process A/B runner's result file read into the gate's model: both sides from one file, units as
/// slots the paired judge pairs, and anything malformed an LPG0302 error at the file.</summary>
public sealed class InterleavedResultsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lyra-interleaved-" + Guid.NewGuid().ToString("N"));

    public InterleavedResultsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static InterleavedSide Units(double ns, int count, double bytes, int seed, double spread = 0.03)
    {
        var random = new Random(seed);
        return new InterleavedSide(
            Enumerable.Range(0, count).Select(_ => ns * Math.Exp(spread * (random.NextDouble() - 0.5))).ToList(),
            Enumerable.Repeat(bytes, count).ToList());
    }

    private static InterleavedRun Sample(string phase = "run") => new()
    {
        Phase = phase,
        Complete = true,
        SecondsPerBenchmark = 10.8,
        Environment = new RunEnvironment { Os = "Linux", Cpu = "Test CPU", LogicalCores = 2, Runtime = ".NET 10.0.0", Architecture = "X64", BenchmarkDotNetVersion = "0.15.8", Job = "Lyra.Perf.AbRunner interleaved" },
        Benchmarks = new[]
        {
            new InterleavedBenchmark { Id = "E2E.Work.Loop", Namespace = "E2E", Type = "Work", Method = "Loop", Operations = 1000, PassUnits = new[] { 22, 18 }, Current = Units(3000, 40, 0, 1), Base = Units(1000, 40, 0, 2) },
            new InterleavedBenchmark { Id = "E2E.Work.Concat(n: 3)", Namespace = "E2E", Type = "Work", Method = "Concat", Parameters = "n=3", Operations = 1000, Current = Units(20, 40, 24, 3), Base = Units(20, 40, 24, 4) },
            new InterleavedBenchmark { Id = "E2E.Work.Fresh", Namespace = "E2E", Type = "Work", Method = "Fresh", Operations = 100, Current = Units(50, 10, 0, 5) },
            new InterleavedBenchmark { Id = "E2E.Work.Gone", Namespace = "E2E", Type = "Work", Method = "Gone", Operations = 100, Base = Units(50, 5, 0, 6) },
        },
        Fallback = new[] { new InterleavedFallback("E2E.Server.Run", "[GcServer] is a setting the runtime reads at process start") },
    };

    private string Write(byte[] content, string folder = "run-interleaved")
    {
        var directory = Path.Combine(_directory, folder);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, InterleavedResults.FileName), content);
        return directory;
    }

    [Fact]
    public void A_well_formed_file_gives_both_sides_with_unit_slots_allocations_and_the_fallback_list()
    {
        var directory = Write(InterleavedResults.ToJson(Sample()));
        var diagnostics = new List<GateDiagnostic>();
        var current = AbComparison.IngestSide(new[] { directory }, diagnostics, out var reports);
        var @base = AbComparison.IngestSide(new[] { directory }, diagnostics, out _, isBase: true);
        Assert.Empty(diagnostics);
        Assert.Equal(1, reports);
        Assert.Equal(new[] { "E2E.Work.Loop", "E2E.Work.Concat(n: 3)", "E2E.Work.Fresh" }, current!.Benchmarks.Select(b => b.Id));
        Assert.Equal(new[] { "E2E.Work.Loop", "E2E.Work.Concat(n: 3)", "E2E.Work.Gone" }, @base!.Benchmarks.Select(b => b.Id));
        var loop = current.Benchmarks[0];
        Assert.Equal(40, loop.Launches.Count);
        Assert.Equal(Enumerable.Range(1, 40).Select(k => "unit-" + k), loop.Launches.Select(l => l.Slot));
        Assert.All(loop.Launches, l => Assert.Single(l.Samples));
        Assert.Equal(("E2E", "Work", "Loop"), (loop.Namespace, loop.Type, loop.Method));
        var concat = current.Benchmarks[1];
        Assert.Equal("n=3", concat.Parameters);
        Assert.Equal(24, concat.AllocatedBytesPerOperation);
        Assert.Equal(1000, concat.AllocationOperations);
        Assert.Equal("Test CPU", current.Environment.Cpu);
        Assert.Equal(AbComparison.InterleavedText, AbComparison.SchemeOf(current));

        // Units are not launches: the history keeps no per-launch levels for them (a stored gate learns launch spread there).
        var record = Lyra.Perf.Engine.History.HistoryRecord.From(current, new GateResult(), DateTimeOffset.UtcNow, null, "Bench");
        Assert.All(record.Benchmarks, b => Assert.Null(b.LaunchLevels));
        Assert.All(record.Benchmarks, b => Assert.Null(b.LaunchBytes));
        Assert.Equal(40, record.Benchmarks.Single(b => b.Id == "E2E.Work.Loop").Launches);

        var read = InterleavedResults.Read(Path.Combine(directory, InterleavedResults.FileName));
        Assert.Equal("E2E.Server.Run", Assert.Single(read.Fallback).Filter);
        Assert.Equal(10.8, read.SecondsPerBenchmark);
    }

    [Fact]
    public void A_confirmations_units_get_slots_of_their_own_so_they_never_pair_with_the_first_runs()
    {
        var run = Write(InterleavedResults.ToJson(Sample()));
        var confirm = Write(InterleavedResults.ToJson(Sample("confirm")), "confirm-interleaved");
        var current = AbComparison.IngestSide(new[] { run, confirm }, new List<GateDiagnostic>(), out var reports)!;
        Assert.Equal(2, reports);
        var slots = current.Benchmarks[0].Launches.Select(l => l.Slot).ToList();
        Assert.Equal(80, slots.Count);
        Assert.Equal(80, slots.Distinct().Count());
        Assert.Contains("confirm-unit-1", slots);
    }

    [Fact]
    public void The_gate_judges_the_file_paired_and_calls_one_sided_benchmarks_new_and_removed_and_every_report_names_the_scheme()
    {
        var directory = Write(InterleavedResults.ToJson(Sample()));
        var reports = Path.Combine(_directory, "reports");
        var outcome = GateRunner.Gate(new GateRequest
        {
            ResultsDirectories = new[] { directory },
            BaseResultsDirectories = new[] { directory },
            BaselinePath = Path.Combine(_directory, "perf-baseline.json"),
            ProjectDirectory = _directory,
            ProjectName = "Bench",
            ReportDirectory = reports,
            AbSides = new AbSides(null, null),
            Now = new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero),
        });
        var verdicts = outcome.Result!.Verdicts.ToDictionary(v => v.Id, v => v.Outcome);
        Assert.Equal(Outcome.Regressed, verdicts["E2E.Work.Loop"]);
        Assert.Equal(Outcome.Unchanged, verdicts["E2E.Work.Concat(n: 3)"]);
        Assert.Equal(Outcome.New, verdicts["E2E.Work.Fresh"]);
        Assert.Equal(Outcome.Removed, verdicts["E2E.Work.Gone"]);
        Assert.Contains(outcome.Summary, l => l.Contains("interleaved in one process", StringComparison.Ordinal));
        var markdown = File.ReadAllText(Path.Combine(reports, ReportWriter.MarkdownFileName));
        Assert.Contains("interleaved in one process", markdown);
        Assert.False(File.Exists(Path.Combine(_directory, "perf-baseline.json")));

        // The counts are units, and every output says so (the JSON keeps its keys and names what they count).
        Assert.Contains("centre over units", markdown);
        Assert.DoesNotContain("centre over launches", markdown);
        Assert.Contains("tabindex=\"0\">Units</th>", File.ReadAllText(Path.Combine(reports, ReportWriter.HtmlFileName)));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(reports, ReportWriter.JsonFileName)));
        Assert.Equal("unit", json.RootElement.GetProperty("comparison").GetProperty("measuringUnit").GetString());
        var loop = json.RootElement.GetProperty("benchmarks").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "E2E.Work.Loop");
        Assert.Equal("unit", loop.GetProperty("measuringUnit").GetString());
        Assert.Equal(40, loop.GetProperty("currentLaunches").GetInt32());
        Assert.All(outcome.Result.Verdicts, v => Assert.Same(MeasuringUnit.Unit, v.Unit));

        // The time judge names its method and sample in units too.
        var loopTime = outcome.Result.Verdicts.Single(v => v.Id == "E2E.Work.Loop").Time!;
        Assert.StartsWith(PairedTimeJudge.InterleavedMethodName, loopTime.Method);
        Assert.DoesNotContain("launch", loopTime.Method);
    }

    [Fact]
    public void A_file_cut_short_is_LPG0302_at_the_file_and_nothing_is_judged_from_it()
    {
        var json = InterleavedResults.ToJson(Sample());
        var directory = Write(json.Take(json.Length / 2).ToArray());
        var path = Path.Combine(directory, InterleavedResults.FileName);
        var error = Assert.Throws<GateException>(() => InterleavedResults.Read(path));
        Assert.Equal(DiagnosticCodes.ResultsUnreadable, error.Diagnostic.Code);
        Assert.Equal(path, error.Diagnostic.File);
        Assert.Contains("cut short", error.Diagnostic.Message);

        var diagnostics = new List<GateDiagnostic>();
        Assert.Null(AbComparison.IngestSide(new[] { directory }, diagnostics, out _));
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.ResultsUnreadable && d.File == path && d.Level == DiagnosticLevel.Error);
        // The base side's ingest reads the same file: the problem is said once, by the current side.
        var baseDiagnostics = new List<GateDiagnostic>();
        AbComparison.IngestSide(new[] { directory }, baseDiagnostics, out _, isBase: true);
        Assert.DoesNotContain(baseDiagnostics, d => d.Code == DiagnosticCodes.ResultsUnreadable);
    }

    [Theory]
    [InlineData("\"complete\": true", "\"complete\": false", "did not finish")]
    [InlineData("\"format\": \"lyra-perf-interleaved/1\"", "\"format\": \"something-else\"", "not an interleaved A/B result file")]
    [InlineData("\"nanoseconds\": [", "\"nanoseconds\": [-5, ", "is not")]
    [InlineData("\"id\": \"E2E.Work.Fresh\"", "\"id\": \"E2E.Work.Loop\"", "appears twice")]
    [InlineData("\"passUnits\": [\n        22,", "\"passUnits\": [\n        21,", "has 40 units but its passes add up to 39")]
    [InlineData("\"passUnits\": [\n        22,", "\"passUnits\": [\n        21.5,", "not a whole number of units")]
    [InlineData("\"passUnits\": [\n        22,\n        18\n      ]", "\"passUnits\": 40", "not an array of unit counts")]
    public void A_corrupt_or_incomplete_file_is_LPG0302_with_the_reason_and_its_place(string find, string replace, string reason)
    {
        var text = Encoding.UTF8.GetString(InterleavedResults.ToJson(Sample()));
        Assert.Contains(find, text);
        var directory = Write(Encoding.UTF8.GetBytes(ReplaceFirst(text, find, replace)));
        var path = Path.Combine(directory, InterleavedResults.FileName);
        var error = Assert.Throws<GateException>(() => InterleavedResults.Read(path));
        Assert.Equal(DiagnosticCodes.ResultsUnreadable, error.Diagnostic.Code);
        Assert.Equal(path, error.Diagnostic.File);
        Assert.Contains(reason, error.Diagnostic.Message);
        Assert.True(error.Diagnostic.Line > 0);
    }

    [Fact]
    public void The_units_of_each_pass_are_kept_and_a_file_without_them_reads_as_unrecorded()
    {
        var text = Encoding.UTF8.GetString(InterleavedResults.ToJson(Sample()));
        var path = Path.Combine(Write(Encoding.UTF8.GetBytes(text)), InterleavedResults.FileName);
        var run = InterleavedResults.Read(path);
        Assert.Equal(new[] { 22, 18 }, run.Benchmarks[0].PassUnits);
        Assert.Empty(run.Benchmarks[1].PassUnits);

        // An older runner wrote no "passUnits" at all.
        var older = text.Replace("\"passUnits\": [],", "").Replace("\"passUnits\": [\n        22,\n        18\n      ],", "");
        Assert.DoesNotContain("passUnits", older);
        Assert.All(InterleavedResults.Read(Encoding.UTF8.GetBytes(older), path).Benchmarks, b => Assert.Empty(b.PassUnits));
    }

    [Fact]
    public void Units_of_unequal_count_on_the_two_sides_are_refused()
    {
        var run = Sample() with
        {
            Benchmarks = new[] { new InterleavedBenchmark { Id = "A.B.C", Type = "B", Method = "C", Current = Units(10, 5, 0, 1), Base = Units(10, 4, 0, 2) } },
        };
        var directory = Write(InterleavedResults.ToJson(run));
        var error = Assert.Throws<GateException>(() => InterleavedResults.Read(Path.Combine(directory, InterleavedResults.FileName)));
        Assert.Contains("units are pairs", error.Diagnostic.Message);
    }

    [Fact]
    public void The_scheme_is_named_from_the_results_interleaved_alternated_or_both()
    {
        LaunchMeasurement Slot(string slot) => new() { Samples = new[] { 1.0 }, Slot = slot };
        var unit = new BenchmarkMeasurement { Id = "a", Launches = new[] { Slot("unit-1"), Slot("unit-2") } };
        var launch = new BenchmarkMeasurement { Id = "b", Launches = new[] { Slot("run-1"), Slot("run-2") } };
        Assert.Equal("interleaved in one process", AbComparison.SchemeOf(new RunResult { Benchmarks = new[] { unit } }));
        Assert.Equal("launches alternated", AbComparison.SchemeOf(new RunResult { Benchmarks = new[] { launch } }));
        Assert.Equal("interleaved in one process (1 benchmark(s); 1 in alternated launches)", AbComparison.SchemeOf(new RunResult { Benchmarks = new[] { unit, launch } }));
        Assert.EndsWith("(base), interleaved in one process", new AbSides(null, null) { Scheme = AbComparison.InterleavedText }.Describe(), StringComparison.Ordinal);
        Assert.EndsWith("(base), launches alternated", new AbSides(null, null).Describe(), StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var i = text.IndexOf(find, StringComparison.Ordinal);
        return text[..i] + replace + text[(i + find.Length)..];
    }
}
