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

    /// <summary>The number token at the reader, NaN when it is not finite (1e400). A number of at most 15 digits without
    /// an exponent (all the history and most reports hold: "250.253") is computed as its digits over a power of ten,
    /// one correctly rounded division of two exact doubles, so the value is the one a correctly rounded parse gives, at
    /// a fraction of the general parser's cost (a history's window holds a million numbers); any other goes to it.</summary>
    public static double Read(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && TryReadShort(reader.ValueSpan, out var value))
        {
            return value;
        }

        return reader.TryGetDouble(out var number) && !double.IsInfinity(number) ? number : double.NaN;
    }

    private static readonly double[] PowersOfTen =
    {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    };

    /// <summary>A JSON number of at most 15 digits, an optional fraction and no exponent (syntax already checked by
    /// the reader); false for any other.</summary>
    internal static bool TryReadShort(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        long digits = 0;
        var count = 0;
        var decimals = -1; // digits after the point; -1 before one
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= (byte)'0' && c <= (byte)'9')
            {
                if (++count > 15)
                {
                    return false;
                }

                digits = (digits * 10) + (c - '0');
                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (c == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return false; // an exponent
            }
        }

        if (count == 0)
        {
            return false;
        }

        var magnitude = decimals > 0 ? digits / PowersOfTen[decimals] : digits;
        value = negative ? -magnitude : magnitude;
        return true;
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
