using System;
using System.Linq;
using Lyra.Perf.Engine.Ingest;
using Lyra.Perf.Engine.Judging;
using Lyra.Perf.Evaluation;

namespace Lyra.Perf.Engine.Tests.Evaluation;

/// <summary>The A/B replay's between-pass variant (eval only), pinned to an independent plain-python computation of
/// the formulas in docs/verdict-quality.md ("A/B mode"): three benchmarks of 8 units in two passes of 4, base 100 ns,
/// current 100·e^d ns, so the ln differences are exactly the d below.</summary>
public class BetweenPassTests
{
    private static readonly double[][] s_d =
    {
        new[] { 0.10, 0.12, 0.08, 0.10, 0.20, 0.22, 0.18, 0.20 },
        new[] { 0.00, 0.02, -0.02, 0.00, 0.03, 0.05, 0.01, 0.03 },
        new[] { 0.05, 0.06, 0.04, 0.05, 0.03, 0.04, 0.02, 0.03 },
    };

    private static InterleavedRun Run(bool passes) => new()
    {
        Complete = true,
        Benchmarks = s_d.Select((d, i) => new InterleavedBenchmark
        {
            Id = "N.T.M" + i,
            Type = "T",
            Method = "M" + i,
            Operations = 1,
            PassUnits = passes ? new[] { 4, 4 } : Array.Empty<int>(),
            Current = new InterleavedSide(d.Select(x => 100 * Math.Exp(x)).ToList(), Array.Empty<double>()),
            Base = new InterleavedSide(d.Select(_ => 100.0).ToList(), Array.Empty<double>()),
        }).ToList(),
    };

    [Fact]
    public void Standard_errors_match_an_independent_computation()
    {
        // python: s_w² pooled per benchmark = 2.667e-4, 2.667e-4, 6.667e-5 (median 2.667e-4, the 2-df prior);
        // b = max(0, (m1 − m2)²/2 − s_w²(1/4 + 1/4)/2) = 4.933e-3, 3.833e-4, 1.833e-4, S = median = 3.833e-4;
        // σ_w² = (6 s_w² + 2 · 2.667e-4)/8; s_b² = (d0·S + b)/(d0 + 1); se = √(σ_w²/8 + s_b² · (4² + 4²)/8²).
        var settings = new StatisticalJudgeSettings();
        var d2 = BetweenPass.Evidences(Run(passes: true), 2, settings);
        Assert.Equal(0.0313581462037113, d2[0].Se, 12);
        Assert.Equal(0.015, d2[1].Se, 12);
        Assert.Equal(0.013149778198382917, d2[2].Se, 12);
        Assert.All(d2, e => Assert.Equal(8, e.Df));

        var suiteOnly = BetweenPass.Evidences(Run(passes: true), double.PositiveInfinity, settings);
        Assert.Equal(0.015, suiteOnly[0].Se, 12);
        Assert.Equal(0.01436140661634507, suiteOnly[2].Se, 12);
    }

    [Fact]
    public void Without_pass_counts_or_term_it_is_the_paired_judge()
    {
        // python: σ² = (SS + 2 · median(SS/7))/9, se = σ/√8; mean 0.15, 0.015, 0.04.
        var settings = new StatisticalJudgeSettings();
        foreach (var e in new[] { BetweenPass.Evidences(Run(passes: false), 2, settings), BetweenPass.Evidences(Run(passes: true), null, settings) })
        {
            Assert.Equal(0.017705707088169723, e[0].Se, 12);
            Assert.Equal(0.007791937224739796, e[1].Se, 12);
            Assert.Equal(0.00549169647365276, e[2].Se, 12);
            Assert.Equal(0.15, e[0].Mean, 12);
            Assert.All(e, x => Assert.Equal(9, x.Df));
        }

        // And the shipped judge on the same units agrees (its interval is exp(mean ± t·se)): with its placement term
        // σ_p = 0.02 switched off, se as above; with it, √(se² + σ_p²) — here as the replay's placement variant.
        var run = Run(passes: true);
        var current = InterleavedResults.ToRun(run, isBase: false, "x.json");
        var @base = InterleavedResults.ToRun(run, isBase: true, "x.json");
        var comparisons = current.Benchmarks.Select((b, i) => new TimeComparison(@base.Benchmarks[i], b, 0.05)).ToList();
        var noTerm = new PairedTimeJudge(settings with { PlacementSpread = 0 }).JudgeAll(comparisons);
        Assert.Equal(0.017705707088169723, noTerm[0].StandardError!.Value, 12);

        var shipped = new PairedTimeJudge().JudgeAll(comparisons);
        var placed = BetweenPass.Evidences(run, null, settings, settings.PlacementSpread);
        Assert.Equal(Math.Sqrt((0.017705707088169723 * 0.017705707088169723) + (0.02 * 0.02)), shipped[0].StandardError!.Value, 12);
        Assert.All(placed.Zip(shipped), p => Assert.Equal(p.First.Se, p.Second.StandardError!.Value, 12));
    }
}
