using Lyra.Perf.Engine.Json;

namespace Lyra.Perf.Engine.Tests;

public class JsonNumbersTests
{
    [Theory]
    [InlineData(771096.7, "771097")]
    [InlineData(11.4123456, "11.4123")]
    [InlineData(0, "0")]
    [InlineData(0.000123456789, "0.000123457")]
    [InlineData(1234567890.0, "1234570000")]
    public void Formats_six_significant_digits(double value, string expected) =>
        Assert.Equal(expected, JsonNumbers.Format(value));
}
