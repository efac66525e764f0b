using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using Lyra.Perf.Engine.Json;

namespace Lyra.Perf.Engine.Tests.Json;

/// <summary>The short-number path of <see cref="JsonNumbers.Read"/> gives exactly the double the general parser gives.</summary>
public sealed class JsonNumberReadTests
{
    private static double ReadToken(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Assert.True(reader.Read());
        return JsonNumbers.Read(ref reader);
    }

    public static IEnumerable<object[]> Texts() => new[]
    {
        "0", "-0", "0.0", "-0.0", "1", "250.253", "8955.65", "0.984984", "1.00077", "123456789012345", "-123456789012345",
        "0.000000000000001", "999999999999999", "99999999999999.9", "0.1", "0.2", "0.3", "2.675", "1.005", "72", "552",
        // The general parser's: an exponent, more than 15 digits, not finite.
        "1e5", "1.5E-3", "1234567890123456", "0.1234567890123456", "1e400", "-1e400", "4.9e-324",
    }.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_number_reads_as_the_general_parser_reads_it(string text)
    {
        var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var read = ReadToken(text);
        if (double.IsInfinity(expected))
        {
            Assert.True(double.IsNaN(read));
        }
        else
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(read));
        }
    }

    [Fact]
    public void Random_numbers_in_every_way_they_are_written_read_to_the_same_bits()
    {
        var random = new Random(20261204);
        var formats = new[] { "R", "G6", "G15", "G17", "F3", "0.######", "0.###############" };
        var shortPath = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var value = Math.Exp((random.NextDouble() * 60) - 30) * (random.Next(4) == 0 ? -1 : 1);
            var text = value.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture);
            var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(ReadToken(text)));
            shortPath += JsonNumbers.TryReadShort(Encoding.ASCII.GetBytes(text), out _) ? 1 : 0;
        }

        // About half of them take the short path, which is what is under test.
        Assert.True(shortPath > 80_000, shortPath.ToString(CultureInfo.InvariantCulture));
    }
}
