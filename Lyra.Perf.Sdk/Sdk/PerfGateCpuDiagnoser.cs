// Supplied by Lyra.Perf.Sdk, compiled with PerfGateEntryPoint.cs: around each benchmark's actual workload iterations
// it measures the cores the benchmark process used and the cores other processes kept busy, so the gate can tell a
// multi-threaded benchmark that could not get its cores (LPG0225) from a slower one. The full JSON report carries
// both under the benchmark's "Metrics".
namespace Lyra.Perf.Generated
{
    internal sealed class PerfGateCpuDiagnoser : BenchmarkDotNet.Diagnosers.IDiagnoser
    {
        /// <summary>Metric ids, as Lyra.Perf.Engine's BenchmarkDotNetReader reads them.</summary>
        internal const string CoresUsedId = "Lyra.Perf.CoresUsed";

        internal const string OtherLoadId = "Lyra.Perf.OtherLoad";

        private static readonly Descriptor CoresUsed = new Descriptor(CoresUsedId, "Cores",
            "Cores the benchmark process used during the workload iterations (its CPU time per wall time)", 0);

        private static readonly Descriptor OtherLoad = new Descriptor(OtherLoadId, "Other load",
            "Cores other processes kept busy meanwhile (system-wide busy time incl. steal from /proc/stat, minus this process's, per wall time)", 1);

        private readonly System.Collections.Generic.Dictionary<BenchmarkDotNet.Running.BenchmarkCase, Reading> _started =
            new System.Collections.Generic.Dictionary<BenchmarkDotNet.Running.BenchmarkCase, Reading>();

        private readonly System.Collections.Generic.Dictionary<BenchmarkDotNet.Running.BenchmarkCase, Reading[]> _windows =
            new System.Collections.Generic.Dictionary<BenchmarkDotNet.Running.BenchmarkCase, Reading[]>();

        public System.Collections.Generic.IEnumerable<string> Ids => new[] { "LyraPerfCpu" };

        public System.Collections.Generic.IEnumerable<BenchmarkDotNet.Exporters.IExporter> Exporters => new BenchmarkDotNet.Exporters.IExporter[0];

        public System.Collections.Generic.IEnumerable<BenchmarkDotNet.Analysers.IAnalyser> Analysers => new BenchmarkDotNet.Analysers.IAnalyser[0];

