using Lyra.Core;

namespace Lyra.Core.Tests;

public class ParserTests
{
    private readonly SymbolTable _table = new();
    private readonly Parser _parser;

    public ParserTests() => _parser = new Parser(_table);

    [Theory]
    [InlineData("Plus[x, Times[2, y]]", "Plus[x, Times[2, y]]")]
    [InlineData("x + 2*y", "Plus[x, Times[2, y]]")]
    [InlineData("a + b + c", "Plus[a, b, c]")]
    [InlineData("a - b", "Plus[a, Times[-1, b]]")]
    [InlineData("a / b", "Times[a, Power[b, -1]]")]
    [InlineData("-x^2", "Times[-1, Power[x, 2]]")]
    [InlineData("2^3^2", "Power[2, Power[3, 2]]")]
    [InlineData("(a + b) * c", "Times[Plus[a, b], c]")]
    [InlineData("{1, 2.5, -3}", "List[1, 2.5, -3]")]
    [InlineData("f[]", "f[]")]
    [InlineData("Sin[x]^2 + Cos[x]^2", "Plus[Power[Sin[x], 2], Power[Cos[x], 2]]")]
    [InlineData("1e3 + 2.5E-1", "Plus[1000.0, 0.25]")]
    [InlineData("f[x_] -> g[x]", "Rule[f[Pattern[x, Blank[]]], g[x]]")]
    public void Parses_to_full_form(string source, string fullForm) => Assert.Equal(fullForm, _parser.Parse(source).ToString());

    [Theory]
    [InlineData("x_", "Pattern[x, Blank[]]")]
    [InlineData("x__", "Pattern[x, BlankSequence[]]")]
    [InlineData("n_Integer", "Pattern[n, Blank[Integer]]")]
    [InlineData("_", "Blank[]")]
    [InlineData("__Real", "BlankSequence[Real]")]
    [InlineData("f[x _]", null)]
    public void Parses_patterns(string source, string? fullForm)
    {
        if (fullForm is null)
        {
            Assert.Throws<ParseException>(() => _parser.Parse(source));
            return;
        }

        Assert.Equal(fullForm, _parser.Parse(source).ToString());
    }

    [Fact]
    public void Full_form_round_trips()
    {
        Value value = _parser.Parse("f[x, 1.5, g[y, -2], {a, b}] + h[z]^3");
        Assert.Equal(value, _parser.Parse(value.ToString()));
    }

    [Fact]
    public void Identifiers_are_interned()
    {
        Value a = _parser.Parse("foo + 1");
        Value b = _parser.Parse("foo * 2");
        Assert.Same(a.AsExpr[0].AsSymbol, b.AsExpr[0].AsSymbol);
        Assert.Same(_table.Intern("foo"), a.AsExpr[0].AsSymbol);
    }

    [Theory]
    [InlineData("f[x")]
    [InlineData("1 +")]
    [InlineData("f[x] ]")]
    [InlineData("2[x]")]
    [InlineData("x # y")]
    [InlineData("")]
    public void Rejects_malformed_source(string source)
    {
        ParseException error = Assert.Throws<ParseException>(() => _parser.Parse(source));
        Assert.True(error.Position >= 0);
    }
}
