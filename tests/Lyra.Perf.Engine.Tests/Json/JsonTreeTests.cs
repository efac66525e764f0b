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
}
