using System;
using System.Globalization;

namespace Lyra.Perf.Engine.Judging;

/// <summary>Human units for messages: "12.3 µs", "1,048 B", "+12.4%".</summary>
public static class Units
{
    public static string Time(double? nanoseconds)
    {
        if (nanoseconds is not { } ns || double.IsNaN(ns))
        {
            return "n/a";
        }

        var (value, unit) = Math.Abs(ns) switch
        {
            >= 1e9 => (ns / 1e9, "s"),
            >= 1e6 => (ns / 1e6, "ms"),
            >= 1e3 => (ns / 1e3, "µs"),
            _ => (ns, "ns"),
        };
        return value.ToString(value >= 100 ? "0.0" : value >= 10 ? "0.00" : "0.000", CultureInfo.InvariantCulture) + " " + unit;
    }

    public static string Bytes(double? bytes) =>
        bytes is { } b ? Math.Round(b).ToString("#,0", CultureInfo.InvariantCulture) + " B" : "n/a";

    /// <summary>A ratio as a signed change: 1.124 → "+12.4%".</summary>
    public static string Change(double ratio) =>
        double.IsNaN(ratio) ? "n/a" : ((ratio - 1) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";

    public static string Percent(double fraction) =>
        (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
