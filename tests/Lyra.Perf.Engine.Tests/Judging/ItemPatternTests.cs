using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.Judging;

public class ItemPatternTests
{
    [Theory]
    [InlineData("SymbolBenchmarks.Interned", "Lyra.Core.Benchmarks.SymbolBenchmarks.Interned", true)]
    [InlineData("symbolbenchmarks.interned", "Lyra.Core.Benchmarks.SymbolBenchmarks.Interned", true)]
    [InlineData("Parse", "Ns.PatternBenchmarks.Parse(N: 3)", true)]
    [InlineData("Interned", "Ns.SymbolBenchmarks.StringKeyed", false)]
    [InlineData("*.Interned", "Ns.SymbolBenchmarks.Interned", true)]
    [InlineData("*.Interned", "Ns.SymbolBenchmarks.InternedTwice", false)]
    [InlineData("Ns.?ymbol*", "Ns.SymbolBenchmarks.Interned", true)]
    public void A_pattern_without_wildcards_matches_by_containment_and_globs_match_whole_names(string pattern, string id, bool expected) =>
        Assert.Equal(expected, Glob.IsMatchItemPattern(pattern, id));

    [Fact]
    public void Rules_use_item_patterns()
    {
        var options = new GateOptions { Rules = new[] { new PerfRule("Parse") { Threshold = 0.10 } } };

        Assert.Equal(0.10, options.For("Ns.PatternBenchmarks.Parse").Threshold);
        Assert.Equal(0.05, options.For("Ns.PatternBenchmarks.Match").Threshold);
    }
}
