using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lyra.Perf.Engine.Json;

/// <summary>
/// A parsed JSON value that remembers where it stood in its file, so that every complaint about
/// the input can name a line and column (JsonDocument forgets positions).
/// </summary>
public sealed class JsonTree
{
    private readonly List<KeyValuePair<string, JsonTree>>? _properties;
    private readonly List<JsonTree>? _items;
    private readonly string? _text;

    private JsonTree(JsonValueKind kind, int line, int column, string? text, List<KeyValuePair<string, JsonTree>>? properties, List<JsonTree>? items)
    {
        Kind = kind;
        Line = line;
        Column = column;
        _text = text;
        _properties = properties;
        _items = items;
    }

    public JsonValueKind Kind { get; }

    /// <summary>1-based line of the value's first character.</summary>
    public int Line { get; }

    /// <summary>1-based column of the value's first character.</summary>
    public int Column { get; }

    public IReadOnlyList<KeyValuePair<string, JsonTree>> Properties => _properties ?? (IReadOnlyList<KeyValuePair<string, JsonTree>>)Array.Empty<KeyValuePair<string, JsonTree>>();

    public IReadOnlyList<JsonTree> Items => _items ?? (IReadOnlyList<JsonTree>)Array.Empty<JsonTree>();

    public JsonTree? this[string name]
    {
        get
        {
            if (_properties is null)
            {
                return null;
            }

            foreach (var property in _properties)
            {
                if (property.Key == name)
                {
                    return property.Value;
                }
            }

            return null;
        }
    }

    public string? AsString() => Kind == JsonValueKind.String ? _text : null;

    /// <summary>A number, or null where the value is absent, not a number, or not finite
    /// (BenchmarkDotNet writes undefined numbers as "").</summary>
    public double? AsNumber()
    {
        if (Kind == JsonValueKind.Number && double.TryParse(_text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value) && !double.IsInfinity(value))
        {
            return value;
        }

        return null;
    }

    public bool? AsBoolean() => Kind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Parses <paramref name="utf8"/>; a syntax error becomes a <see cref="JsonSyntaxException"/> with the position.</summary>
    public static JsonTree Parse(byte[] utf8)
    {
        var lineStarts = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 });
        try
        {
            if (!reader.Read())
            {
                throw new JsonSyntaxException("the file is empty", 1, 1);
            }

            var root = ReadValue(ref reader, utf8, lineStarts);
            if (reader.Read())
            {
                var (line, column) = Position(utf8, lineStarts, reader.TokenStartIndex);
                throw new JsonSyntaxException("unexpected content after the end of the document", line, column);
            }

            return root;
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader reports 0-based line and byte position.
            throw new JsonSyntaxException(CleanMessage(ex.Message), (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1);
        }
    }

    public static JsonTree Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    private static JsonTree ReadValue(ref Utf8JsonReader reader, byte[] utf8, List<int> lineStarts)
    {
        var (line, column) = Position(utf8, lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var properties = new List<KeyValuePair<string, JsonTree>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString() ?? "";
                    reader.Read();
                    properties.Add(new KeyValuePair<string, JsonTree>(name, ReadValue(ref reader, utf8, lineStarts)));
                }

                return new JsonTree(JsonValueKind.Object, line, column, null, properties, null);
            }

            case JsonTokenType.StartArray:
            {
                var items = new List<JsonTree>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lineStarts));
                }

                return new JsonTree(JsonValueKind.Array, line, column, null, null, items);
            }

            case JsonTokenType.String:
                return new JsonTree(JsonValueKind.String, line, column, reader.GetString(), null, null);
            case JsonTokenType.Number:
                return new JsonTree(JsonValueKind.Number, line, column, Encoding.UTF8.GetString(reader.ValueSpan.ToArray()), null, null);
            case JsonTokenType.True:
                return new JsonTree(JsonValueKind.True, line, column, null, null, null);
            case JsonTokenType.False:
                return new JsonTree(JsonValueKind.False, line, column, null, null, null);
            default:
                return new JsonTree(JsonValueKind.Null, line, column, null, null, null);
        }
    }

    private static List<int> LineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Position(byte[] utf8, List<int> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch((int)offset);
        var line = index >= 0 ? index : ~index - 1;
        var start = lineStarts[line];

        // Count characters, not bytes, so a column matches what an editor shows.
        var column = Encoding.UTF8.GetCharCount(utf8, start, (int)offset - start);
        return (line + 1, column + 1);
    }

    private static string CleanMessage(string message)
    {
        // Drop the reader's own "LineNumber: … | BytePositionInLine: …" tail: we report the position ourselves.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message.Substring(0, cut) : message).TrimEnd('.', ' ');
    }
}

public sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message, int line, int column)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }
}
