using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Json.Schema;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>
/// Validates a report against docs/perf-report.schema.json with JsonSchema.Net (draft 2020-12), one line per failed
/// keyword: "instance location: keyword: message (value)". The value is named so a test can see what was rejected.
/// </summary>
internal static class SchemaValidator
{
    private static readonly Dictionary<string, JsonSchema> Built = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Validate(JsonElement schemaRoot, JsonElement instance)
    {
        var schema = Build(schemaRoot.GetRawText());
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return Array.Empty<string>();
        }

        var errors = new List<string>();
        foreach (var detail in new[] { results }.Concat(results.Details ?? Enumerable.Empty<EvaluationResults>()))
        {
            if (detail.IsValid || detail.Errors is null)
            {
                continue;
            }

            var location = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
            {
                errors.Add($"{(location.Length == 0 ? "$" : location)}: {keyword}: {message} ({ValueAt(instance, location)})");
            }
        }

        return errors.Count > 0 ? errors : new[] { "invalid (no error details)" };
    }

    // A schema with an $id is registered once per build registry; building the same text once keeps repeated calls valid.
    private static JsonSchema Build(string text)
    {
        lock (Built)
        {
            if (!Built.TryGetValue(text, out var schema))
            {
                schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
                Built[text] = schema;
            }

            return schema;
        }
    }

    private static string ValueAt(JsonElement instance, string pointer)
    {
        var current = instance;
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return "value not found";
            }
        }

        var text = current.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
