using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Lyra.Perf.AbRunner;

/// <summary>How a run measures: the iteration size, warm-up, schemes and budget.</summary>
internal sealed record MeasureSettings
{
    /// <summary>Target length of one iteration (N invocations, the same N on both sides).</summary>
    public double IterationMilliseconds { get; init; } = 30;

    /// <summary>Warm-up pairs at least (FACTS.md: tier-up can take 8 iterations), then until the JIT is quiet and both sides are steady.</summary>
    public int MinimumWarmup { get; init; } = 8;

    /// <summary>Warm-up pairs in a row without a single method compiled (tier-up done on both sides).</summary>
    public int QuietWarmup { get; init; } = 4;

    /// <summary>Warm-up stops here even if the JIT is still busy (then the benchmark's row says so).</summary>
    public double MaximumWarmupShare { get; init; } = 0.5;

    /// <summary>Iterations of one side in a row in the blocked scheme.</summary>
    public int BlockSize { get; init; } = 5;

    /// <summary>Each benchmark's measuring time is cut into this many rounds; each round gives every scheme an equal
    /// segment, the schemes' order alternating by round, so all schemes see the same stretches of machine time.</summary>
    public int Rounds { get; init; } = 4;

    public IReadOnlyList<string> Schemes { get; init; } = new[] { Scheme.Interleaved, Scheme.Blocked };

    /// <summary>Wall seconds for the whole run (every benchmark's setup, warm-up and measuring), shared equally.</summary>
    public double BudgetSeconds { get; init; } = 180;

    /// <summary>Full blocking GC before every iteration, outside the timing (BenchmarkDotNet's default, Force=true):
    /// one side's garbage is not collected during the other side's iteration.</summary>
    public bool ForceGc { get; init; } = true;
}

internal static class Scheme
{
    /// <summary>A B, B A, A B, …: one iteration of each side per pair, the order alternating (ABBA).</summary>
    public const string Interleaved = "interleaved";

    /// <summary>k iterations of A then k of B (a block pair), the first side alternating by block pair.</summary>
    public const string Blocked = "blocked";
}

/// <summary>One timed iteration of one side; <c>Jit</c> = methods the runtime compiled meanwhile (any thread): tier-up
/// still going on when it is not 0; <c>BytesPerOperation</c> = bytes this thread allocated during the loop
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) per operation.</summary>
internal sealed record Iteration(string Benchmark, string Scheme, int Round, int Unit, int Order, char Side, double StartSeconds, double NanosecondsPerOperation, long Operations, long Jit, double BytesPerOperation = double.NaN);

/// <summary>What one benchmark cost and how it was sized; <c>WarmupQuiet</c> false = warm-up hit its cap with the JIT still compiling.</summary>
internal sealed record BenchmarkSummary(string Benchmark, long Invocations, int OperationsPerInvoke, int WarmupPairs, bool WarmupQuiet, double OverheadSeconds, IReadOnlyDictionary<string, double> SchemeSeconds, double TotalSeconds, string? Failure);

/// <summary>Runs one benchmark case on both sides, interleaving their iterations in one process (or on one side alone,
/// when the other has no such case: its iterations are then timed back to back).</summary>
internal sealed class Measurer
{
    private readonly MeasureSettings _settings;
    private readonly Stopwatch _clock;

    public Measurer(MeasureSettings settings, Stopwatch clock)
    {
        _settings = settings;
        _clock = clock;
    }

    private sealed class Runner
    {
        public required char Side { get; init; }

        public required BenchmarkCase Case { get; init; }

        public required object Instance { get; init; }

        public required Func<object?, long, object?> Loop { get; init; }

        public object? Last { get; set; }
    }

