using System;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Tests.Running;

public sealed class RunEstimateTests
{
    [Fact]
    public void Without_a_baseline_the_start_line_is_the_jobs_shape_and_says_so()
    {
        // The gate's default job: 8 warm-up + 10 measured + 3 pilot iterations of 100 ms, plus 0.3 s a benchmark.
        var (perBenchmark, fromBaseline) = RunEstimate.Guess(Array.Empty<double>(), 8, 10, 100);
        Assert.False(fromBaseline);
        Assert.Equal(2.4, perBenchmark.TotalSeconds, 6);

        var estimate = new RunEstimate(33, 5, perBenchmark, fromBaseline);
        Assert.Equal(165, estimate.TotalRuns);
        Assert.Equal((165 * 2.4) + 5, estimate.Total.TotalSeconds, 6);
        Assert.Equal("33 benchmarks × 5 launches ≈ 6 min 40 s (a first estimate from the job's shape: no baseline times yet)", estimate.Describe());
    }

    [Fact]
    public void A_baseline_operation_longer_than_the_iteration_time_lengthens_every_iteration()
    {
        // One operation of 1 s: each of the 21 iterations takes the operation, not the 100 ms iteration time.
        Assert.Equal(21.3, RunEstimate.BenchmarkTime(1e9, 8, 10, 100).TotalSeconds, 6);
        Assert.Equal(2.4, RunEstimate.BenchmarkTime(50, 8, 10, 100).TotalSeconds, 6);

        var (perBenchmark, fromBaseline) = RunEstimate.Guess(new[] { 50.0, 1e9 }, 8, 10, 100);
        Assert.True(fromBaseline);
        Assert.Equal((2.4 + 21.3) / 2, perBenchmark.TotalSeconds, 3);
        Assert.EndsWith("(estimated from the baseline's operation times)", new RunEstimate(2, 1, perBenchmark, true).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Before_anything_finished_the_remaining_time_is_the_guess_less_the_elapsed_time()
    {
        var estimate = new RunEstimate(10, 2, TimeSpan.FromSeconds(3), fromBaseline: false);
        Assert.Equal(62, estimate.Total.TotalSeconds, 6); // 20 runs × 3 s + 2 process starts
        Assert.Equal(57, estimate.Remaining(TimeSpan.FromSeconds(5), 0).TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, estimate.Remaining(TimeSpan.FromMinutes(5), 0));
    }

    [Fact]
    public void What_has_run_takes_over_from_the_guess()
    {
        // Without a baseline the observed pace alone: 4 runs in 40 s → 10 s each, 16 left.
        var shape = new RunEstimate(10, 2, TimeSpan.FromSeconds(3), fromBaseline: false);
        Assert.Equal(160, shape.Remaining(TimeSpan.FromSeconds(40), 4).TotalSeconds, 6);

        // A baseline-based guess counts as three runs: (3 × 3 s + 4 × 10 s) / 7 = 7 s each.
        var baseline = new RunEstimate(10, 2, TimeSpan.FromSeconds(3), fromBaseline: true);
        Assert.Equal(16 * 7, baseline.Remaining(TimeSpan.FromSeconds(40), 4).TotalSeconds, 6);

        // After many runs the guess hardly matters.
        Assert.InRange(baseline.Remaining(TimeSpan.FromSeconds(190), 19).TotalSeconds, 9.0, 10.0);
        Assert.Equal(TimeSpan.Zero, baseline.Remaining(TimeSpan.FromSeconds(200), 20));
        Assert.Equal("0:40 elapsed, about 2 min 40 s left", shape.Progress(TimeSpan.FromSeconds(40), 4));
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(44.6, "45 s")]
    [InlineData(200, "3 min 20 s")]
    [InlineData(185, "3 min")]
    [InlineData(1620, "27 min")]
    [InlineData(3900, "1 h 05 min")]
    public void Durations_read_coarser_as_they_grow(double seconds, string text) => Assert.Equal(text, RunEstimate.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(42.7, "0:42")]
    [InlineData(725, "12:05")]
    [InlineData(3723, "1:02:03")]
    public void The_elapsed_time_reads_as_a_clock(double seconds, string text) => Assert.Equal(text, RunEstimate.Clock(TimeSpan.FromSeconds(seconds)));
}
