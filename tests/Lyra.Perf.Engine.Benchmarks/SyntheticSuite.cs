using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Benchmarks;

/// <summary>
/// A large suite's files, made deterministically from a seed in a temp folder: BenchmarkDotNet full JSON reports
/// shaped like the gate job's (one file per class per launch, every iteration stage, statistics, memory, metrics), a
/// baseline kept over several recording runs (written by the engine's own serializer), and a history at its limit.
/// Most benchmarks are unchanged within realistic noise; a few regress, improve, allocate more, are new or removed,
/// so every kind of verdict, diagnostic and report row occurs.
/// </summary>
public sealed class SyntheticSuite : IDisposable
{
    public const int Seed = 20261202;

    /// <summary>The gate run's clock: fixed, so every run of the benchmarks sees the same inputs and ages.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public const string Namespace = "Lyra.Perf.Engine.Benchmarks.Targets";

    /// <summary>The gated project's name, in its history records and requests.</summary>
    public const string ProjectName = "Lyra.Perf.Engine.Benchmarks";

    private const int Types = 20;
    private const int MethodsPerType = 5;
    private const int ParameterValues = 10;
    private const int Iterations = 10;
    private const int Warmups = 8;

    private static readonly RunEnvironment Environment = new()
    {
        Os = "Linux Debian GNU/Linux 13 (trixie)",
        Cpu = "AMD EPYC",
        LogicalCores = 2,
        Runtime = ".NET 10.0.0 (10.0.0, 10.0.25.52411)",
        Architecture = "X64",
        BenchmarkDotNetVersion = "0.15.8",
        Job = JobSettings,
    };

    private const string JobSettings = "Toolchain=InProcessEmitToolchain, IterationCount=10, IterationTime=100ms, LaunchCount=1, WarmupCount=8";

    private SyntheticSuite(string root, int benchmarks, int historyRuns, int launches)
    {
        Root = root;
        Benchmarks = benchmarks;
        HistoryRuns = historyRuns;
        Launches = launches;
    }

    /// <summary>The dry run's suites: a tenth of the benchmarks and of the history, so every code path runs in seconds.</summary>
    public static bool Small { get; set; }

    public string Root { get; }
    public int Benchmarks { get; }
    public int HistoryRuns { get; }
    public int Launches { get; }

    /// <summary>The current run's launch folders (run-1 …), as the gate passes them.</summary>
    public IReadOnlyList<string> ResultsDirectories => Enumerable.Range(1, Launches).Select(l => Path.Combine(Root, "results", "run-" + l)).ToList();

    public string ResultsRoot => Path.Combine(Root, "results");
    public string BaselinePath => Path.Combine(Root, "perf-baseline.json");
    public string HistoryPath => Path.Combine(Root, "perf-history.jsonl");

    /// <summary>A copy of the history that <see cref="FillTrimHistory"/> holds at <see cref="HistoryStore.TrimThreshold"/>
    /// runs, so the next append trims it.</summary>
    public string TrimHistoryPath => Path.Combine(Root, "perf-history-trim.jsonl");
    public string ReportDirectory => Path.Combine(Root, "reports");

    /// <summary>The gate's options for this suite: the defaults, two rules and one claim, as a real project has.</summary>
    public static GateOptions Options => new()
    {
        Rules = new[]
        {
            new PerfRule("Target03.") { Threshold = 0.10 },
            new PerfRule("*Method4(N: 9)") { FailOn = Severity.Critical },
        },
        Claims = new[] { new PerfClaim("Target00.Method1(N: 0)", "Target00.Method0(N: 0)") { Faster = 1.01 } },
    };

