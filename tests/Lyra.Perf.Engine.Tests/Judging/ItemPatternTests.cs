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

public class FilteredClaimTests
{
    [Theory]
    [InlineData(true, Lyra.Perf.Engine.Diagnostics.DiagnosticLevel.Error)]
    [InlineData(false, Lyra.Perf.Engine.Diagnostics.DiagnosticLevel.Warning)]
    public void A_claim_matching_nothing_is_an_error_only_when_everything_ran(bool everythingRan, Lyra.Perf.Engine.Diagnostics.DiagnosticLevel expected)
    {
        var diagnostics = new System.Collections.Generic.List<Lyra.Perf.Engine.Diagnostics.GateDiagnostic>();
        var claims = new[] { new PerfClaim("Missing", "AlsoMissing") { Faster = 1.5 } };

        var results = Lyra.Perf.Engine.Judging.ClaimChecker.Check(claims, new Lyra.Perf.Engine.Model.RunResult(), enabled: true, _ => null, diagnostics, everythingRan);

        Assert.False(results[0].Met);
        Assert.Equal(expected, Assert.Single(diagnostics).Level);
    }
}
