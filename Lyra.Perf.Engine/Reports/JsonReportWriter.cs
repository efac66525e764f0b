using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Baselines;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Json;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Reports;

/// <summary>perf-report.json: the machine-readable report. Its shape is documented by docs/perf-report.schema.json;
/// <see cref="SchemaVersion"/> changes whenever a field changes meaning or disappears (adding fields does not).</summary>
public static class JsonReportWriter
{
    public const int SchemaVersion = 1;

    public const string SchemaId = "https://github.com/lyra-perf/lyra-perf/blob/main/docs/perf-report.schema.json";

    public static string Write(ReportContext context)
    {
        using var stream = new MemoryStream();
        WriteTo(stream, context);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>perf-report.json into <paramref name="stream"/> as it is made, a buffer at a time (the gate writes
    /// it to its file so: a megabyte at 1,000 benchmarks, never whole in memory). Lines end in '\n' on every OS.</summary>
    public static void WriteTo(Stream stream, ReportContext context)
    {
#if NET
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, context);
        }

        stream.WriteByte((byte)'\n');
#else
        // The writer's line ends are the OS's there (no NewLine option before .NET 9): made whole, then fixed.
        using var whole = new MemoryStream();
        using (var writer = new Utf8JsonWriter(whole, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, context);
        }

        var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(whole.ToArray()).Replace("\r\n", "\n") + "\n");
        stream.Write(bytes, 0, bytes.Length);
#endif
    }

    internal static void Write(Utf8JsonWriter writer, ReportContext context)
    {
        var result = context.Result;
        writer.WriteStartObject();
        writer.WriteString("$schema", SchemaId);
        writer.WriteNumber("schemaVersion", SchemaVersion);
        writer.WriteStartObject("tool");
        writer.WriteString("name", "Lyra.Perf");
        if (context.ToolVersion is not null)
        {
            writer.WriteString("version", context.ToolVersion);
        }

        writer.WriteEndObject();
        writer.WriteString("project", context.ProjectName);
        writer.WriteString("time", Timestamp(context.Time));
        WriteOptionalString(writer, "commit", context.Commit);
        writer.WriteString("status", result.Decision.Status);
        writer.WriteStartArray("why");
        foreach (var reason in result.Decision.Why)
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
        writer.WriteString("headline", ReportFormat.HeadLine(context));

        writer.WriteStartObject("settings");
        writer.WriteStableNumber("threshold", context.Options.Threshold);
        writer.WriteStableNumber("criticalThreshold", context.Options.CriticalThreshold);
        writer.WriteString("failOn", context.Options.FailOn.ToString());
        writer.WriteStableNumber("allocationThreshold", context.Options.AllocationThreshold);
        writer.WriteBoolean("enabled", context.Options.Enabled);
        writer.WriteString("filter", context.Options.Filter);
        writer.WriteString("exclude", context.Options.Exclude);
        writer.WriteEndObject();

        writer.WriteStartObject("baseline");
        writer.WriteString("path", context.BaselinePath);
        writer.WriteBoolean("exists", context.Baseline is not null);
        if (context.Baseline is { } baseline)
        {
            if (baseline.RecordedAt != DateTimeOffset.MinValue)
            {
                writer.WriteString("recordedAt", Timestamp(baseline.RecordedAt));
            }

            WriteOptionalString(writer, "commit", baseline.Commit);
            writer.WritePropertyName("environment");
            BaselineSerializer.WriteEnvironment(writer, baseline.Environment);
        }

        writer.WriteEndObject();

        if (context.AbSides is { } ab)
        {
            // A/B mode: "baseline" above holds the base commit's launches or units, measured alternately with this run's.
            writer.WriteStartObject("comparison");
            writer.WriteString("mode", "ab");
            writer.WriteString("scheme", ab.Scheme);
            writer.WriteString("measuringUnit", ReportFormat.Unit(context.Result).Name);
            WriteCommit(writer, "base", ab.Base);
            WriteCommit(writer, "current", ab.Current);
            writer.WriteEndObject();
        }

        writer.WritePropertyName("environment");
        BaselineSerializer.WriteEnvironment(writer, context.Run.Environment);
        writer.WriteStartArray("environmentDifferences");
        foreach (var difference in result.EnvironmentDifferences)
        {
            writer.WriteStringValue(difference);
        }

        writer.WriteEndArray();

        WriteMachineShift(writer, result);
        WriteMachineLoad(writer, context);

        writer.WriteStartObject("counts");
        foreach (var pair in ReportFormat.Counts(result.Verdicts))
        {
            writer.WriteNumber(Camel(pair.Key.ToString()), pair.Value);
        }

        writer.WriteNumber("claimsMet", result.Claims.Count(c => c.Met));
        writer.WriteNumber("claimsNotMet", result.Claims.Count(c => !c.Met));
        writer.WriteNumber("errors", result.Diagnostics.Count(d => d.Level == DiagnosticLevel.Error));
        writer.WriteNumber("warnings", result.Diagnostics.Count(d => d.Level == DiagnosticLevel.Warning));
        writer.WriteEndObject();

        writer.WriteStartArray("benchmarks");
        foreach (var verdict in ReportFormat.Ordered(result.Verdicts))
        {
            WriteVerdict(writer, context, verdict);

            // Handed to the stream every few kilobytes, so the writer's own buffer never grows to the whole report.
            if (writer.BytesPending > 16 * 1024)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();

        writer.WriteStartArray("excluded");
        foreach (var id in result.Excluded)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();

        writer.WriteStartArray("claims");
        foreach (var claim in result.Claims)
        {
            writer.WriteStartObject();
            writer.WriteString("description", claim.Claim.Description);
            writer.WriteString("pattern", claim.Claim.Pattern);
            writer.WriteString("baselinePattern", claim.Claim.Baseline);
            writer.WriteString("subject", claim.Subject);
            writer.WriteString("baseline", claim.Baseline);
            writer.WriteBoolean("met", claim.Met);
            writer.WriteString("detail", claim.Detail);
            writer.WriteStableNumber("requiredSpeedup", claim.Claim.Faster);
            writer.WriteStableNumber("requiredAllocationReduction", claim.Claim.LessAllocated);
            writer.WriteStableNumber("measuredSpeedup", claim.MeasuredSpeedup);
            writer.WriteStableNumber("measuredAllocationReduction", claim.MeasuredAllocationReduction);
            WriteOptionalString(writer, "notChecked", claim.Undecided);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("diagnostics");
        foreach (var diagnostic in result.Diagnostics)
        {
            writer.WriteStartObject();
            writer.WriteString("code", diagnostic.Code);
            writer.WriteString("level", diagnostic.Level.ToString().ToLowerInvariant());
            writer.WriteString("message", diagnostic.Message);
            WriteOptionalString(writer, "benchmark", diagnostic.BenchmarkId);
            WriteLocation(writer, diagnostic.File, diagnostic.Line, diagnostic.Column);
            writer.WriteString("helpLink", diagnostic.HelpLink);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("historyRuns", context.History.Count);
        writer.WriteEndObject();
    }

    private static void WriteVerdict(Utf8JsonWriter writer, ReportContext context, BenchmarkVerdict verdict)
    {
        writer.WriteStartObject();
        writer.WriteString("id", verdict.Id);
        var measurement = ReportFormat.Measurement(context.Run, verdict.Id);
        if (measurement is not null)
        {
            writer.WriteString("type", measurement.QualifiedType);
            writer.WriteString("method", measurement.Method);
            WriteOptionalString(writer, "parameters", string.IsNullOrEmpty(measurement.Parameters) ? null : measurement.Parameters);
        }

        writer.WriteString("outcome", Camel(verdict.Outcome.ToString()));
        writer.WriteString("severity", verdict.Severity.ToString());
        writer.WriteBoolean("failsBuild", verdict.FailsBuild);
        WriteOptionalString(writer, "why", string.IsNullOrEmpty(verdict.Decision.Why) ? null : verdict.Decision.Why);
        writer.WriteString("verdict", ReportFormat.Verdict(verdict));
        writer.WriteStableNumber("baselineNs", verdict.BaselineNanoseconds);
        writer.WriteStableNumber("currentNs", verdict.CurrentNanoseconds);
        writer.WriteStableNumber("ratio", ReportFormat.Ratio(verdict));
        if (verdict.Time is { } time)
        {
            writer.WriteStartObject("time");
            writer.WriteString("outcome", Camel(time.Outcome.ToString()));
            writer.WriteStableNumber("ratio", time.Ratio);
            writer.WriteStableNumber("ratioLower", time.RatioLower);
            writer.WriteStableNumber("ratioUpper", time.RatioUpper);
            writer.WriteStableNumber("confidence", time.Confidence);
            writer.WriteStableNumber("minimumDetectableEffect", time.MinimumDetectableEffect);
            WriteOptionalString(writer, "basis", string.IsNullOrEmpty(time.Basis) ? null : time.Basis);
            WriteOptionalString(writer, "method", string.IsNullOrEmpty(time.Method) ? null : time.Method);
            WriteOptionalString(writer, "reason", time.Reason);
            writer.WriteEndObject();
        }

        writer.WriteStableNumber("baselineAllocatedBytes", verdict.BaselineAllocatedBytes);
        writer.WriteStableNumber("currentAllocatedBytes", verdict.CurrentAllocatedBytes);
        if (verdict.Allocation is { } allocation)
        {
            writer.WriteStartObject("allocation");
            writer.WriteBoolean("regressed", allocation.Regressed);
            writer.WriteBoolean("improved", allocation.Improved);
            writer.WriteStableNumber("deltaBytes", allocation.Delta);
            writer.WriteString("severity", allocation.Severity.ToString());
            writer.WriteEndObject();
        }

        writer.WriteStableNumber("gen0PerThousandOps", verdict.Gen0PerThousandOps);
        writer.WriteStableNumber("gen1PerThousandOps", verdict.Gen1PerThousandOps);
        writer.WriteStableNumber("gen2PerThousandOps", verdict.Gen2PerThousandOps);
        writer.WriteStableNumber("coresUsed", measurement?.CoresUsed);
        writer.WriteStableNumber("baselineCoresUsed", context.Baseline is { } baseline && baseline.Benchmarks.TryGetValue(verdict.Id, out var entry) ? entry.Measurement.CoresUsed : null);
        writer.WriteStableNumber("otherLoadCores", measurement?.OtherLoadCores);
        if (context.Result.CoreShortages.ContainsKey(verdict.Id))
        {
            writer.WriteBoolean("lackedCores", true);
        }

        writer.WriteNumber("baselineLaunches", verdict.BaselineLaunches);
        writer.WriteNumber("currentLaunches", verdict.CurrentLaunches);
        if (!verdict.Unit.IsLaunch)
        {
            // "baselineLaunches"/"currentLaunches" keep their names; here they count the in-process runner's units.
            writer.WriteString("measuringUnit", verdict.Unit.Name);
        }

        WriteOptionalString(writer, "detail", verdict.Detail);
        if (ReportFormat.Location(context.Result, verdict.Id) is { } location)
        {
            WriteLocation(writer, location.File, location.Line, location.Column);
        }

        writer.WriteEndObject();
    }

    /// <summary>How busy the machine was: the median over this run's launches of the cores other processes kept busy
    /// (and the baseline's), the machine's cores, and the benchmarks that lacked cores (LPG0225). Left out when
    /// nothing was measured (results from before the SDK's CPU diagnoser, or not on Linux).</summary>
    private static void WriteMachineLoad(Utf8JsonWriter writer, ReportContext context)
    {
        var other = CpuContention.MedianOtherLoad(context.Run.Benchmarks);
        if (other is null && context.Result.CoreShortages.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("machineLoad");
        writer.WriteNumber("logicalCores", context.Run.Environment.LogicalCores);
        writer.WriteStableNumber("otherLoadCores", other);
        writer.WriteStableNumber("baselineOtherLoadCores", context.Baseline is { } baseline ? CpuContention.MedianOtherLoad(baseline.Benchmarks.Values.Select(e => e.Measurement)) : null);
        writer.WriteStartArray("lackedCores");
        foreach (var id in context.Result.CoreShortages.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter writer, string? file, int line, int column)
    {
        if (file is null)
        {
            return;
        }

        writer.WriteStartObject("location");
        writer.WriteString("file", file);
        if (line > 0)
        {
            writer.WriteNumber("line", line);
            writer.WriteNumber("column", Math.Max(1, column));
        }

        writer.WriteEndObject();
    }

    private static void WriteCommit(Utf8JsonWriter writer, string name, Vcs.CommitInfo? commit)
    {
        if (commit is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("commit", commit.Sha);
        writer.WriteString("shortCommit", commit.ShortSha);
        writer.WriteString("subject", commit.Subject);
        writer.WriteBoolean("modified", commit.Modified);
        writer.WriteEndObject();
    }

    internal static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    /// <summary>The machine-state shift finding (LPG0107): null when the suite is too small for a suite-wide estimate
    /// (fewer than 5 compared benchmarks); otherwise whether it was detected, the suite's ratio with its interval and
    /// sign test, how many benchmarks moved which way, and the boundary.</summary>
    private static void WriteMachineShift(Utf8JsonWriter writer, GateResult result)
    {
        if (result.SuiteDrift is not { } drift)
        {
            writer.WriteNull("machineShift");
            return;
        }

        var shift = result.MachineShift;
        writer.WriteStartObject("machineShift");
        writer.WriteBoolean("detected", shift is not null);
        writer.WriteStableNumber("boundary", shift?.BoundaryRatio ?? MachineShift.BoundaryRatio);
        writer.WriteStableNumber("suiteRatio", drift.Ratio);
        writer.WriteStableNumber("suiteRatioLower", drift.RatioLower);
        writer.WriteStableNumber("suiteRatioUpper", drift.RatioUpper);
        writer.WriteStableNumber("signTestP", drift.PValue);
        writer.WriteNumber("benchmarks", drift.Benchmarks);
        writer.WriteNumber("slower", drift.Slower);
        writer.WriteNumber("faster", drift.Faster);
        if (shift is not null)
        {
            writer.WriteStableNumber("levelRatio", shift.Ratio);
            writer.WriteStableNumber("dispersion", shift.Dispersion);
            writer.WriteNumber("explained", shift.Explained);
            writer.WriteNumber("beyondSuite", shift.BeyondSuite);
        }

        writer.WriteEndObject();
    }

    private static void WriteOptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

}
