using System;
using Lyra.Core;
using Lyra.Core.Patterns;

namespace Lyra.Core.Tests;

public class PatternTests
{
    private readonly SymbolTable _table = new();
    private readonly Parser _parser;

    public PatternTests() => _parser = new Parser(_table);

    private Symbol S(string name) => _table.Intern(name);

    private bool Match(string pattern, string subject, out Bindings bindings)
    {
        bindings = new Bindings();
        return PatternMatcher.Match(_parser.Parse(pattern), _parser.Parse(subject), bindings);
    }

    [Fact]
    public void Blank_binds_one_value()
    {
        Assert.True(Match("f[x_, 2]", "f[g[y], 2]", out Bindings b));
        Assert.Equal(1, b.Count);
        Assert.Equal(_parser.Parse("g[y]"), b[S("x")]);
    }

    [Theory]
    [InlineData("f[x_, x_]", "f[1, 1]", true)]
    [InlineData("f[x_, x_]", "f[1, 2]", false)]
    [InlineData("f[_, _]", "f[1, 2]", true)]
    [InlineData("f[n_Integer]", "f[3]", true)]
    [InlineData("f[n_Integer]", "f[3.0]", false)]
    [InlineData("f[r_Real]", "f[3.0]", true)]
    [InlineData("f[s_Symbol]", "f[a]", true)]
    [InlineData("f[s_Symbol]", "f[g[a]]", false)]
    [InlineData("f[e_g]", "f[g[a]]", true)]
    [InlineData("f[x_]", "g[1]", false)]
    [InlineData("f[x_]", "f[1, 2]", false)]
    [InlineData("f[1, x_]", "f[2, 3]", false)]
    [InlineData("f[__]", "f[]", false)]
    [InlineData("f[a__, b_]", "f[1]", false)]
    [InlineData("f[x__Integer]", "f[1, 2, 3]", true)]
    [InlineData("f[x__Integer]", "f[1, y, 3]", false)]
    [InlineData("x_", "anything[at, all]", true)]
    public void Matches(string pattern, string subject, bool expected) => Assert.Equal(expected, Match(pattern, subject, out _));

    [Fact]
    public void Sequence_blank_binds_a_slice_shortest_first()
    {
        Assert.True(Match("f[a__, b__]", "f[1, 2, 3]", out Bindings bindings));
        Assert.True(bindings.TryGetValues(S("a"), out ReadOnlySpan<Value> a, out bool isSequence));
        Assert.True(isSequence);
        Assert.Equal(new Value[] { 1L }, a.ToArray());
        bindings.TryGetValues(S("b"), out ReadOnlySpan<Value> rest, out _);
        Assert.Equal(new Value[] { 2L, 3L }, rest.ToArray());
    }

    [Fact]
    public void Sequence_blank_backtracks_to_satisfy_later_arguments()
    {
        Assert.True(Match("f[a__, 9, z_]", "f[1, 2, 9, 4]", out Bindings bindings));
        bindings.TryGetValues(S("a"), out ReadOnlySpan<Value> a, out _);
        Assert.Equal(new Value[] { 1L, 2L }, a.ToArray());
        Assert.Equal(Value.FromInteger(4), bindings[S("z")]);
    }

    [Fact]
    public void Repeated_sequence_name_must_repeat_the_slice()
    {
        Assert.True(Match("f[a__, a__]", "f[1, 2, 1, 2]", out _));
        Assert.False(Match("f[a__, a__]", "f[1, 2, 2, 1]", out _));
    }

    [Fact]
    public void Failed_match_leaves_bindings_untouched()
    {
        var bindings = new Bindings();
        Assert.True(PatternMatcher.Match(_parser.Parse("y_"), 5L, bindings));
        Assert.False(PatternMatcher.Match(_parser.Parse("f[x_, 2]"), _parser.Parse("f[1, 3]"), bindings));
        Assert.Equal(1, bindings.Count);
        Assert.Equal(S("y"), bindings.NameAt(0));
    }

    [Fact]
    public void IsPattern_finds_blanks()
    {
        Assert.True(PatternMatcher.IsPattern(_parser.Parse("f[g[x_]]")));
        Assert.False(PatternMatcher.IsPattern(_parser.Parse("f[g[x]]")));
    }

    [Fact]
    public void Rules_rewrite_with_sequences_spliced()
    {
        var rewriter = new Rewriter(_table, new Evaluator(_table));
        RuleSet rules = RuleSet.Parse(_parser, "f[x_, rest__] -> g[rest, x]", "h[n_Integer] -> n + 1");
        Assert.Equal("g[2, 3, 1]", rewriter.ReplaceAll(_parser.Parse("f[1, 2, 3]"), rules).ToString());
        Assert.Equal("k[5, h[y]]", rewriter.ReplaceAll(_parser.Parse("k[h[4], h[y]]"), rules).ToString());
    }

    [Fact]
    public void Earlier_rules_win_even_across_the_head_index()
    {
        var rewriter = new Rewriter(_table);
        RuleSet rules = RuleSet.Parse(_parser, "x_ -> first", "f[y_] -> second");
        Assert.Equal("first", rewriter.ReplaceAll(_parser.Parse("f[1]"), rules).ToString());
        rules = RuleSet.Parse(_parser, "f[y_] -> second", "x_ -> first");
        Assert.Equal("second", rewriter.ReplaceAll(_parser.Parse("f[1]"), rules).ToString());
    }

    [Fact]
    public void ReplaceRepeated_reaches_a_fixed_point()
    {
        var rewriter = new Rewriter(_table, new Evaluator(_table));
        RuleSet rules = RuleSet.Parse(_parser, "fib[0] -> 0", "fib[1] -> 1", "fib[n_Integer] -> fib[n - 1] + fib[n - 2]");
        Assert.Equal("55", rewriter.ReplaceRepeated(_parser.Parse("fib[10]"), rules).ToString());
        RuleSet loop = RuleSet.Parse(_parser, "a -> b", "b -> a");
        Assert.Throws<InvalidOperationException>(() => rewriter.ReplaceRepeated(_parser.Parse("a"), loop, maxPasses: 10));
    }
}