        public BenchmarkDotNet.Diagnosers.RunMode GetRunMode(BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => BenchmarkDotNet.Diagnosers.RunMode.NoOverhead;

        public void Handle(BenchmarkDotNet.Engines.HostSignal signal, BenchmarkDotNet.Diagnosers.DiagnoserActionParameters parameters)
        {
            // In process (the gate's job) the host is the benchmark process; out of process Process is the child.
            if (signal == BenchmarkDotNet.Engines.HostSignal.BeforeActualRun)
            {
                _started[parameters.BenchmarkCase] = Reading.Take(parameters.Process);
            }
            else if (signal == BenchmarkDotNet.Engines.HostSignal.AfterActualRun && _started.TryGetValue(parameters.BenchmarkCase, out var start))
            {
                _windows[parameters.BenchmarkCase] = new[] { start, Reading.Take(parameters.Process) };
            }
        }

        public System.Collections.Generic.IEnumerable<BenchmarkDotNet.Reports.Metric> ProcessResults(BenchmarkDotNet.Diagnosers.DiagnoserResults results)
        {
            var metrics = new System.Collections.Generic.List<BenchmarkDotNet.Reports.Metric>();
            if (!_windows.TryGetValue(results.BenchmarkCase, out var window))
            {
                return metrics;
            }

            _windows.Remove(results.BenchmarkCase);
            var start = window[0];
            var end = window[1];
            var wallSeconds = (end.Timestamp - start.Timestamp) / (double)System.Diagnostics.Stopwatch.Frequency;
            var cpuSeconds = (end.ProcessorTime - start.ProcessorTime).TotalSeconds;
            if (!(wallSeconds > 0) || !(cpuSeconds >= 0) || start.ProcessorTime == System.TimeSpan.MinValue || end.ProcessorTime == System.TimeSpan.MinValue)
            {
                return metrics;
            }

            var cores = cpuSeconds / wallSeconds;
            metrics.Add(new BenchmarkDotNet.Reports.Metric(CoresUsed, System.Math.Round(cores, 3)));

            // /proc/stat counts in clock ticks over all CPUs: the busy share of the window's ticks times the CPU count
            // is the busy cores, whatever the tick rate.
            var ticks = end.SystemTotalTicks - start.SystemTotalTicks;
            if (start.Cpus > 0 && end.Cpus == start.Cpus && ticks > 0)
            {
                var busyCores = (end.SystemBusyTicks - start.SystemBusyTicks) / ticks * start.Cpus;
                metrics.Add(new BenchmarkDotNet.Reports.Metric(OtherLoad, System.Math.Round(System.Math.Max(0, busyCores - cores), 3)));
            }

            return metrics;
        }

        public void DisplayResults(BenchmarkDotNet.Loggers.ILogger logger)
        {
        }

        public System.Collections.Generic.IEnumerable<BenchmarkDotNet.Validators.ValidationError> Validate(BenchmarkDotNet.Validators.ValidationParameters validationParameters) =>
            new BenchmarkDotNet.Validators.ValidationError[0];

        /// <summary>One instant: this process's CPU time, a wall-clock timestamp and the system's busy and total ticks
        /// (Cpus 0 where /proc/stat is missing: Windows, macOS).</summary>
        private struct Reading
        {
            public long Timestamp;
            public System.TimeSpan ProcessorTime;
            public double SystemBusyTicks;
            public double SystemTotalTicks;
            public int Cpus;

            public static Reading Take(System.Diagnostics.Process process)
            {
                var reading = new Reading { ProcessorTime = System.TimeSpan.MinValue };
                ReadSystem(ref reading);
                try
                {
                    var measured = process ?? System.Diagnostics.Process.GetCurrentProcess();
                    measured.Refresh();
                    reading.ProcessorTime = measured.TotalProcessorTime;
                }
                catch (System.Exception ex) when (ex is System.InvalidOperationException || ex is System.ComponentModel.Win32Exception || ex is System.NotSupportedException)
                {
                    // Exited or not permitted: no figure for this benchmark.
                }

                reading.Timestamp = System.Diagnostics.Stopwatch.GetTimestamp();
                return reading;
            }

            /// <summary>The aggregate "cpu" line: user nice system idle iowait irq softirq steal (guest time is already
            /// in user and nice). Busy = everything but idle and iowait; steal is a noisy VM neighbour.</summary>
            private static void ReadSystem(ref Reading reading)
            {
                try
                {
                    if (!System.IO.File.Exists("/proc/stat"))
                    {
                        return;
                    }

                    var cpus = 0;
                    double busy = 0, total = 0;
                    var aggregate = false;
                    foreach (var line in System.IO.File.ReadLines("/proc/stat"))
                    {
                        if (line.StartsWith("cpu ", System.StringComparison.Ordinal))
                        {
                            var fields = line.Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries);
                            if (fields.Length < 9)
                            {
                                return;
                            }

                            for (var i = 1; i <= 8; i++)
                            {
                                if (!double.TryParse(fields[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
                                {
                                    return;
                                }

                                total += value;
                                if (i != 4 && i != 5)
                                {
                                    busy += value;
                                }
                            }

                            aggregate = true;
                        }
                        else if (line.StartsWith("cpu", System.StringComparison.Ordinal))
                        {
                            cpus++;
                        }
                        else if (aggregate)
                        {
                            break; // The per-CPU lines follow the aggregate one; nothing after them is needed.
                        }
                    }

                    if (aggregate && cpus > 0)
                    {
                        reading.SystemBusyTicks = busy;
                        reading.SystemTotalTicks = total;
                        reading.Cpus = cpus;
                    }
                }
                catch (System.Exception ex) when (ex is System.IO.IOException || ex is System.UnauthorizedAccessException)
                {
                    // Unreadable: other load is not reported.
                }
            }
        }

        private sealed class Descriptor : BenchmarkDotNet.Reports.IMetricDescriptor
        {
            public Descriptor(string id, string displayName, string legend, int priority)
            {
                Id = id;
                DisplayName = displayName;
                Legend = legend;
                PriorityInCategory = priority;
            }

            public string Id { get; }

            public string DisplayName { get; }

            public string Legend { get; }

            public string NumberFormat => "0.00";

            public BenchmarkDotNet.Columns.UnitType UnitType => BenchmarkDotNet.Columns.UnitType.Dimensionless;

            public string Unit => "cores";

            public bool TheGreaterTheBetter => false;

            public int PriorityInCategory { get; }

            public bool GetIsAvailable(BenchmarkDotNet.Reports.Metric metric) => true;
        }
    }
}
