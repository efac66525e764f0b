// Supplied by Lyra.Perf.Sdk, compiled into every gate build with the entry point: the results file the gate reads.
namespace Lyra.Perf.Generated
{
    /// <summary>
    /// BenchmarkDotNet's own full JSON report (its exporter, its layout and values), not indented and with only the
    /// measurements the gate reads: the workload's Result iterations (its Actual ones where a report has no Result).
    /// The stages it drops (jitting, pilot, warmup, overhead) are about four fifths of a full report's bytes, which the
    /// gate would otherwise parse for every benchmark and launch. Written as <c>*-report-lyra.json</c> beside the
    /// <c>*-report-full.json</c> kept for people; the gate reads this one where both are present.
    /// </summary>
    internal sealed class PerfGateResultsExporter : BenchmarkDotNet.Exporters.Json.JsonExporter
    {
        /// <summary>The file name's suffix after "-report" (the engine's BenchmarkDotNetReader looks for it).</summary>
        public const string Suffix = "-lyra";

        public PerfGateResultsExporter()
            : base(Suffix, indentJson: false, excludeMeasurements: false)
        {
        }

        protected override System.Collections.Generic.IReadOnlyDictionary<string, object> GetDataToSerialize(BenchmarkDotNet.Reports.BenchmarkReport report)
        {
            var data = new System.Collections.Generic.Dictionary<string, object>();
            foreach (var pair in base.GetDataToSerialize(report))
            {
                data[pair.Key] = pair.Value;
            }

            if (data.ContainsKey("Measurements"))
            {
                var hasResult = false;
                foreach (var m in report.AllMeasurements)
                {
                    hasResult |= IsWorkload(m, BenchmarkDotNet.Engines.IterationStage.Result);
                }

                var kept = new System.Collections.Generic.List<object>();
                foreach (var m in report.AllMeasurements)
                {
                    if (IsWorkload(m, hasResult ? BenchmarkDotNet.Engines.IterationStage.Result : BenchmarkDotNet.Engines.IterationStage.Actual))
                    {
                        // The names and order BenchmarkDotNet's JsonExporterBase writes.
                        kept.Add(new
                        {
                            IterationMode = m.IterationMode.ToString(),
                            IterationStage = m.IterationStage.ToString(),
                            m.LaunchIndex,
                            m.IterationIndex,
                            m.Operations,
                            m.Nanoseconds,
                        });
                    }
                }

                data["Measurements"] = kept;
            }

            return data;
        }

        private static bool IsWorkload(BenchmarkDotNet.Reports.Measurement m, BenchmarkDotNet.Engines.IterationStage stage) =>
            m.IterationMode == BenchmarkDotNet.Engines.IterationMode.Workload && m.IterationStage == stage;
    }
}
