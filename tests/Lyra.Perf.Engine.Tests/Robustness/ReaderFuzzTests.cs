using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Tests.Ingest;
using Xunit.Abstractions;

namespace Lyra.Perf.Engine.Tests.Robustness;

/// <summary>
/// Seeded mutation fuzzing of the three readers (baseline, BenchmarkDotNet report, history), 4,000 inputs each.
/// Every input must end in one of two ways: a value that round-trips through our own writer (for a report: the
/// baseline recorded from it reads back), or our coded error with a line and column. Anything else — another
/// exception, a position of 0, a written file we cannot read — fails the test with the input to reproduce it.
/// </summary>
public sealed class ReaderFuzzTests
{
    private const int InputsPerReader = 4000;

    private readonly ITestOutputHelper _output;

    public ReaderFuzzTests(ITestOutputHelper output) => _output = output;

    private static readonly string[] Tokens =
    {
        "\\ud800", "\\udc00", "\\u0000", "\\\"", "1e-320", "1e400", "-1e400", "-1", "-0", "2.5", "1e308", "0", "-8", "NaN", "Infinity",
        "null", "true", "false", "\"\"", "[]", "{}", "[1]", "{\"a\":1}", "\"9999-12-31T00:00:00Z\"", "\"0001-01-01T00:00:00Z\"",
        "\"2026-11-27T10:00:00Z\"", "\"yesterday\"", "\uFEFF", "\u00e9", "\U0001F600", ",", ":", "\"", "\\", "\n", "\r\n", "/*c*/", "//c\n",
        "\"schemaVersion\": 1,", "\"samplesNs\": [],", "\"Operations\": 1e-320,", "\"Gen2Collections\": -1,", "99999999999999999999",
    };

    private static readonly byte[] Bytes = { 0x00, 0xFF, 0xFE, 0xC3, 0xED, 0xA0, 0x80, 0xEF, 0xBB, 0xBF, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'-', (byte)'0', (byte)'9', (byte)'e', (byte)'.', (byte)'\n', (byte)' ' };

