using System;
using System.Linq;
using Lyra.Perf.Engine.Judging;

namespace Lyra.Perf.Engine.Tests.Judging;

public class HistoryDriftTests
{
    [Fact]
    public void Creeping_slowdown_is_detected_though_no_single_step_reaches_the_threshold()
    {
        // +1 % per run for 20 runs with ±2 % noise: every step is far inside a 5 % threshold, the total is ~+21 %.
        var random = new Random(42);
        var series = Enumerable.Range(0, 20).Select(i => 1000 * Math.Pow(1.01, i) * (1 + (0.02 * ((2 * random.NextDouble()) - 1)))).ToList();
        var result = HistoryDrift.Detect(series, 0.05);
        Assert.True(result.Detected, result.Reason);
        Assert.InRange(result.TotalChange, 0.12, 0.30);
        Assert.InRange(result.ChangePerRun, 0.005, 0.015);
    }

    [Fact]
    public void Flat_noisy_history_is_not_a_drift()
    {
        var random = new Random(7);
        var series = Enumerable.Range(0, 30).Select(_ => 1000 * Math.Exp(0.15 * ((2 * random.NextDouble()) - 1))).ToList();
        Assert.False(HistoryDrift.Detect(series, 0.05).Detected);
    }

    [Fact]
    public void Significant_but_tiny_trend_is_not_reported()
    {
        var series = Enumerable.Range(0, 20).Select(i => 1000 + (0.5 * i)).ToList(); // +1 % in total
        var result = HistoryDrift.Detect(series, 0.05);
        Assert.False(result.Detected);
        Assert.True(result.PValue < 0.01);
    }

    [Fact]
    public void Short_or_broken_histories_say_so()
    {
        var result = HistoryDrift.Detect(new[] { 1.0, double.NaN, 0, -3, 2, 3, 4, 5, 6, 7 }, 0.05);
        Assert.False(result.Detected);
        Assert.Equal(7, result.Runs);
        Assert.Contains("at least 8", result.Reason);
        Assert.False(HistoryDrift.Detect(Array.Empty<double>(), 0.05).Detected);
    }

    [Fact]
    public void Improving_history_is_not_a_regression_drift() =>
        Assert.False(HistoryDrift.Detect(Enumerable.Range(0, 20).Select(i => 1000.0 - (20 * i)).ToList(), 0.05).Detected);
}
