using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace Lyra.Perf.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Before a build that measures benchmarks, waits a bounded time for other work on the machine to settle. `dotnet test`
/// runs the other test assemblies beside this one, and a gate measured while they compile and run on this 2-core
/// machine once read an unchanged 13 µs benchmark +65 % (docs/verdict-quality.md measures the gate under load on purpose;
/// these tests check the product's paths, so they measure on a quiet machine, as the docs ask). Linux only (/proc/stat);
/// never more than a minute a build, three in a suite; the assertions are unchanged.
/// </summary>
internal static class QuietMachine
{
    private static readonly TimeSpan PerBuild = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PerSuite = TimeSpan.FromSeconds(180);
    private static readonly object Gate = new();
    private static TimeSpan s_waited;

    /// <summary>Busy cores (all processes; this one waits) below which the machine counts as quiet, two samples running.</summary>
    private const double QuietBelow = 0.5;

    /// <summary>Whether a build's arguments run benchmarks (a gate or a baseline recording that is not compare-only).</summary>
    public static bool Measures(string[] arguments) =>
        arguments.Any(a => a.StartsWith("-t:PerfGate", StringComparison.Ordinal) || a.StartsWith("-t:PerfBaseline", StringComparison.Ordinal))
        && !arguments.Any(a => a.StartsWith("-p:PerfGateResults=", StringComparison.Ordinal));

    public static void Wait()
    {
        if (!File.Exists("/proc/stat"))
        {
            return;
        }

        lock (Gate)
        {
            var clock = Stopwatch.StartNew();
            var quiet = 0;
            while (quiet < 2 && clock.Elapsed < PerBuild && s_waited + clock.Elapsed < PerSuite)
            {
                quiet = BusyCores(TimeSpan.FromMilliseconds(500)) < QuietBelow ? quiet + 1 : 0;
            }

            s_waited += clock.Elapsed;
        }
    }

    private static double BusyCores(TimeSpan over)
    {
        var (busy0, total0) = Read();
        Thread.Sleep(over);
        var (busy1, total1) = Read();
        var total = total1 - total0;
        return total <= 0 ? 0 : (double)(busy1 - busy0) / total * Environment.ProcessorCount;
    }

    /// <summary>The "cpu" line's jiffies: busy (all but idle and iowait) and total.</summary>
    private static (long Busy, long Total) Read()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }
}
