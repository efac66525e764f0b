using System;
using System.Globalization;
using Lyra.Perf.Engine.Diagnostics;

namespace Lyra.Perf.Engine.Options;

/// <summary>Parses user-written property and item values; a bad value is LPG0401 naming the setting and the fix.</summary>
public static class SettingParser
{
    /// <summary>"5%", "5" (percent) or "0%" → 0.05, 0.05, 0.</summary>
    public static double Percent(string name, string? text, double? max = null)
    {
        var trimmed = (text ?? "").Trim();
        var body = trimmed.EndsWith("%", StringComparison.Ordinal) ? trimmed.Substring(0, trimmed.Length - 1).Trim() : trimmed;
        if (!double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || double.IsNaN(percent) || double.IsInfinity(percent) || percent < 0 || (max is { } m && percent > m))
        {
            throw Invalid(name, text, $"a percentage such as 5%{(max is { } limit ? $" (0 to {limit.ToString(CultureInfo.InvariantCulture)}%)" : "")}");
        }

        return percent / 100.0;
    }

    /// <summary>"1.5x", "1.5" → 1.5; must be at least 1.</summary>
    public static double Factor(string name, string? text)
    {
        var trimmed = (text ?? "").Trim();
        var body = trimmed.EndsWith("x", StringComparison.OrdinalIgnoreCase) || trimmed.EndsWith("×", StringComparison.Ordinal) ? trimmed.Substring(0, trimmed.Length - 1).Trim() : trimmed;
        if (!double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) || double.IsNaN(factor) || double.IsInfinity(factor) || factor < 1)
        {
            throw Invalid(name, text, "a speed-up factor of at least 1, such as 1.5x");
        }

        return factor;
    }

    public static Severity FailOn(string name, string? text)
    {
        var trimmed = (text ?? "").Trim();
        foreach (Severity value in Enum.GetValues(typeof(Severity)))
        {
            if (string.Equals(value.ToString(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw Invalid(name, text, "one of Warning, Minor, Major, Critical, None");
    }

    public static int WholeNumber(string name, string? text, int min, int max)
    {
        if (!int.TryParse((text ?? "").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Invalid(name, text, $"a whole number from {min} to {max}");
        }

        return value;
    }

    public static bool Boolean(string name, string? text)
    {
        var trimmed = (text ?? "").Trim();
        if (string.Equals(trimmed, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(trimmed, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw Invalid(name, text, "true or false");
    }

    public static GateException Invalid(string name, string? text, string expected) =>
        new(new GateDiagnostic(DiagnosticCodes.InvalidSetting, DiagnosticLevel.Error, $"Invalid value '{text}' for {name}: expected {expected}."));
}
