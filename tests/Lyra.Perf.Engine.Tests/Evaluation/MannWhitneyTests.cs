using System;
using Lyra.Perf.Evaluation;

namespace Lyra.Perf.Engine.Tests.Evaluation;

/// <summary>The evaluation's Mann–Whitney test (its ResultsComparer rule), pinned to brute-force enumeration of every
/// rank arrangement (python's itertools.combinations) and the textbook tie-corrected normal approximation.</summary>
public class MannWhitneyTests
{
    [Fact]
    public void Exact_p_matches_brute_force_enumeration()
    {
        // All C(9,4) = 126 arrangements enumerated in python: U = 16, 12 of them have U ≥ 16, 119 have U ≤ 16.
        var result = MannWhitney.Test(new[] { 1.1, 2.3, 3.7, 4.2 }, new[] { 0.5, 0.9, 1.5, 2.0, 2.8 });
        Assert.True(result.Exact);
        Assert.Equal(16, result.U);
        Assert.Equal(12.0 / 126, result.PGreater, 12);
        Assert.Equal(119.0 / 126, result.PLess, 12);
    }

    [Fact]
    public void Ties_use_the_normal_approximation_with_tie_and_continuity_correction()
    {
        // Textbook formula evaluated in python: U = 10.5, σ² = nm/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))).
        var result = MannWhitney.Test(new double[] { 1, 2, 2, 3, 4, 5 }, new double[] { 2, 3, 3, 4, 6, 7, 8 });
        Assert.False(result.Exact);
        Assert.Equal(10.5, result.U);
        Assert.Equal(0.07400915363616345, result.PLess, 10);
        Assert.Equal(0.9442203472746089, result.PGreater, 10);
    }

    [Fact]
    public void Exact_counts_sum_to_the_binomial_coefficient()
    {
        var counts = MannWhitney.ExactCounts(5, 7);
        Assert.Equal(792, counts[0] + SumFrom(counts, 1)); // C(12, 5)
        Assert.Equal(1, counts[0]);
        Assert.Equal(1, counts[35]);
    }

    [Fact]
    public void Empty_or_all_tied_samples_are_no_evidence()
    {
        Assert.Equal(1, MannWhitney.Test(Array.Empty<double>(), new[] { 1.0 }).PGreater);
        var tied = MannWhitney.Test(new[] { 2.0, 2.0, 2.0 }, new[] { 2.0, 2.0 });
        Assert.Equal(1, tied.PGreater);
        Assert.Equal(1, tied.PLess);
    }

    private static double SumFrom(double[] values, int start)
    {
        var sum = 0.0;
        for (var i = start; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }
}
