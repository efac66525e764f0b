using System;
using System.Linq;
using System.Text.Json;
using Lyra.Perf.Engine.Json;

namespace Lyra.Perf.Engine.Tests.Json;

public class JsonTreeTests
{
    [Fact]
    public void Remembers_line_and_column_of_every_value()
    {
        var tree = JsonTree.Parse("{\n  \"a\": [1,\n    \"x\"],\n  \"b\": true\n}");

        Assert.Equal((1, 1), (tree.Line, tree.Column));
        Assert.Equal((2, 8), (tree["a"]!.Line, tree["a"]!.Column));
        Assert.Equal((3, 5), (tree["a"]!.Items[1].Line, tree["a"]!.Items[1].Column));
        Assert.Equal(true, tree["b"]!.AsBoolean());
        Assert.Null(tree["missing"]);
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        var tree = JsonTree.Parse("{ \"µµ\": 1, \"b\": 2 }");

        Assert.Equal(17, tree["b"]!.Column);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"12\"")]
    [InlineData("null")]
    public void Numbers_written_as_strings_or_null_are_not_numbers(string json) =>
        Assert.Null(JsonTree.Parse(json).AsNumber());

    [Theory]
    [InlineData("{ \"a\": 1 } x", 1, 12)]
    [InlineData("{ \"a\": }", 1, 8)]
    [InlineData("", 1, 1)]
    [InlineData("{\n\n  \"a\": tru }", 3, 11)] // the reader stops after the bad literal
    public void Syntax_errors_carry_one_based_positions(string json, int line, int column)
    {
        var ex = Assert.Throws<JsonSyntaxException>(() => JsonTree.Parse(json));

        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.DoesNotContain("LineNumber", ex.Message);
    }

    [Fact]
    public void Kinds_are_reported()
    {
        var tree = JsonTree.Parse("[1, \"s\", false, null, {}]");

        Assert.Equal(new[] { JsonValueKind.Number, JsonValueKind.String, JsonValueKind.False, JsonValueKind.Null, JsonValueKind.Object }, System.Linq.Enumerable.Select(tree.Items, i => i.Kind));
    }

    [Fact]
    public void Nested_objects_and_arrays_keep_their_own_members_and_numbers()
    {
        var json = "{\"a\": {\"x\": 1, \"y\": {\"z\": [1, 2]}, \"w\": 3}, \"b\": [1, 2, [3, 4], 5, [], [6]], \"c\": []}";
        var tree = JsonTree.Parse(json);

        Assert.Equal(new[] { "a", "b", "c" }, tree.Properties.Select(p => p.Key));
        Assert.Equal(new[] { "x", "y", "w" }, tree["a"]!.Properties.Select(p => p.Key));
        Assert.Equal(new[] { 1.0, 2 }, tree["a"]!["y"]!["z"]!.Numbers());
        Assert.Equal(3, tree["a"]!["w"]!.AsNumber());

        // Numbers, then an array: every item is a node, in order, and the inner arrays have only their own.
        var b = tree["b"]!;
        Assert.Null(b.Numbers());
        Assert.Equal(6, b.Items.Count);
        Assert.Equal(new double?[] { 1, 2, null, 5, null, null }, b.Items.Select(i => i.AsNumber()));
        Assert.Equal(new[] { 3.0, 4 }, b.Items[2].Numbers());
        Assert.Empty(b.Items[4].Numbers()!);
        Assert.Equal(new[] { 6.0 }, b.Items[5].Numbers());
        Assert.Equal((1, json.IndexOf("[6]", StringComparison.Ordinal) + 2), b.Items[5].ItemPosition(0));
        Assert.Empty(tree["c"]!.Numbers()!);
    }

    [Fact]
    public void Equal_short_strings_are_one_string_and_different_ones_never_mixed_up()
    {
        // Enough distinct short strings that many share a slot of the parse's string cache.
        var texts = Enumerable.Range(0, 5000).Select(i => "name" + i).ToList();
        var json = "[" + string.Join(",", texts.Select(t => $"{{\"{t}\": \"{t}\", \"kind\": \"same\"}}")) + ", {\"caf\u00e9\": \"caf\u00e9\", \"ü\": \"ü\"}]";
        var items = JsonTree.Parse(json).Items;

        for (var i = 0; i < texts.Count; i++)
        {
            var property = Assert.Single(items[i].Properties, p => p.Key != "kind");
            Assert.Equal(texts[i], property.Key);
            Assert.Equal(texts[i], property.Value.AsString());
        }

        var repeated = JsonTree.Parse("[{\"kind\": \"same\"}, {\"kind\": \"same\"}]").Items;
        Assert.Same(repeated[0].Properties[0].Key, repeated[1].Properties[0].Key);
        Assert.Same(repeated[0]["kind"]!.AsString(), repeated[1]["kind"]!.AsString());
        Assert.Equal(new[] { "café", "ü" }, items[5000].Properties.Select(p => p.Key));
        Assert.Equal("café", items[5000]["café"]!.AsString());
    }

    [Fact]
    public void A_document_in_the_front_of_a_larger_array_is_read_alone_with_its_positions()
    {
        var document = System.Text.Encoding.UTF8.GetBytes("{\n  \"a\": [1, 2]\n}");
        var pooled = document.Concat(System.Text.Encoding.UTF8.GetBytes("\n{\"left\": \"over\"}")).ToArray();

        var tree = JsonTree.Parse(pooled, document.Length);
        Assert.Equal(new[] { "a" }, tree.Properties.Select(p => p.Key));
        Assert.Equal((2, 9), tree["a"]!.ItemPosition(0));
        Assert.Throws<JsonSyntaxException>(() => JsonTree.Parse(pooled));
    }
}
