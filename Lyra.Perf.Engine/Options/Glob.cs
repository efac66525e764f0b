using System.Text.RegularExpressions;

namespace Lyra.Perf.Engine.Options;

/// <summary>BenchmarkDotNet's filter globs: '*' any run of characters, '?' one, case-insensitive, whole name.</summary>
public static class Glob
{
    public static bool IsMatch(string pattern, string text) => ToRegex(pattern).IsMatch(text);

    /// <summary>For item patterns (PerfGateRule, PerfClaim): a pattern with no wildcard matches any benchmark whose
    /// name contains it. MSBuild expands '*' in an item's Include as a file glob and silently drops the item when no file
    /// matches, so users write <c>Include="SymbolBenchmarks.Interned"</c> (or escape '*' as %2A).</summary>
    public static bool IsMatchItemPattern(string pattern, string text) =>
        pattern.IndexOfAny(new[] { '*', '?' }) < 0
            ? text.IndexOf(pattern, System.StringComparison.OrdinalIgnoreCase) >= 0
            : IsMatch(pattern, text);

    public static Regex ToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
}
