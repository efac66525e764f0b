using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Lyra.Perf.Engine.Json;

/// <summary>
/// A parsed JSON value that remembers where it stood in its file, so that every complaint about
/// the input can name a line and column (JsonDocument forgets positions). Every reader of our JSON files goes
/// through <see cref="Parse(byte[])"/>: one set of rules for what is JSON (UTF-8, an optional byte-order mark,
/// no duplicate keys, no invalid strings), each violation a <see cref="JsonSyntaxException"/> with a position.
/// </summary>
public sealed class JsonTree
{
    private readonly JsonSource _source;
    private readonly int _offset;

    // A string's text, an object's KeyValuePair<string, JsonTree>[], an array's List<JsonTree>, or for an array
    // of numbers only (a baseline's samples: millions), a NumberArray that makes its items only when asked.
    private object? _payload;
    private readonly double _number;

    private JsonTree(JsonValueKind kind, JsonSource source, int offset, object? payload, double number = double.NaN)
    {
        Kind = kind;
        _source = source;
        _offset = offset;
        _payload = payload;
        _number = number;
    }

    public JsonValueKind Kind { get; }

    /// <summary>1-based line of the value's first character.</summary>
    public int Line => _source.Position(_offset).Line;

    /// <summary>1-based column (in characters, as an editor counts) of the value's first character.</summary>
    public int Column => _source.Position(_offset).Column;

    /// <summary>Line and column together: one position lookup where a caller needs both.</summary>
    public (int Line, int Column) Position => _source.Position(_offset);

    public IReadOnlyList<KeyValuePair<string, JsonTree>> Properties => _payload as KeyValuePair<string, JsonTree>[] ?? Array.Empty<KeyValuePair<string, JsonTree>>();

    public IReadOnlyList<JsonTree> Items
    {
        get
        {
            if (_payload is NumberArray numbers)
            {
                var items = new List<JsonTree>(numbers.Count);
                for (var i = 0; i < numbers.Count; i++)
                {
                    items.Add(new JsonTree(JsonValueKind.Number, _source, numbers.Offsets[i], null, numbers.Values[i]));
                }

                _payload = items;
            }

            return _payload as List<JsonTree> ?? (IReadOnlyList<JsonTree>)Array.Empty<JsonTree>();
        }
    }

    /// <summary>For an array holding only numbers: their values (NaN where not finite) without a node per item;
    /// otherwise null. <see cref="ItemPosition"/> places item i.</summary>
    public IReadOnlyList<double>? Numbers()
    {
        if (_payload is NumberArray numbers)
        {
            return new ArraySegment<double>(numbers.Values, 0, numbers.Count);
        }

        if (Kind == JsonValueKind.Array && Items.Count == 0)
        {
            return Array.Empty<double>();
        }

        return null;
    }

    /// <summary>1-based line and column of the array's item <paramref name="index"/>.</summary>
    public (int Line, int Column) ItemPosition(int index) =>
        _payload is NumberArray numbers ? _source.Position(numbers.Offsets[index]) : (Items[index].Line, Items[index].Column);

    public JsonTree? this[string name]
    {
        get
        {
            if (_payload is not KeyValuePair<string, JsonTree>[] properties)
            {
                return null;
            }

            foreach (var property in properties)
            {
                if (property.Key == name)
                {
                    return property.Value;
                }
            }

            return null;
        }
    }

    public string? AsString() => Kind == JsonValueKind.String ? (string?)_payload : null;

    /// <summary>A number, or null where the value is absent, not a number, or not finite
    /// (BenchmarkDotNet writes undefined numbers as ""; 1e400 is not a double).</summary>
    public double? AsNumber() => Kind == JsonValueKind.Number && !double.IsNaN(_number) && !double.IsInfinity(_number) ? _number : null;

    public bool? AsBoolean() => Kind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Parses <paramref name="utf8"/> (a leading UTF-8 byte-order mark is skipped); any violation becomes a
    /// <see cref="JsonSyntaxException"/> with the position. Linear in the input: positions are computed only when asked.</summary>
    public static JsonTree Parse(byte[] utf8) => Parse(utf8, utf8.Length);

