namespace Lyra.Perf.Engine.Options;

/// <summary>BenchmarkDotNet's filter globs: '*' any run of characters, '?' one, case-insensitive, whole name.</summary>
public static class Glob
{
    /// <summary>Linear-time wildcard match (at most pattern × text steps; a regex backtracked exponentially on
    /// <c>*a*a*a*a*a*b</c>): on a mismatch, only the last '*' takes one more character.</summary>
    public static bool IsMatch(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, starText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && SameLetter(pattern[p], text[t]))))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                starText = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>For item patterns (PerfGateRule, PerfClaim): a pattern with no wildcard matches any benchmark whose
    /// name contains it. MSBuild expands '*' in an item's Include as a file glob and silently drops the item when no file
    /// matches, so users write <c>Include="SymbolBenchmarks.Interned"</c> (or escape '*' as %2A).</summary>
    public static bool IsMatchItemPattern(string pattern, string text) =>
        pattern.IndexOfAny(new[] { '*', '?' }) < 0
            ? text.IndexOf(pattern, System.StringComparison.OrdinalIgnoreCase) >= 0
            : IsMatch(pattern, text);

    private static bool SameLetter(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
