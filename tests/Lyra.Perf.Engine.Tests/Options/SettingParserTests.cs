using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Tests.Options;

public class SettingParserTests
{
    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData(" 5 % ", 0.05)]
    [InlineData("5", 0.05)]
    [InlineData("0%", 0.0)]
    [InlineData("12.5%", 0.125)]
    public void Percentages(string text, double expected) => Assert.Equal(expected, SettingParser.Percent("P", text), 10);

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("-1%")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("5,5%")]
    public void Bad_percentages_are_LPG0401_naming_the_property(string? text)
    {
        var ex = Assert.Throws<GateException>(() => SettingParser.Percent("PerfGateThreshold", text));

        Assert.Equal(DiagnosticCodes.InvalidSetting, ex.Diagnostic.Code);
        Assert.Contains("PerfGateThreshold", ex.Diagnostic.Message);
        Assert.Contains("5%", ex.Diagnostic.Message); // says what it accepts
    }

    [Fact]
    public void Percentages_respect_their_maximum() =>
        Assert.Throws<GateException>(() => SettingParser.Percent("LessAllocated", "101%", max: 100));

    [Theory]
    [InlineData("1.5x", 1.5)]
    [InlineData("2X", 2.0)]
    [InlineData("1.2", 1.2)]
    [InlineData("3×", 3.0)]
    public void Factors(string text, double expected) => Assert.Equal(expected, SettingParser.Factor("F", text), 10);

    [Theory]
    [InlineData("0.5x")]
    [InlineData("fast")]
    [InlineData("")]
    public void Bad_factors(string text) => Assert.Throws<GateException>(() => SettingParser.Factor("F", text));

    [Theory]
    [InlineData("major", Severity.Major)]
    [InlineData(" Critical ", Severity.Critical)]
    [InlineData("None", Severity.None)]
    [InlineData("warning", Severity.Warning)]
    public void FailOn_values(string text, Severity expected) => Assert.Equal(expected, SettingParser.FailOn("F", text));

    [Fact]
    public void Bad_FailOn_lists_the_choices()
    {
        var ex = Assert.Throws<GateException>(() => SettingParser.FailOn("PerfGateFailOn", "Sometimes"));

        Assert.Contains("Warning, Minor, Major, Critical, None", ex.Diagnostic.Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void Booleans(string text, bool expected) => Assert.Equal(expected, SettingParser.Boolean("B", text));

    [Theory]
    [InlineData("yes")]
    [InlineData("")]
    public void Bad_booleans(string text) => Assert.Throws<GateException>(() => SettingParser.Boolean("B", text));

    [Theory]
    [InlineData("0", 1, 10)]
    [InlineData("11", 1, 10)]
    [InlineData("3.5", 1, 10)]
    [InlineData("many", 1, 10)]
    public void Whole_numbers_out_of_range_or_not_whole(string text, int min, int max) =>
        Assert.Throws<GateException>(() => SettingParser.WholeNumber("N", text, min, max));

    [Fact]
    public void Severity_classes_follow_the_spec_at_every_boundary()
    {
        var rule = new GateOptions().For("x");

        Assert.Equal(Severity.Warning, rule.Classify(0.05));
        Assert.Equal(Severity.Warning, rule.Classify(0.0999));
        Assert.Equal(Severity.Minor, rule.Classify(0.10));
        Assert.Equal(Severity.Minor, rule.Classify(0.1999));
        Assert.Equal(Severity.Major, rule.Classify(0.20));
        Assert.Equal(Severity.Major, rule.Classify(0.4999));
        Assert.Equal(Severity.Critical, rule.Classify(0.50));
        Assert.True(rule.Fails(Severity.Major));
        Assert.False(rule.Fails(Severity.Minor));
        Assert.False((rule with { FailOn = Severity.None }).Fails(Severity.Critical));
    }
}