    /// <summary>The JSON in the first <paramref name="length"/> bytes of <paramref name="utf8"/> (a pooled array): the
    /// tree reads positions from the array when asked, so it is valid only while the array is.</summary>
    public static JsonTree Parse(byte[] utf8, int length)
    {
        var source = new JsonSource(utf8, length);
        var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(utf8, source.Start, length - source.Start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 });
        try
        {
            if (!reader.Read())
            {
                throw new JsonSyntaxException("the file is empty", 1, 1);
            }

            var root = ReadValue(ref reader, source);
            if (reader.Read())
            {
                throw source.Error("unexpected content after the end of the document", reader.TokenStartIndex);
            }

            return root;
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader reports a 0-based line and a byte (not character) position in it.
            var (line, column) = source.PositionOfLineByte((int)(ex.LineNumber ?? 0), (int)(ex.BytePositionInLine ?? 0));
            throw new JsonSyntaxException(CleanMessage(ex.Message), line, column);
        }
    }

    public static JsonTree Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    private static JsonTree ReadValue(ref Utf8JsonReader reader, JsonSource source)
    {
        var offset = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                // Gathered on the parse's stack of properties, then kept in an array of the object's size.
                var properties = source.Properties;
                var first = properties.Count;
                HashSet<string>? names = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var nameOffset = (int)reader.TokenStartIndex;
                    var name = ReadString(ref reader, source);
                    if (IsDuplicate(properties, first, ref names, name))
                    {
                        throw source.Error($"the property \"{name}\" appears twice in one object", nameOffset);
                    }

                    reader.Read();
                    properties.Add(new KeyValuePair<string, JsonTree>(name, ReadValue(ref reader, source)));
                }

                var kept = new KeyValuePair<string, JsonTree>[properties.Count - first];
                properties.CopyTo(first, kept, 0, kept.Length);
                properties.RemoveRange(first, kept.Length);
                return new JsonTree(JsonValueKind.Object, source, offset, kept);
            }

            case JsonTokenType.StartArray:
            {
                // An array of numbers only is gathered on the parse's stack of numbers, then kept in arrays of its size.
                var numbers = source.Numbers;
                var first = numbers.Count;
                List<JsonTree>? items = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (items is null && reader.TokenType == JsonTokenType.Number)
                    {
                        numbers.Add((Number(ref reader), (int)reader.TokenStartIndex));
                        continue;
                    }

                    if (items is null)
                    {
                        items = new List<JsonTree>();
                        for (var i = first; i < numbers.Count; i++)
                        {
                            items.Add(new JsonTree(JsonValueKind.Number, source, numbers[i].Offset, null, numbers[i].Value));
                        }

                        numbers.RemoveRange(first, numbers.Count - first);
                    }

                    items.Add(ReadValue(ref reader, source));
                }

                if (items is not null)
                {
                    return new JsonTree(JsonValueKind.Array, source, offset, items);
                }

                var count = numbers.Count - first;
                var kept = count == 0 ? null : new NumberArray(count);
                for (var i = 0; i < count; i++)
                {
                    (kept!.Values[i], kept.Offsets[i]) = numbers[first + i];
                }

                numbers.RemoveRange(first, count);
                return new JsonTree(JsonValueKind.Array, source, offset, kept);
            }

            case JsonTokenType.String:
                return new JsonTree(JsonValueKind.String, source, offset, ReadString(ref reader, source));
            case JsonTokenType.Number:
                return new JsonTree(JsonValueKind.Number, source, offset, null, Number(ref reader));
            case JsonTokenType.True:
                return new JsonTree(JsonValueKind.True, source, offset, null);
            case JsonTokenType.False:
                return new JsonTree(JsonValueKind.False, source, offset, null);
            default:
                return new JsonTree(JsonValueKind.Null, source, offset, null);
        }
    }

    // Not finite (1e400) is kept as NaN: AsNumber says "not a number", the reader then names the position.
    private static double Number(ref Utf8JsonReader reader) => JsonNumbers.Read(ref reader);

    private static string ReadString(ref Utf8JsonReader reader, JsonSource source)
    {
        try
        {
            return source.Text(ref reader);
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader checks a string's UTF-8 and its \u escapes only when asked for the text.
            throw source.Error("a string holds invalid UTF-8 or a lone surrogate escape such as \\ud800", (int)reader.TokenStartIndex);
        }
    }

    /// <summary>Whether <paramref name="name"/> is among the properties from <paramref name="first"/> on (the object's).</summary>
    private static bool IsDuplicate(List<KeyValuePair<string, JsonTree>> properties, int first, ref HashSet<string>? names, string name)
    {
        // Objects are small but for the baseline's benchmark map: scan the few, hash the many.
        if (names is null && properties.Count - first < 16)
        {
            for (var i = first; i < properties.Count; i++)
            {
                if (properties[i].Key == name)
                {
                    return true;
                }
            }

            return false;
        }

        if (names is null)
        {
            names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = first; i < properties.Count; i++)
            {
                names.Add(properties[i].Key);
            }
        }

        return !names.Add(name);
    }

    private static string CleanMessage(string message)
    {
        // Drop the reader's own "LineNumber: … | BytePositionInLine: …" tail: we report the position ourselves.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message.Substring(0, cut) : message).TrimEnd('.', ' ');
    }

    private sealed class NumberArray(int count)
    {
        public readonly double[] Values = new double[count];
        public readonly int[] Offsets = new int[count];

        public int Count => Values.Length;
    }

    /// <summary>The parsed bytes, turning byte offsets into (line, column) on demand. Readers ask in file order, so
    /// the last answer is the starting point of the next: the whole file costs one pass, however long its lines.</summary>
    private sealed class JsonSource
    {
        private readonly byte[] _utf8;
        private readonly int _length;
        private int _cursorOffset;
        private int _cursorLine = 1;
        private int _cursorColumn = 1;

        public JsonSource(byte[] utf8, int length)
        {
            _utf8 = utf8;
            _length = length;
            Start = length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF ? 3 : 0;
            _cursorOffset = Start;
        }

        /// <summary>Where the JSON starts: after a byte-order mark (Windows editors add one).</summary>
        public int Start { get; }

        /// <summary>The properties of the objects being read, innermost last (each object takes its own off the end).</summary>
        public List<KeyValuePair<string, JsonTree>> Properties { get; } = new();

        /// <summary>The numbers of the array of numbers being read, with their offsets (as <see cref="Properties"/>).</summary>
        public List<(double Value, int Offset)> Numbers { get; } = new();

        // Short ASCII strings read before, by a hash of their bytes: a file repeats its property names (and its
        // timestamps and type names) thousands of times, and each is one string instead of one per occurrence.
        private const int ShortString = 64;
        private readonly string?[] _strings = new string?[1024];

        /// <summary>The string at the reader (an earlier equal one where the cache has it).</summary>
        public string Text(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > ShortString)
            {
                return reader.GetString() ?? "";
            }

            var bytes = reader.ValueSpan;
            var hash = 2166136261u;
            foreach (var b in bytes)
            {
                if (b >= 0x80)
                {
                    return reader.GetString() ?? "";
                }

                hash = (hash ^ b) * 16777619u;
            }

            ref var slot = ref _strings[hash & (uint)(_strings.Length - 1)];
            if (slot is { } known && known.Length == bytes.Length && SameAscii(known, bytes))
            {
                return known;
            }

            return slot = reader.GetString() ?? "";
        }

        private static bool SameAscii(string text, ReadOnlySpan<byte> ascii)
        {
            for (var i = 0; i < ascii.Length; i++)
            {
                if (text[i] != ascii[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Offset relative to <see cref="Start"/>, as Utf8JsonReader counts.</summary>
        public (int Line, int Column) Position(int offset)
        {
            lock (this)
            {
                var target = Math.Min(Start + offset, _length);
                if (target < _cursorOffset)
                {
                    // Out of order: restart from the beginning of the target's line.
                    var lineStart = target;
                    while (lineStart > Start && _utf8[lineStart - 1] != (byte)'\n')
                    {
                        lineStart--;
                    }

                    var line = 1;
                    for (var i = Start; i < lineStart; i++)
                    {
                        if (_utf8[i] == (byte)'\n')
                        {
                            line++;
                        }
                    }

                    (_cursorOffset, _cursorLine, _cursorColumn) = (lineStart, line, 1);
                }

                for (var i = _cursorOffset; i < target; i++)
                {
                    var b = _utf8[i];
                    if (b == (byte)'\n')
                    {
                        _cursorLine++;
                        _cursorColumn = 1;
                    }
                    else if ((b & 0xC0) != 0x80)
                    {
                        // A character starts here; a 4-byte sequence is two UTF-16 characters, as editors count.
                        _cursorColumn += b >= 0xF0 ? 2 : 1;
                    }
                }

                _cursorOffset = target;
                return (_cursorLine, _cursorColumn);
            }
        }

        /// <summary>Position of a 0-based line and byte position in it (what JsonException reports).</summary>
        public (int Line, int Column) PositionOfLineByte(int line, int bytePosition)
        {
            var offset = Start;
            for (var seen = 0; seen < line && offset < _length; offset++)
            {
                if (_utf8[offset] == (byte)'\n')
                {
                    seen++;
                }
            }

            return Position(offset - Start + bytePosition);
        }

        public JsonSyntaxException Error(string message, long offset)
        {
            var (line, column) = Position((int)offset);
            return new JsonSyntaxException(message, line, column);
        }
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
