using System;
using System.Globalization;
using Lyra.Perf.Engine.Reports;

namespace Lyra.Perf.Engine.Tests.Reports;

/// <summary>The HTML chart's coordinates read as the "0.#" format writes them.</summary>
public sealed class ChartNumberTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(12.0, "12")]
    [InlineData(12.25, "12.3")]
    [InlineData(12.04, "12")]
    [InlineData(639.96, "640")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(-12.0, "-12")]
    [InlineData(72.0, "72")]
    public void A_coordinate_has_at_most_one_decimal(double value, string text) => Assert.Equal(text, HtmlReportWriter.F(value));

    [Fact]
    public void Random_coordinates_read_as_the_format_string_writes_them()
    {
        var random = new Random(4);
        var compared = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var value = (random.NextDouble() * 800) - 80;
            var tenths = value * 10;
            if (Math.Abs(Math.Abs(tenths - Math.Floor(tenths)) - 0.5) < 1e-6 || Math.Abs(value) < 0.05)
            {
                continue; // A tie within a millionth, or a value that rounds to zero ("0.#" writes "-0" for negatives): not compared.
            }

            Assert.Equal(value.ToString("0.#", CultureInfo.InvariantCulture), HtmlReportWriter.F(value));
            compared++;
        }

        Assert.True(compared > 99_000);
    }
}
