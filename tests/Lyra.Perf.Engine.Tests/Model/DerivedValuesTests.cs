using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Tests.Model;

public class DerivedValuesTests
{
    private static LaunchMeasurement Launch(params double[] samples) => new() { Samples = samples };

    [Fact]
    public void The_typical_time_kept_is_the_launches_own_and_new_launches_get_theirs()
    {
        var launches = new[] { Launch(10, 12, 11), Launch(20, 21, 19), Launch(30) };
        var measurement = new BenchmarkMeasurement { Id = "A", Launches = launches };
        Assert.Equal(20, measurement.TypicalNanoseconds);

        // A copy with other launches computes its own; a copy of the rest keeps the same launches and time.
        var faster = measurement with { Launches = new[] { Launch(1), Launch(3) } };
        Assert.Equal(2, faster.TypicalNanoseconds);
        Assert.Equal(20, (measurement with { Failure = null, Method = "M" }).TypicalNanoseconds);
        Assert.Null((measurement with { Launches = new LaunchMeasurement[0] }).TypicalNanoseconds);
    }

    [Fact]
    public void A_measurement_equals_another_with_the_same_properties_whether_or_not_either_computed_its_time()
    {
        var launches = new[] { Launch(10, 12) };
        var asked = new BenchmarkMeasurement { Id = "A", Launches = launches };
        var notAsked = new BenchmarkMeasurement { Id = "A", Launches = launches };
        Assert.Equal(11, asked.TypicalNanoseconds);

        Assert.Equal(asked, notAsked);
        Assert.Equal(asked.GetHashCode(), notAsked.GetHashCode());
        Assert.NotEqual(asked, notAsked with { Id = "B" });
    }
}
