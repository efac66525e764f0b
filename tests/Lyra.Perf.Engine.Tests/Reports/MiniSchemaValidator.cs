using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>
/// A small JSON Schema (2020-12) validator for the subset docs/perf-report.schema.json uses: type, required,
/// properties, additionalProperties, items, enum, const, minimum, maximum, pattern, $ref to #/$defs/…, plus
/// annotations. Any other keyword fails validation, so the schema cannot silently outgrow what is checked here.
/// </summary>
internal static class MiniSchemaValidator
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "$id", "$defs", "title", "description", "format" };

    public static IReadOnlyList<string> Validate(JsonElement schemaRoot, JsonElement instance)
    {
        var errors = new List<string>();
        Check(schemaRoot, schemaRoot, instance, "$", errors);
        return errors;
    }

    private static void Check(JsonElement root, JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            switch (keyword.Name)
            {
                case "$ref":
                {
                    var reference = keyword.Value.GetString()!;
                    if (!reference.StartsWith("#/$defs/", StringComparison.Ordinal))
                    {
                        errors.Add($"{path}: unsupported $ref {reference}");
                        break;
                    }

                    Check(root, root.GetProperty("$defs").GetProperty(reference.Substring("#/$defs/".Length)), value, path, errors);
                    break;
                }

                case "type":
                {
                    var types = keyword.Value.ValueKind == JsonValueKind.Array ? keyword.Value.EnumerateArray().Select(t => t.GetString()!).ToList() : new List<string> { keyword.Value.GetString()! };
                    if (!types.Any(t => IsType(value, t)))
                    {
                        errors.Add($"{path}: expected {string.Join("|", types)}, found {value.ValueKind}");
                    }

                    break;
                }

                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in keyword.Value.EnumerateArray().Select(n => n.GetString()!))
                        {
                            if (!value.TryGetProperty(name, out _))
                            {
                                errors.Add($"{path}: missing required '{name}'");
                            }
                        }
                    }

                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in value.EnumerateObject())
                        {
                            if (keyword.Value.TryGetProperty(property.Name, out var propertySchema))
                            {
                                Check(root, propertySchema, property.Value, path + "." + property.Name, errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
                        foreach (var property in value.EnumerateObject().Where(p => !declared.Contains(p.Name)))
                        {
                            Check(root, keyword.Value, property.Value, path + "." + property.Name, errors);
                        }
                    }

                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        var index = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Check(root, keyword.Value, item, $"{path}[{index++}]", errors);
                        }
                    }

                    break;
                case "enum":
                    if (!keyword.Value.EnumerateArray().Any(option => JsonElement.DeepEquals(option, value)))
                    {
                        errors.Add($"{path}: {value} is not one of {keyword.Value}");
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(keyword.Value, value))
                    {
                        errors.Add($"{path}: expected {keyword.Value}, found {value}");
                    }

                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() < keyword.Value.GetDouble())
                    {
                        errors.Add($"{path}: {value} < minimum {keyword.Value}");
                    }

                    break;
                case "maximum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() > keyword.Value.GetDouble())
                    {
                        errors.Add($"{path}: {value} > maximum {keyword.Value}");
                    }

                    break;
                case "pattern":
                    if (value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, keyword.Value.GetString()!))
                    {
                        errors.Add($"{path}: '{value.GetString()}' does not match {keyword.Value.GetString()}");
                    }

                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        errors.Add($"{path}: schema keyword '{keyword.Name}' is not supported by this validator");
                    }

                    break;
            }
        }
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && Math.Abs(value.GetDouble() % 1) < 1e-12,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };
}
