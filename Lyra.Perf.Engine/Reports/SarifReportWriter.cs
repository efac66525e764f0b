using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Diagnostics;

namespace Lyra.Perf.Engine.Reports;

/// <summary>perf-report.sarif: SARIF 2.1.0 for code-scanning UIs. One rule per LPG code (id, name, descriptions, help link),
/// one result per warning or error diagnostic, located at the benchmark's source or its baseline entry.</summary>
public static class SarifReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public const string SourceRootId = "SRCROOT";

    public static string Write(ReportContext context)
    {
        var rules = Rules();
        var ruleIndex = rules.Select((rule, index) => (rule.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        var root = NormalizedRoot(context.SourceRoot);

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUri);
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();

            writer.WriteStartObject("tool");
            writer.WriteStartObject("driver");
            writer.WriteString("name", "Lyra.Perf");
            writer.WriteString("informationUri", DiagnosticCodes.DocumentationUrl);
            if (context.ToolVersion is not null)
            {
                writer.WriteString("version", context.ToolVersion);
                writer.WriteString("semanticVersion", context.ToolVersion);
            }

            writer.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                writer.WriteStartObject();
                writer.WriteString("id", rule.Id);
                writer.WriteString("name", rule.Name);
                writer.WriteStartObject("shortDescription");
                writer.WriteString("text", rule.Title);
                writer.WriteEndObject();
                writer.WriteStartObject("fullDescription");
                writer.WriteString("text", $"{rule.Id}: {rule.Title}. See {DiagnosticCodes.HelpLink(rule.Id)} for the cause and the fix.");
                writer.WriteEndObject();
                writer.WriteString("helpUri", DiagnosticCodes.HelpLink(rule.Id));
                writer.WriteStartObject("help");
                writer.WriteString("text", $"See {DiagnosticCodes.HelpLink(rule.Id)}");
                writer.WriteEndObject();
                writer.WriteStartObject("defaultConfiguration");
                writer.WriteString("level", rule.DefaultLevel);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();

            if (root is not null)
            {
                writer.WriteStartObject("originalUriBaseIds");
                writer.WriteStartObject(SourceRootId);
                writer.WriteString("uri", new Uri(root).AbsoluteUri);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteStartArray("results");
            foreach (var diagnostic in context.Result.Diagnostics)
            {
                writer.WriteStartObject();
                writer.WriteString("ruleId", diagnostic.Code);
                if (ruleIndex.TryGetValue(diagnostic.Code, out var index))
                {
                    writer.WriteNumber("ruleIndex", index);
                }

                writer.WriteString("level", Level(diagnostic.Level));
                writer.WriteStartObject("message");
                writer.WriteString("text", diagnostic.Message);
                writer.WriteEndObject();
                if (diagnostic.File is not null)
                {
                    writer.WriteStartArray("locations");
                    writer.WriteStartObject();
                    writer.WriteStartObject("physicalLocation");
                    writer.WriteStartObject("artifactLocation");
                    var (uri, baseId) = ArtifactUri(diagnostic.File, root);
                    writer.WriteString("uri", uri);
                    if (baseId is not null)
                    {
                        writer.WriteString("uriBaseId", baseId);
                    }

                    writer.WriteEndObject();
                    if (diagnostic.Line > 0)
                    {
                        writer.WriteStartObject("region");
                        writer.WriteNumber("startLine", diagnostic.Line);
                        writer.WriteNumber("startColumn", Math.Max(1, diagnostic.Column));
                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                }

                if (diagnostic.BenchmarkId is not null)
                {
                    // Stable across runs so code-scanning tracks one alert per benchmark and code.
                    writer.WriteStartObject("partialFingerprints");
                    writer.WriteString("lyraPerfBenchmark/v1", diagnostic.Code + ":" + diagnostic.BenchmarkId);
                    writer.WriteEndObject();
                    writer.WriteStartObject("properties");
                    writer.WriteString("benchmark", diagnostic.BenchmarkId);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteStartArray("invocations");
            writer.WriteStartObject();
            writer.WriteBoolean("executionSuccessful", true);
            writer.WriteString("endTimeUtc", JsonReportWriter.Timestamp(context.Time));
            writer.WriteEndObject();
            writer.WriteEndArray();

            if (context.Commit is not null)
            {
                writer.WriteStartObject("properties");
                writer.WriteString("commit", context.Commit);
                writer.WriteString("project", context.ProjectName);
                if (context.AbSides is { } ab)
                {
                    writer.WriteString("comparison", ab.Describe());
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
    }

    /// <summary>SARIF levels: error, warning, note.</summary>
    public static string Level(DiagnosticLevel level) => level switch
    {
        DiagnosticLevel.Error => "error",
        DiagnosticLevel.Warning => "warning",
        _ => "note",
    };

    internal sealed record Rule(string Id, string Name, string Title, string DefaultLevel);

    /// <summary>Every shipped code, ordered by id; the name is the constant's name in <see cref="DiagnosticCodes"/>.</summary>
    internal static IReadOnlyList<Rule> Rules()
    {
        var names = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (Name: f.Name, Code: (string)f.GetRawConstantValue()!))
            .Where(p => p.Code.StartsWith("LPG", StringComparison.Ordinal))
            .GroupBy(p => p.Code)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var codes = new SortedSet<string>(names.Keys.Concat(DiagnosticCodes.Titles.Keys), StringComparer.Ordinal);
        return codes.Select(code => new Rule(
            code,
            names.TryGetValue(code, out var name) ? name : code,
            DiagnosticCodes.Titles.TryGetValue(code, out var title) ? title : code,
            code.StartsWith("LPG01", StringComparison.Ordinal) || code.StartsWith("LPG03", StringComparison.Ordinal) ? "error" : "warning")).ToList();
    }

    private static string? NormalizedRoot(string? sourceRoot)
    {
        if (string.IsNullOrEmpty(sourceRoot))
        {
            return null;
        }

        var full = Path.GetFullPath(sourceRoot);
        return full.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) || full.EndsWith("/", StringComparison.Ordinal) ? full : full + Path.DirectorySeparatorChar;
    }

    private static (string Uri, string? BaseId) ArtifactUri(string file, string? root)
    {
        string full;
        try
        {
            full = Path.GetFullPath(file);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return (file.Replace('\\', '/'), null);
        }

        if (root is not null && full.StartsWith(root, StringComparison.OrdinalIgnoreCase))
        {
            var relative = full.Substring(root.Length).Replace('\\', '/');
            return (string.Join("/", relative.Split('/').Select(Uri.EscapeDataString)), SourceRootId);
        }

        return (new Uri(full).AbsoluteUri, null);
    }
}
