using System.Text.RegularExpressions;

namespace Lyra.Perf.Engine.Options;

/// <summary>BenchmarkDotNet's filter globs: '*' any run of characters, '?' one, case-insensitive, whole name.</summary>
public static class Glob
{
    public static bool IsMatch(string pattern, string text) => ToRegex(pattern).IsMatch(text);

    public static Regex ToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
}
