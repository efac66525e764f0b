using System;
using System.Collections.Generic;
using System.Linq;

namespace Lyra.Perf.Engine.Statistics;

/// <summary>Adjusted p-values for a family of tests, as R's p.adjust computes them (the gate uses Benjamini–Hochberg).</summary>
public static class MultipleComparisons
{
    /// <summary>Benjamini–Hochberg step-up adjustment: controls the false-discovery rate for independent or
    /// positively dependent tests (our one-sided tests share the machine's slow periods: positive dependence);
    /// when every benchmark is unchanged it also controls the chance of any false flag.</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderByDescending(i => Clean(pValues[i])).ToArray();
        var adjusted = new double[m];
        var running = 1.0;
        for (var k = 0; k < m; k++)
        {
            var i = order[k];
            var rank = m - k; // 1-based rank in ascending order.
            running = Math.Min(running, Math.Min(1, Clean(pValues[i]) * m / rank));
            adjusted[i] = running;
        }

        return adjusted;
    }

    // A missing or broken p-value is no evidence: treat it as 1.
    private static double Clean(double p) => double.IsNaN(p) || p > 1 ? 1 : p < 0 ? 0 : p;
}
