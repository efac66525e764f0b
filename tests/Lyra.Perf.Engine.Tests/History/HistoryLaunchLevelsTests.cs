using System;
using System.Linq;
using Lyra.Perf.Engine.History;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Engine.Model;

namespace Lyra.Perf.Engine.Tests.History;

public class HistoryLaunchLevelsTests
{
    private static RunResult Run() => new()
    {
        Benchmarks = new[]
        {
            new BenchmarkMeasurement
            {
                Id = "Ns.T.A",
                Launches = new[]
                {
                    new LaunchMeasurement { Samples = new[] { 103.0, 101.25, 102 }, AllocatedBytesPerOperation = 24 },
                    new LaunchMeasurement { Samples = new[] { 99.5, 100, double.NaN }, AllocatedBytesPerOperation = 32 },
                },
            },
        },
    };

    [Fact]
    public void Each_launchs_level_and_allocation_reading_are_kept_and_read_back()
    {
        var record = HistoryRecord.From(Run(), new GateResult(), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), "abc");
        var line = HistoryStore.Serialize(record);
        Assert.Contains("\"levels\":[[101.25,99.5]]", line, StringComparison.Ordinal);
        Assert.Contains("\"launchBytes\":[[24,32]]", line, StringComparison.Ordinal);

        Assert.True(HistoryStore.TryParse(line, out var read, out var error), error?.Message);
        var benchmark = Assert.Single(read!.Benchmarks);
        Assert.Equal(new[] { 101.25, 99.5 }, benchmark.LaunchLevels);
        Assert.Equal(new[] { 24.0, 32 }, benchmark.LaunchBytes);
    }

    [Fact]
    public void Records_without_launch_levels_still_read_and_bad_ones_name_the_column()
    {
        const string old = """{"v":1,"time":"2026-12-01T00:00:00.000Z","benchmarks":[{"id":"A","ns":100,"launches":1}]}""";
        Assert.True(HistoryStore.TryParse(old, out var read, out _));
        Assert.Null(read!.Benchmarks[0].LaunchLevels);

        var negative = old.Replace("\"launches\":1", "\"launches\":1,\"levels\":[100,-3]");
        Assert.False(HistoryStore.TryParse(negative, out _, out var error));
        Assert.Contains("\"levels\"", error!.Value.Message);
        Assert.Equal(negative.IndexOf("-3", StringComparison.Ordinal) + 1, error.Value.Column);

        Assert.False(HistoryStore.TryParse(old.Replace("\"launches\":1", "\"launches\":1,\"launchBytes\":\"24\""), out _, out error));
        Assert.Contains("\"launchBytes\" must be an array of numbers", error!.Value.Message);
    }
}
