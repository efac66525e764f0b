using System;
using Lyra.Perf.Engine.Judging;

namespace Lyra.Perf.Evaluation;

/// <summary>Suite priors tried during tuning that the engine does not use (docs/verdict-quality.md, sections G and H);
/// the engine's own is <see cref="SuiteSpreadPrior.LoweredTowardSuite"/>.</summary>
internal static class TriedPriors
{
    /// <summary>The geometric mean of the iteration-based and the suite's launch variance, raising quiet benchmarks
    /// toward the suite as well as lowering noisy ones.</summary>
    public static SuiteSpreadPrior Blend { get; } = new BlendPrior();

    /// <summary>The suite's launch variance alone, whatever the benchmark's own iterations show.</summary>
    public static SuiteSpreadPrior SuiteOnly { get; } = new SuiteOnlyPrior();

    private sealed class BlendPrior : SuiteSpreadPrior
    {
        public override double Variance(double? iterationVariance, double suiteVariance) =>
            iterationVariance is { } iteration ? Math.Sqrt(suiteVariance * iteration) : suiteVariance;

        public override string Describe(string suiteSpread) => "iteration spread blended with the suite's " + suiteSpread;
    }

    private sealed class SuiteOnlyPrior : SuiteSpreadPrior
    {
        public override double Variance(double? iterationVariance, double suiteVariance) => suiteVariance;

        public override string Describe(string suiteSpread) => "the suite's " + suiteSpread;
    }
}