    /// <summary>Measures one case whose A and B versions were found in the two sides (B null: A alone, or
    /// <paramref name="aloneSide"/> names the side A's case is); <paramref name="seconds"/> is its whole allotment;
    /// <paramref name="baseFirst"/>: B is set up, compiled and run first (see <see cref="RunnerOrder"/>).</summary>
    public BenchmarkSummary Measure(BenchmarkCase a, BenchmarkCase? b, double seconds, Action<Iteration> record, char aloneSide = 'A', bool baseFirst = false)
    {
        var start = _clock.Elapsed.TotalSeconds;
        var sides = new List<Runner>();
        try
        {
            foreach (var (c, label) in b is null ? new[] { (a, aloneSide) } : baseFirst ? new[] { (b, 'B'), (a, 'A') } : new[] { (a, 'A'), (b, 'B') })
            {
                var instance = c.CreateInstance();
                foreach (var setup in c.GlobalSetups)
                {
                    setup.Invoke(setup.IsStatic ? null : instance, null);
                }

                sides.Add(new Runner { Side = label, Case = c, Instance = instance, Loop = c.CompileLoop() });
            }

            var ra = sides[0];
            var rb = sides.Count > 1 ? sides[1] : null;
            var n = Pilot(ra, rb);
            var (warmup, quiet) = WarmUp(ra, rb, ref n, start + (seconds * _settings.MaximumWarmupShare));
            var overhead = _clock.Elapsed.TotalSeconds - start;
            var measuring = Math.Max(seconds - overhead, seconds * 0.25);
            var schemeSeconds = _settings.Schemes.ToDictionary(s => s, _ => 0.0, StringComparer.Ordinal);
            var segment = measuring / (_settings.Rounds * _settings.Schemes.Count);
            var units = _settings.Schemes.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
            for (var round = 0; round < _settings.Rounds; round++)
            {
                var order = round % 2 == 0 ? _settings.Schemes : _settings.Schemes.Reverse().ToList();
                foreach (var scheme in order)
                {
                    // Each scheme's running total is steered to (round + 1) segments, so an overrun (a blocked unit is
                    // 2k iterations long) is paid back in its next segment and the schemes end on equal machine time.
                    // Every segment takes at least one unit, so a run gives at least Rounds units per scheme however
                    // slow the machine (a segment is seconds long at the gate's allotments: this binds only under
                    // an allotment too short for the machine).
                    var t0 = _clock.Elapsed.TotalSeconds;
                    var deadline = t0 + ((round + 1) * segment) - schemeSeconds[scheme];
                    var unitSeconds = 0.0;
                    var inSegment = 0;
                    while (inSegment++ == 0 || _clock.Elapsed.TotalSeconds + (unitSeconds / 2) < deadline)
                    {
                        var u0 = _clock.Elapsed.TotalSeconds;
                        var unit = units[scheme]++;
                        var first = unit % 2 == 0 || rb is null ? ra : rb;
                        var second = rb is null ? null : unit % 2 == 0 ? rb : ra;
                        var k = scheme == Scheme.Blocked ? _settings.BlockSize : 1;
                        var position = 0;
                        foreach (var runner in Enumerable.Repeat(first, k).Concat(second is null ? Enumerable.Empty<Runner>() : Enumerable.Repeat(second, k)))
                        {
                            var jit = System.Runtime.JitInfo.GetCompiledMethodCount();
                            var (at, ns, bytes) = Time(runner, n);
                            jit = System.Runtime.JitInfo.GetCompiledMethodCount() - jit;
                            record(new Iteration(a.Id, scheme, round, unit, position++, runner.Side, at, ns, n * runner.Case.OperationsPerInvoke, jit, bytes));
                        }

                        unitSeconds = _clock.Elapsed.TotalSeconds - u0;
                    }

                    schemeSeconds[scheme] += _clock.Elapsed.TotalSeconds - t0;
                }
            }

            Cleanup(sides);
            return new BenchmarkSummary(a.Id, n, a.OperationsPerInvoke, warmup, quiet, overhead, schemeSeconds, _clock.Elapsed.TotalSeconds - start, null);
        }
        catch (Exception e)
        {
            // A benchmark that throws is recorded as failed; the run goes on with the next one.
            var inner = e is System.Reflection.TargetInvocationException { InnerException: { } x } ? x : e;
            return new BenchmarkSummary(a.Id, 0, a.OperationsPerInvoke, 0, false, 0, new Dictionary<string, double>(), _clock.Elapsed.TotalSeconds - start, $"{inner.GetType().Name}: {inner.Message}");
        }
    }

    /// <summary>Doubles/scales N until one iteration of the slower side reaches the target length (same N both sides).</summary>
    private long Pilot(Runner a, Runner? b)
    {
        var target = _settings.IterationMilliseconds * 1e6;
        long n = 1;
        for (var step = 0; step < 30; step++)
        {
            var longest = Math.Max(Time(a, n).Nanoseconds, b is null ? 0 : Time(b, n).Nanoseconds) * n * a.Case.OperationsPerInvoke;
            if (longest >= target)
            {
                break;
            }

            var scaled = longest < target / 1000 ? n * 10 : (long)Math.Ceiling(n * target / Math.Max(longest, 1) * 1.05);
            n = Math.Clamp(scaled, n + 1, n * 100);
        }

        return n;
    }

