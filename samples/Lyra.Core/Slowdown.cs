using System;
using System.Diagnostics;
using System.Globalization;

namespace Lyra.Core;

/// <summary>
/// A planted, proportional slowdown for evaluating the perf gate on live runs (like the noise dataset's
/// <c>NOISE_SLOW_*</c>): <c>LYRA_CORE_SLOWDOWN=&lt;factor&gt;</c> (default 1, read once when this type is first used)
/// makes the hot paths the sample benchmarks exercise do about <c>factor</c> times their work. Results never change.
/// </summary>
/// <remarks>
/// <para>Two mechanisms, both deterministic in what they compute and neither allocating:</para>
/// <list type="bullet">
///   <item><b>Repeat</b> (allocation-free steps): the step runs once more on a fraction <c>factor − 1</c> of its calls,
///   chosen by error diffusion (a per-thread credit of <c>factor − 1</c> per call; a repeat whenever it reaches 1), so
///   over any 4 consecutive calls at 1.25 exactly one is repeated. Used by the evaluator (numeric top-level
///   evaluations and each <c>Sum</c> term), interned name resolution, the hash-consing table, matrix
///   multiplication and polynomial evaluation.</item>
///   <item><b>Spin</b> (steps that allocate, where repeating would also change bytes/op): the step is timed and followed
///   by a busy wait of <c>(factor − 1)</c> × its duration (the timer's own cost, measured once, is subtracted). Used by
///   the parser, string-keyed name resolution, the rewriter's <c>ReplaceRepeated</c> (differentiation,
///   simplification) and the sales table's grouping.</item>
/// </list>
/// <para>Steps nest (a rewrite evaluates and matches): only the outermost slowed step on a thread adds work, so the
/// factor is not compounded. Not slowed on purpose: steps of a few nanoseconds to ~20 ns, where even the
/// per-call check would add more than the planted factor (measured: +40–80 % at 1.25) — <see cref="Value"/>
/// arithmetic, comparison and hashing, <see cref="SymbolTable.TryGet"/>, the LRU cache's lookup and a single
/// <see cref="Patterns.PatternMatcher.Match"/> (matching inside a rewrite is slowed with the rewrite). The benchmarks
/// that only exercise those (<c>ValueBenchmarks.*</c>, <c>SymbolTableBenchmarks.LookupNames</c>,
/// <c>CacheBenchmarks.CacheHit</c>, <c>PatternBenchmarks.Match</c>) are unchanged controls in a slowed run.</para>
/// <para>At factor 1, <see cref="Enabled"/> is a <c>static readonly</c> false that the JIT folds away in optimised
/// code: every hook is dead code and costs nothing.</para>
/// </remarks>
public static class Slowdown
{
    /// <summary>The environment variable read once: a factor ≥ 1 (invariant culture, e.g. <c>1.25</c>).</summary>
    public const string VariableName = "LYRA_CORE_SLOWDOWN";

    // Credit in 1/65536 units per call; a repeat costs 65536.
    private const int One = 1 << 16;

    private static readonly int s_credit;
    private static readonly long s_timerCost;

    // One thread-static struct, reached through one TLS lookup per hook.
    [ThreadStatic]
    private static State t_state;

    static Slowdown()
    {
        Factor = Read(Environment.GetEnvironmentVariable(VariableName));
        Enabled = Factor != 1.0;
        if (Enabled)
        {
            s_credit = (int)Math.Round((Factor - 1.0) * One);
            s_timerCost = MeasureTimerCost();
        }
    }

    /// <summary>The slowdown factor in effect (1 = none).</summary>
    public static double Factor { get; }

    /// <summary>True when <see cref="Factor"/> is not 1 (read once; constant for the process).</summary>
    public static readonly bool Enabled;

    /// <summary>Extra steps done so far on the calling thread (repeats plus waits); 0 at factor 1. For tests.</summary>
    public static long ExtraStepsOnThisThread => t_state.ExtraSteps;

    /// <summary>Parses a factor: empty means 1; otherwise a finite number ≥ 1 and ≤ 10.</summary>
    /// <exception cref="InvalidOperationException">Not a number, or out of range.</exception>
    public static double Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1.0;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double factor)
            || !double.IsFinite(factor) || factor < 1.0 || factor > 10.0)
        {
            throw new InvalidOperationException($"{VariableName} must be a number from 1 to 10 (e.g. 1.25), got '{text}'.");
        }

        return factor;
    }

    /// <summary>
    /// Enters a repeatable step: how many extra times to run it now (0 when nested in another slowed step).
    /// Pair with <see cref="Exit"/>. Call only when <see cref="Enabled"/>.
    /// </summary>
    internal static int Enter()
    {
        ref State state = ref t_state;
        if (state.Depth++ != 0)
        {
            return 0;
        }

        int credit = state.Credit + s_credit;
        state.Credit = credit & (One - 1);
        int repeats = credit >> 16;
        state.ExtraSteps += repeats;
        return repeats;
    }

    /// <summary>Leaves a step entered with <see cref="Enter"/> or <see cref="EnterTimed"/>.</summary>
    internal static void Exit() => t_state.Depth--;

    /// <summary>Enters a timed step: its start timestamp, or 0 when nested. Pair with <see cref="ExitTimed"/>.</summary>
    internal static long EnterTimed() => t_state.Depth++ == 0 ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Leaves a timed step, busy-waiting (factor − 1) × its duration when it was the outermost.</summary>
    internal static void ExitTimed(long start)
    {
        ref State state = ref t_state;
        state.Depth--;
        if (start == 0)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        long work = Math.Max(0, now - start - s_timerCost);
        long wait = (long)(work * (Factor - 1.0)) - (2 * s_timerCost);
        if (wait > 0)
        {
            long until = now + wait;
            while (Stopwatch.GetTimestamp() < until)
            {
            }
        }

        state.ExtraSteps++;
    }

    /// <summary>The evaluator marks a top-level evaluation (its <c>Sum</c> terms are slowed one by one instead).</summary>
    internal static void BeginEvaluation() => t_state.SumSeen = false;

    /// <summary>True when a <c>Sum</c> ran since <see cref="BeginEvaluation"/>.</summary>
    internal static bool SumSeen => t_state.SumSeen;

    /// <summary>Records that a <c>Sum</c> ran.</summary>
    internal static void MarkSum() => t_state.SumSeen = true;

    private static long MeasureTimerCost()
    {
        // The cheapest of a few batches of back-to-back reads: what one read adds to a timed step.
        long best = long.MaxValue;
        for (int batch = 0; batch < 20; batch++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 100; i++)
            {
                _ = Stopwatch.GetTimestamp();
            }

            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) / 101);
        }

        return best;
    }

    private struct State
    {
        public int Credit;
        public int Depth;
        public bool SumSeen;
        public long ExtraSteps;
    }
}
