using System;
using System.Globalization;
using System.Text.Json;

namespace Lyra.Perf.Engine.Json;

/// <summary>Stable, diff-friendly number text for files people review (baseline, history, reports).</summary>
public static class JsonNumbers
{
    /// <summary>Rounds to <paramref name="significantDigits"/> significant digits and prints invariantly,
    /// never in exponent form for the magnitudes we store (sub-nanosecond to hours).</summary>
    public static string Format(double value, int significantDigits = 6)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "only finite numbers are written");
        }

        if (value == 0)
        {
            return "0";
        }

        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var decimals = significantDigits - 1 - magnitude;
        if (decimals < 0)
        {
            var scale = Math.Pow(10, -decimals);
            return (Math.Round(value / scale) * scale).ToString("0", CultureInfo.InvariantCulture);
        }

        decimals = Math.Min(decimals, 15);
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    /// <summary>Writes <paramref name="name"/> with the stable number text; absent and non-finite values are left out.</summary>
    public static void WriteStableNumber(this Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && !double.IsNaN(v) && !double.IsInfinity(v))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(Format(v), skipInputValidation: true);
        }
    }
}