    /// <summary>Writes the files. <paramref name="history"/> and <paramref name="baseline"/> may be left out where a
    /// benchmark class does not read them.</summary>
    public static SyntheticSuite Create(int benchmarks, int historyRuns = 1000, int launches = 3, int baselineRuns = 3, bool reports = true, bool baseline = true, bool history = true)
    {
        if (Small)
        {
            benchmarks = Math.Max(1, benchmarks / 10);
            historyRuns = Math.Max(1, historyRuns / 10);
        }

        var root = Path.Combine(Path.GetTempPath(), "lyra-engine-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var suite = new SyntheticSuite(root, benchmarks, historyRuns, launches);
        var model = new Model(benchmarks);
        if (reports)
        {
            suite.WriteReports(model);
        }

        if (baseline)
        {
            suite.WriteBaseline(model, baselineRuns);
        }

        if (history)
        {
            suite.WriteHistory(model);
        }

        return suite;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Benchmark i's identity and its true behaviour.</summary>
    private sealed record Case(string Type, string Method, int Parameter, double Nanoseconds, double Bytes, double CurrentFactor, double CurrentBytes, bool InBaseline, bool InCurrent)
    {
        public string Parameters => "N=" + Parameter.ToString(CultureInfo.InvariantCulture);
        public string FullName => $"{Namespace}.{Type}.{Method}(N: {Parameter.ToString(CultureInfo.InvariantCulture)})";
    }

    private sealed class Model
    {
        public Model(int benchmarks)
        {
            var random = new Random(Seed);
            var cases = new List<Case>();
            // A large suite also has benchmarks that were added (new) or deleted (still in the baseline).
            var churn = benchmarks >= 100 ? benchmarks / 200 : 0;
            for (var i = 0; i < benchmarks + churn; i++)
            {
                var type = "Target" + ((i / (MethodsPerType * ParameterValues)) % Types).ToString("00", CultureInfo.InvariantCulture);
                var method = "Method" + ((i / ParameterValues) % MethodsPerType).ToString(CultureInfo.InvariantCulture);
                var parameter = (i % ParameterValues) + (ParameterValues * (i / (Types * MethodsPerType * ParameterValues)));
                var ns = Math.Exp(Math.Log(20) + (random.NextDouble() * (Math.Log(2e6) - Math.Log(20))));
                var bytes = random.Next(4) == 0 ? 0 : 24 * (1 + random.Next(40));
                var factor = 1.0;
                var currentBytes = (double)bytes;
                if (i % 50 == 7)
                {
                    factor = 1.3; // a regression
                }
                else if (i % 100 == 11)
                {
                    factor = 0.75; // an improvement
                }
                else if (i % 200 == 13)
                {
                    currentBytes = bytes + 64; // an allocation regression
                }

                var removed = i >= benchmarks;
                var added = churn > 0 && i >= benchmarks - churn && i < benchmarks;
                cases.Add(new Case(type, method, parameter, ns, bytes, factor, currentBytes, InBaseline: !added, InCurrent: !removed));
            }

            Cases = cases;
        }

        public IReadOnlyList<Case> Cases { get; }
    }

    /// <summary>One launch's iteration times of a benchmark: a launch level (processes differ) times iteration noise
    /// with an occasional upper outlier (noise only adds time).</summary>
    private static double[] Samples(Random random, double nanoseconds, double launchSpread = 0.01)
    {
        var level = nanoseconds * Math.Exp(Normal(random) * launchSpread);
        var samples = new double[Iterations];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = level * Math.Exp(Math.Abs(Normal(random)) * 0.02) * (random.Next(30) == 0 ? 1.15 : 1);
        }

        return samples;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private void WriteReports(Model model)
    {
        var random = new Random(Seed + 1);
        for (var launch = 0; launch < Launches; launch++)
        {
            var folder = Path.Combine(ResultsDirectories[launch], "results");
            Directory.CreateDirectory(folder);
            foreach (var type in model.Cases.Where(c => c.InCurrent).GroupBy(c => c.Type))
            {
                var full = Report(type.ToList(), random, launch);
                File.WriteAllBytes(Path.Combine(folder, $"{Namespace}.{type.Key}-report-full.json"), full);
                File.WriteAllBytes(Path.Combine(folder, $"{Namespace}.{type.Key}{BenchmarkDotNetReader.GateSuffix}"), GateCut(full));
            }
        }
    }

    /// <summary>What the SDK's PerfGateResultsExporter writes beside a full report, and the gate reads: the same report,
    /// not indented, its measurements only the workload's Result iterations.</summary>
    private static byte[] GateCut(byte[] full)
    {
        var root = JsonNode.Parse(full)!;
        foreach (var benchmark in root["Benchmarks"]!.AsArray())
        {
            var kept = benchmark!["Measurements"]!.AsArray()
                .Where(m => (string?)m!["IterationMode"] == "Workload" && (string?)m["IterationStage"] == "Result")
                .Select(m => m!.DeepClone())
                .ToArray();
            benchmark["Measurements"] = new JsonArray(kept);
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>A BenchmarkDotNet full JSON report of one class for one launch, in BenchmarkDotNet's layout.</summary>
    private static byte[] Report(IReadOnlyList<Case> cases, Random random, int launch)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("Title", $"{Namespace}.{cases[0].Type}-20261201-1200{launch}");
            json.WriteStartObject("HostEnvironmentInfo");
            json.WriteString("BenchmarkDotNetCaption", "BenchmarkDotNet");
            json.WriteString("BenchmarkDotNetVersion", Environment.BenchmarkDotNetVersion);
            json.WriteString("OsVersion", Environment.Os);
            json.WriteString("ProcessorName", Environment.Cpu);
            json.WriteNumber("PhysicalProcessorCount", 1);
            json.WriteNumber("PhysicalCoreCount", 2);
            json.WriteNumber("LogicalCoreCount", Environment.LogicalCores);
            json.WriteString("RuntimeVersion", Environment.Runtime);
            json.WriteString("Architecture", Environment.Architecture);
            json.WriteBoolean("HasAttachedDebugger", false);
            json.WriteBoolean("HasRyuJit", true);
            json.WriteString("Configuration", "RELEASE");
            json.WriteString("DotNetCliVersion", "10.0.100");
            json.WriteStartObject("ChronometerFrequency");
            json.WriteNumber("Hertz", 1000000000);
            json.WriteEndObject();
            json.WriteString("HardwareTimerKind", "Unknown");
            json.WriteEndObject();
            json.WriteStartArray("Benchmarks");
            foreach (var c in cases)
            {
                WriteBenchmark(json, c, Samples(random, c.Nanoseconds * c.CurrentFactor), random);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteBenchmark(Utf8JsonWriter json, Case c, double[] samples, Random random)
    {
        var operations = Math.Max(1, Math.Round(1e8 / c.Nanoseconds));
        json.WriteStartObject();
        json.WriteString("DisplayInfo", $"{c.Type}.{c.Method}: Job-GATEJB({JobSettings}) [{c.Parameters}]");
        json.WriteString("Namespace", Namespace);
        json.WriteString("Type", c.Type);
        json.WriteString("Method", c.Method);
        json.WriteString("MethodTitle", c.Method);
        json.WriteString("Parameters", c.Parameters);
        json.WriteString("FullName", c.FullName);
        json.WriteString("HardwareIntrinsics", "AVX2,AES,BMI1,BMI2,FMA,LZCNT,PCLMUL,POPCNT VectorSize=256");
        WriteStatistics(json, samples);
        json.WriteStartObject("Memory");
        json.WriteNumber("Gen0Collections", c.CurrentBytes > 0 ? 1 : 0);
        json.WriteNumber("Gen1Collections", 0);
        json.WriteNumber("Gen2Collections", 0);
        json.WriteNumber("TotalOperations", operations);
        json.WriteNumber("BytesAllocatedPerOperation", c.CurrentBytes);
        json.WriteEndObject();

        json.WriteStartArray("Measurements");
        var index = 1;
        void Measure(string mode, string stage, int count, Func<int, double> nanosecondsPerOp)
        {
            for (var i = 0; i < count; i++)
            {
                json.WriteStartObject();
                json.WriteString("IterationMode", mode);
                json.WriteString("IterationStage", stage);
                json.WriteNumber("LaunchIndex", 1);
                json.WriteNumber("IterationIndex", index++);
                json.WriteNumber("Operations", operations);
                json.WriteNumber("Nanoseconds", Math.Round(nanosecondsPerOp(i) * operations));
                json.WriteEndObject();
            }
        }

        var overhead = 0.4 + random.NextDouble();
        Measure("Overhead", "Jitting", 1, _ => overhead * 3);
        Measure("Workload", "Jitting", 1, _ => samples[0] * 2);
        Measure("Workload", "Pilot", 4, _ => samples[0] * (1 + random.NextDouble() * 0.1));
        Measure("Overhead", "Warmup", Warmups, _ => overhead);
        Measure("Overhead", "Actual", 20, _ => overhead * (1 + random.NextDouble() * 0.05));
        Measure("Workload", "Warmup", Warmups, i => samples[i % samples.Length] * 1.01);
        Measure("Workload", "Actual", Iterations, i => samples[i] + overhead);
        Measure("Workload", "Result", Iterations, i => samples[i]);
        json.WriteEndArray();

        json.WriteStartArray("Metrics");
        foreach (var (id, name, legend, value) in new[]
        {
            ("Gen0Collects", "Gen0", "GC Generation 0 collects per 1000 operations", c.CurrentBytes > 0 ? 1000.0 / operations : 0),
            ("Gen1Collects", "Gen1", "GC Generation 1 collects per 1000 operations", 0),
            ("Gen2Collects", "Gen2", "GC Generation 2 collects per 1000 operations", 0),
            ("Allocated Memory", "Allocated", "Allocated memory per single operation (managed only, inclusive, 1KB = 1024B)", c.CurrentBytes),
        })
        {
            json.WriteStartObject();
            json.WriteNumber("Value", value);
            json.WriteStartObject("Descriptor");
            json.WriteString("Id", id);
            json.WriteString("DisplayName", name);
            json.WriteString("Legend", legend);
            json.WriteString("NumberFormat", "#0.0000");
            json.WriteNumber("UnitType", 0);
            json.WriteString("Unit", "Count");
            json.WriteBoolean("TheGreaterTheBetter", false);
            json.WriteNumber("PriorityInCategory", 0);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStatistics(Utf8JsonWriter json, double[] samples)
    {
        var sorted = samples.OrderBy(s => s).ToArray();
        var mean = samples.Average();
        var sd = Math.Sqrt(samples.Sum(s => (s - mean) * (s - mean)) / (samples.Length - 1));
        double Q(double p) => sorted[(int)Math.Round(p * (sorted.Length - 1))];
        json.WriteStartObject("Statistics");
        json.WriteStartArray("OriginalValues");
        foreach (var s in samples)
        {
            json.WriteNumberValue(s);
        }

        json.WriteEndArray();
        json.WriteNumber("N", samples.Length);
        json.WriteNumber("Min", sorted[0]);
        json.WriteNumber("LowerFence", Q(0.25) - (1.5 * (Q(0.75) - Q(0.25))));
        json.WriteNumber("Q1", Q(0.25));
        json.WriteNumber("Median", Q(0.5));
        json.WriteNumber("Mean", mean);
        json.WriteNumber("Q3", Q(0.75));
        json.WriteNumber("UpperFence", Q(0.75) + (1.5 * (Q(0.75) - Q(0.25))));
        json.WriteNumber("Max", sorted[^1]);
        json.WriteNumber("InterquartileRange", Q(0.75) - Q(0.25));
        json.WriteStartArray("LowerOutliers");
        json.WriteEndArray();
        json.WriteStartArray("UpperOutliers");
        json.WriteEndArray();
        json.WriteStartArray("AllOutliers");
        json.WriteEndArray();
        json.WriteNumber("StandardError", sd / Math.Sqrt(samples.Length));
        json.WriteNumber("Variance", sd * sd);
        json.WriteNumber("StandardDeviation", sd);
        json.WriteNumber("Skewness", 0.1);
        json.WriteNumber("Kurtosis", 2.1);
        json.WriteStartObject("ConfidenceInterval");
        json.WriteNumber("N", samples.Length);
        json.WriteNumber("Mean", mean);
        json.WriteNumber("StandardError", sd / Math.Sqrt(samples.Length));
        json.WriteNumber("Level", 12);
        json.WriteNumber("Margin", 3.25 * sd / Math.Sqrt(samples.Length));
        json.WriteNumber("Lower", mean - (3.25 * sd / Math.Sqrt(samples.Length)));
        json.WriteNumber("Upper", mean + (3.25 * sd / Math.Sqrt(samples.Length)));
        json.WriteEndObject();
        json.WriteStartObject("Percentiles");
        foreach (var p in new[] { 0, 25, 50, 67, 80, 85, 90, 95, 100 })
        {
            json.WriteNumber("P" + p.ToString(CultureInfo.InvariantCulture), Q(p / 100.0));
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The baseline as PerfBaseline with PerfGateBaselineRuns=N leaves it: N recording runs of the same launches
    /// count, each launch stamped with its run.</summary>
    private void WriteBaseline(Model model, int runs)
    {
        var random = new Random(Seed + 2);
        var benchmarks = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
        foreach (var c in model.Cases.Where(c => c.InBaseline))
        {
            var launches = new List<LaunchMeasurement>();
            for (var run = 0; run < runs; run++)
            {
                var session = BaselineSerializer.Timestamp(Now.AddDays(-10 + run));
                var runLevel = c.Nanoseconds * Math.Exp(Normal(random) * 0.01);
                for (var launch = 0; launch < Launches; launch++)
                {
                    launches.Add(new LaunchMeasurement
                    {
                        Samples = Samples(random, runLevel),
                        AllocatedBytesPerOperation = c.Bytes,
                        AllocationOperations = Math.Max(1, Math.Round(1e8 / c.Nanoseconds)),
                        Gen0PerThousandOps = c.Bytes > 0 ? 1000.0 / Math.Max(1, Math.Round(1e8 / c.Nanoseconds)) : 0,
                        Gen1PerThousandOps = 0,
                        Gen2PerThousandOps = 0,
                        Session = runs > 1 ? session : null,
                    });
                }
            }

            benchmarks[c.FullName] = new BaselineEntry
            {
                Measurement = new BenchmarkMeasurement
                {
                    Id = c.FullName,
                    Namespace = Namespace,
                    Type = c.Type,
                    Method = c.Method,
                    Parameters = c.Parameters,
                    Launches = launches,
                },
            };
        }

        BaselineSerializer.Write(BaselinePath, new Baseline
        {
            RecordedAt = Now.AddDays(-10 + runs - 1),
            Commit = "0123456789abcdef0123456789abcdef01234567",
            Tool = "Lyra.Perf 1.0.0",
            Environment = Environment,
            Benchmarks = benchmarks,
        });
    }

    /// <summary>A history at its limit: one record per earlier gate run (hours apart), each with every benchmark.</summary>
    private void WriteHistory(Model model)
    {
        var random = new Random(Seed + 3);
        var text = new StringBuilder();
        for (var run = 0; run < HistoryRuns; run++)
        {
            var record = new HistoryRecord
            {
                Time = Now.AddHours(-(HistoryRuns - run)),
                Commit = (0x1000000 + run).ToString("x7", CultureInfo.InvariantCulture),
                Project = ProjectName,
                Environment = Environment,
                Benchmarks = model.Cases.Where(c => c.InBaseline).OrderBy(c => c.FullName, StringComparer.Ordinal).Select(c =>
                {
                    var ns = c.Nanoseconds * Math.Exp(Normal(random) * 0.015);
                    return new HistoryBenchmark(c.FullName)
                    {
                        TypicalNanoseconds = ns,
                        AllocatedBytesPerOperation = c.Bytes,
                        Outcome = Outcome.Unchanged,
                        Severity = Severity.None,
                        Ratio = ns / c.Nanoseconds,
                        Launches = Launches,
                        // Each launch's level and allocation reading, as the gate keeps them for the learned prior.
                        LaunchLevels = Enumerable.Range(0, Launches).Select(_ => ns * Math.Exp(Normal(random) * 0.01)).ToList(),
                        LaunchBytes = Enumerable.Range(0, Launches).Select(_ => c.Bytes).ToList(),
                    };
                }).ToList(),
            };
            text.Append(HistoryStore.Serialize(record)).Append('\n');
        }

        File.WriteAllText(HistoryPath, text.ToString());
        _historyLength = new FileInfo(HistoryPath).Length;
    }

    private long _historyLength;

    /// <summary>Takes the history back to the runs <see cref="Create"/> wrote (a gate appends its run): every gate
    /// over the suite then reads a history of distinct earlier runs, as a gate in CI does, not copies of its own run.</summary>
    public void RestoreHistory()
    {
        using var history = new FileStream(HistoryPath, FileMode.Open, FileAccess.Write);
        history.SetLength(_historyLength);
    }

    /// <summary>The history's first lines, appended to <see cref="TrimHistoryPath"/> to refill it.</summary>
    private byte[][]? _refill;

    /// <summary>Brings <see cref="TrimHistoryPath"/> to <see cref="HistoryStore.TrimThreshold"/> runs by appending
    /// copies of the history's first runs (its content is never judged, only its size counts).</summary>
    public void FillTrimHistory()
    {
        var threshold = HistoryStore.TrimThreshold(HistoryRuns);
        _refill ??= File.ReadLines(HistoryPath).Take(threshold - HistoryRuns + 1).Select(l => Encoding.UTF8.GetBytes(l + "\n")).ToArray();
        if (!File.Exists(TrimHistoryPath))
        {
            File.Copy(HistoryPath, TrimHistoryPath);
        }

        var lines = CountLines(TrimHistoryPath);
        using var stream = new FileStream(TrimHistoryPath, FileMode.Append);
        for (var i = 0; lines < threshold; i++, lines++)
        {
            stream.Write(_refill[i % _refill.Length], 0, _refill[i % _refill.Length].Length);
        }
    }

    private static int CountLines(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        var count = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            count += buffer.AsSpan(0, n).Count((byte)'\n');
        }

        return count;
    }

    /// <summary>What the report writers get in a gate run over this suite: the decided result and the history's last runs with this run.</summary>
    public Reports.ReportContext ReportContext()
    {
        var run = Ingest.BenchmarkDotNetReader.ReadDirectories(ResultsDirectories).Run;
        var baseline = BaselineSerializer.Read(BaselinePath);
        var result = new Gate().Evaluate(baseline, BaselinePath, run, Options, Now);
        var history = HistoryStore.ReadRecent(HistoryPath, HistoryWindow.Runs).Records;
        var record = HistoryRecord.From(run, result, Now, "feedfacefeedfacefeedfacefeedfacefeedface", ProjectName);
        return new Reports.ReportContext
        {
            Result = result,
            Run = run,
            Baseline = baseline,
            BaselinePath = BaselinePath,
            History = history.Concat(new[] { record }).ToList(),
            Options = Options,
            Time = Now,
            Commit = record.Commit,
            ProjectName = ProjectName,
            ToolVersion = GateRunner.ToolName,
        };
    }

    /// <summary>The compare-only request (PerfGateResults=DIR) over this suite, as the PerfGate task composes it.</summary>
    public GateRequest Request() => new()
    {
        ResultsDirectories = new[] { ResultsRoot },
        BaselinePath = BaselinePath,
        ProjectDirectory = Root,
        ProjectName = ProjectName,
        ProjectFile = Path.Combine(Root, "Lyra.Perf.Engine.Benchmarks.csproj"),
        Options = Options,
        ReportDirectory = ReportDirectory,
        HistoryFile = HistoryPath,
        HistoryLimit = HistoryRuns,
        Now = Now,
    };
}
