using System;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.Options;

public class GlobTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*", "", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("Ns.*.Run", "Ns.Type.Run", true)]
    [InlineData("ns.*.run", "Ns.Type.Run", true)]
    [InlineData("*Cache*", "Lyra.CacheBenchmarks.Hit", true)]
    [InlineData("*Cache", "Lyra.CacheBenchmarks.Hit", false)]
    [InlineData("A?C", "ABC", true)]
    [InlineData("A?C", "AC", false)]
    [InlineData("*a*b", "xaybzb", true)]
    [InlineData("*.Run(N: ?)", "T.Run(N: 5)", true)]
    [InlineData("[x]", "[x]", true)]
    [InlineData("a.b", "aXb", false)] // '.' is literal, not a regex dot
    public void Matches_like_BenchmarkDotNet_globs(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Glob.IsMatch(pattern, text));

    // Repro 10: PerfGateFilter=*a*a*a*a*a*b against a long key hung > 120 s in a backtracking regex.
    [Fact]
    public void Repro10_a_pathological_pattern_against_a_long_key_answers_at_once()
    {
        var key = new string('a', 100_000);
        var watch = Stopwatch.StartNew();

        var matched = Glob.IsMatch("*a*a*a*a*a*b", key);
        var matchedWithB = Glob.IsMatch("*a*a*a*a*a*b", key + "b");

        Assert.False(matched);
        Assert.True(matchedWithB);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{watch.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public void Agrees_with_a_regex_reference_on_random_short_patterns()
    {
        var random = new Random(8);
        const string alphabet = "aAb.*?";
        for (var i = 0; i < 5000; i++)
        {
            var pattern = Random(random, alphabet, random.Next(0, 7));
            var text = Random(random, "aAb.", random.Next(0, 9));
            var reference = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

            Assert.True(reference.IsMatch(text) == Glob.IsMatch(pattern, text), $"'{pattern}' vs '{text}'");
        }
    }

    private static string Random(Random random, string alphabet, int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }
}