    /// <summary>One to four mutations: byte flips, special bytes, inserted tokens, deleted/duplicated ranges, truncation, number swaps.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        var count = 1 + random.Next(4);
        for (var m = 0; m < count && data.Count > 0; m++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    data[at] = Bytes[random.Next(Bytes.Length)];
                    break;
                case 2:
                case 3:
                    data.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 4:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(40)));
                    break;
                case 5:
                    var length = Math.Min(data.Count - at, 1 + random.Next(200));
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 6:
                    data.RemoveRange(at, data.Count - at);
                    break;
                default:
                    // Swap a number for an odd one: keeps the document valid JSON most of the time.
                    var start = data.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
                    if (start >= 0)
                    {
                        var end = start;
                        while (end < data.Count && (data[end] is >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'e' or (byte)'-'))
                        {
                            end++;
                        }

                        var number = new[] { "1e-320", "1e400", "-1", "2.5", "0", "1e308", "-0", "4294967296", "1e-9" }[random.Next(9)];
                        data.RemoveRange(start, end - start);
                        data.InsertRange(start, Encoding.ASCII.GetBytes(number));
                    }

                    break;
            }
        }

        return data.ToArray();
    }

    private void Fuzz(string name, IReadOnlyList<byte[]> seeds, int seed, Action<byte[]> check)
    {
        var random = new Random(seed);
        var failures = new List<string>();
        var outcomes = 0;
        for (var i = 0; i < InputsPerReader; i++)
        {
            // The last seed may be large (a real report): it gets one input in ten.
            var pick = seeds.Count > 1 && random.Next(10) == 0 ? seeds.Count - 1 : random.Next(Math.Max(1, seeds.Count - 1));
            var input = i < seeds.Count ? seeds[i] : Mutate(seeds[pick], random);
            try
            {
                check(input);
                outcomes++;
            }
            catch (Exception ex)
            {
                if (failures.Count < 5)
                {
                    failures.Add($"{name} input {i}: {ex.GetType().Name}: {ex.Message}\n  base64: {Convert.ToBase64String(input)}");
                }
            }
        }

        _output.WriteLine($"{name}: {InputsPerReader} inputs, {outcomes} handled");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void CodedWithPosition(GateDiagnostic diagnostic, string code)
    {
        if (diagnostic.Code != code || diagnostic.Line < 1 || diagnostic.Column < 1)
        {
            throw new InvalidOperationException($"expected {code} with a position, got {diagnostic}");
        }
    }

    private static readonly DateTimeOffset RecordedAt = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static Baseline SeedBaseline() => new()
    {
        RecordedAt = RecordedAt,
        Commit = "abc",
        Tool = "Lyra.Perf 1.0.0",
        Environment = new RunEnvironment { Os = "Linux", Cpu = "CPU", LogicalCores = 2, Runtime = ".NET 10", Architecture = "X64", BenchmarkDotNetVersion = "0.15.8", Job = "Gate" },
        Benchmarks = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal)
        {
            ["Ns.T.A"] = new() { Measurement = new BenchmarkMeasurement { Id = "Ns.T.A", Namespace = "Ns", Type = "T", Method = "A", Launches = new[] { new LaunchMeasurement { Samples = new[] { 10.5, 11, 12 }, AllocatedBytesPerOperation = 24, Gen0PerThousandOps = 0.5, Session = "2026-11-26T10:00:00Z" }, new LaunchMeasurement { Samples = new[] { 10.0 }, Session = "2026-11-27T10:00:00Z" } } } },
            ["Ns.T.B(N: 1)"] = new() { Measurement = new BenchmarkMeasurement { Id = "Ns.T.B(N: 1)", Namespace = "Ns", Type = "T", Method = "B", Parameters = "N=1", Launches = new[] { new LaunchMeasurement { Samples = new[] { 0.000123, 1e7 }, Gen2PerThousandOps = 0 } } } },
        },
    };

    [Fact]
    public void The_baseline_reader_answers_every_mutated_baseline_with_a_value_it_can_write_back_or_LPG0301_at_a_position()
    {
        var seeds = new[] { Encoding.UTF8.GetBytes(BaselineSerializer.Serialize(SeedBaseline())), Encoding.UTF8.GetBytes(BaselineSerializer.Serialize(SeedBaseline()).Replace("\n", "")) };
        Fuzz("baseline", seeds, 301, input =>
        {
            Baseline parsed;
            try
            {
                parsed = BaselineSerializer.Parse(input, "perf-baseline.json");
            }
            catch (GateException ex)
            {
                CodedWithPosition(ex.Diagnostic, DiagnosticCodes.BaselineUnreadable);
                return;
            }

            RoundTrips(parsed);
        });
    }

    /// <summary>Written, read back and written again: the same text.</summary>
    private static void RoundTrips(Baseline baseline)
    {
        var written = BaselineSerializer.Serialize(baseline);
        var again = BaselineSerializer.Serialize(BaselineSerializer.Parse(Encoding.UTF8.GetBytes(written), "perf-baseline.json"));
        if (written != again)
        {
            throw new InvalidOperationException("the written baseline does not read back to itself:\n" + written + "\n---\n" + again);
        }
    }

    [Fact]
    public void The_report_reader_answers_every_mutated_report_with_results_the_baseline_can_hold_or_LPG0302_at_a_position()
    {
        var seeds = new[]
        {
            Encoding.UTF8.GetBytes(BdnJson.Report(BdnJson.Benchmark("A", new[] { new[] { 10.0, 11, 12 }, new[] { 10.5 } }), BdnJson.Benchmark("B", new[] { new[] { 1.0, 2 } }, parameters: "N=1"))),
            Encoding.UTF8.GetBytes(BdnJson.Report(BdnJson.Benchmark("F", new[] { new[] { 1.0 } }, failed: true))),
            File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "NoiseSuite.StringBenchmarks-report-full.json")),
        };
        Fuzz("report", seeds, 302, input =>
        {
            BenchmarkDotNetReader.ParsedReport report;
            try
            {
                report = BenchmarkDotNetReader.ReadReport(input, "r-report-full.json");
            }
            catch (GateException ex)
            {
                CodedWithPosition(ex.Diagnostic, DiagnosticCodes.ResultsUnreadable);
                return;
            }

            // What -t:PerfBaseline would record from it must read back (issue 8, repros 4 and 5).
            var run = BenchmarkDotNetReader.Merge(new[] { report });
            var entries = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
            foreach (var benchmark in run.Benchmarks.Where(b => !b.Failed))
            {
                entries[benchmark.Id] = new BaselineEntry { Measurement = benchmark };
            }

            RoundTrips(new Baseline { RecordedAt = RecordedAt, Environment = run.Environment, Benchmarks = entries });
        });
    }

    [Fact]
    public void The_history_reader_answers_every_mutated_history_with_records_it_can_write_back_or_LPG0308_per_line()
    {
        var record = new HistoryRecord
        {
            Time = RecordedAt,
            Commit = "abc",
            Project = "P",
            Environment = SeedBaseline().Environment,
            Benchmarks = new[] { new HistoryBenchmark("Ns.T.A") { TypicalNanoseconds = 10.5, AllocatedBytesPerOperation = 24, Ratio = 1.01, Launches = 3, Outcome = Lyra.Perf.Engine.Judging.Outcome.Unchanged } },
        };
        var text = string.Join("\n", Enumerable.Range(0, 3).Select(i => HistoryStore.Serialize(record with { Time = RecordedAt.AddDays(i) }))) + "\n";
        var path = "/repo/perf-history.jsonl";
        {
            Fuzz("history", new[] { Encoding.UTF8.GetBytes(text) }, 308, input =>
            {
                // Read() is the file, its lock and this parse; the file part has its own tests (HistoryStoreTests).
                var read = HistoryStore.Parse(input, path);
                foreach (var diagnostic in read.Diagnostics)
                {
                    CodedWithPosition(diagnostic, DiagnosticCodes.HistoryUnreadable);
                }

                foreach (var parsed in read.Records)
                {
                    var line = HistoryStore.Serialize(parsed);
                    if (!HistoryStore.TryParse(line, out var again, out var error) || HistoryStore.Serialize(again!) != line)
                    {
                        throw new InvalidOperationException($"the written record does not read back to itself ({error}): {line}");
                    }
                }
            });
        }
    }
}