    /// <summary>
    /// Warm-up pairs (A B, B A, …) until the JIT has compiled nothing for <see cref="MeasureSettings.QuietWarmup"/> pairs
    /// and both sides are steady, then N re-sized from the warm per-op time. Steadiness alone is not enough: under
    /// load the tier-1 background compiler falls behind and one side can sit, perfectly steady, in tier-0 code 3–10×
    /// slower than the other (seen on the sample with A = B at load average 60).
    /// </summary>
    private (int Pairs, bool Quiet) WarmUp(Runner a, Runner? b, ref long n, double deadline)
    {
        var times = new Dictionary<char, List<double>> { [a.Side] = new() };
        if (b is not null)
        {
            times[b.Side] = new();
        }

        Runner[] Order(int pair) => b is null ? new[] { a } : pair % 2 == 0 ? new[] { a, b } : new[] { b, a };
        var pairs = 0;
        var quietPairs = 0;
        while (true)
        {
            var jit = System.Runtime.JitInfo.GetCompiledMethodCount();
            foreach (var runner in Order(pairs))
            {
                times[runner.Side].Add(Time(runner, n).Nanoseconds);
            }

            pairs++;
            quietPairs = System.Runtime.JitInfo.GetCompiledMethodCount() == jit ? quietPairs + 1 : 0;
            if (pairs >= _settings.MinimumWarmup && quietPairs >= _settings.QuietWarmup && times.Values.All(Steady))
            {
                break;
            }

            if (_clock.Elapsed.TotalSeconds > deadline)
            {
                break;
            }
        }

        var quiet = quietPairs >= _settings.QuietWarmup;

        // Tier-0 code can be several times slower: size N on the warm time, then let the new N settle for 4 pairs.
        var warm = Descriptive(times.Values.SelectMany(t => t.TakeLast(4)));
        var resized = Math.Max(1, (long)Math.Round(_settings.IterationMilliseconds * 1e6 / (warm * a.Case.OperationsPerInvoke)));
        if (Math.Abs(Math.Log((double)resized / n)) > Math.Log(1.2))
        {
            n = resized;
            for (var k = 0; k < 4; k++, pairs++)
            {
                foreach (var runner in Order(k))
                {
                    Time(runner, n);
                }
            }
        }

        return (pairs, quiet);
    }

    /// <summary>The last 4 iterations' median within 10 % of the 4 before.</summary>
    private static bool Steady(List<double> times) =>
        times.Count >= 8 && Math.Abs(Math.Log(Descriptive(times.TakeLast(4)) / Descriptive(times.Skip(times.Count - 8).Take(4)))) < 0.1;

    private static double Descriptive(IEnumerable<double> values) => Lyra.Perf.Engine.Statistics.Descriptive.Median(values);

    /// <summary>One iteration of N invocations: (start, seconds since the run began; ns per operation; bytes this
    /// thread allocated per operation, the loop's own included: it allocates nothing).</summary>
    private (double Start, double Nanoseconds, double Bytes) Time(Runner runner, long n)
    {
        if (_settings.ForceGc)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        foreach (var setup in runner.Case.IterationSetups)
        {
            setup.Invoke(setup.IsStatic ? null : runner.Instance, null);
        }

        var at = _clock.Elapsed.TotalSeconds;
        var b0 = GC.GetAllocatedBytesForCurrentThread();
        var t0 = Stopwatch.GetTimestamp();
        runner.Last = runner.Loop(runner.Instance, n);
        var t1 = Stopwatch.GetTimestamp();
        var b1 = GC.GetAllocatedBytesForCurrentThread();
        foreach (var cleanup in runner.Case.IterationCleanups)
        {
            cleanup.Invoke(cleanup.IsStatic ? null : runner.Instance, null);
        }

        var ns = (t1 - t0) * (1e9 / Stopwatch.Frequency);
        var operations = n * (double)runner.Case.OperationsPerInvoke;
        return (at, ns / operations, (b1 - b0) / operations);
    }

    private static void Cleanup(IEnumerable<Runner> sides)
    {
        foreach (var runner in sides)
        {
            foreach (var cleanup in runner.Case.GlobalCleanups)
            {
                cleanup.Invoke(cleanup.IsStatic ? null : runner.Instance, null);
            }

            (runner.Instance as IDisposable)?.Dispose();
        }
    }
}
