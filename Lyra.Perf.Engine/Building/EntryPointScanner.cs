using System;
using System.Text.RegularExpressions;

namespace Lyra.Perf.Engine.Building;

/// <summary>
/// Tells from source text whether a project already has an entry point, so the SDK supplies one only to
/// projects that have none. Only hand-written files are scanned (the SDK skips obj/), and only when they changed;
/// a heuristic on purpose, so no compiler loads into MSBuild; <c>PerfGateGenerateEntryPoint</c> overrides it either way.
/// </summary>
public static class EntryPointScanner
{
    private static readonly Regex MainMethod = new(
        @"\bstatic\s+(?:async\s+)?(?:void|int|System\.Int32|Task|Task\s*<\s*int\s*>|System\.Threading\.Tasks\.Task(?:\s*<\s*int\s*>)?|ValueTask(?:\s*<\s*int\s*>)?)\s+Main\s*\(",
        RegexOptions.CultureInvariant);

    private static readonly Regex DeclarationStart = new(
        @"^(?:namespace|using|\[|public|internal|private|protected|file|static|sealed|abstract|partial|readonly|unsafe|class|struct|record|interface|enum|delegate|extern|#|//|/\*|\*|}|{)",
        RegexOptions.CultureInvariant);

    public static bool HasEntryPoint(string source) => HasMainMethod(source) || HasTopLevelStatements(source);

    public static bool HasMainMethod(string source) => MainMethod.IsMatch(StripComments(source));

    /// <summary>A file whose first code line (after usings and comments) is a statement, not a declaration.</summary>
    public static bool HasTopLevelStatements(string source)
    {
        foreach (var raw in StripComments(source).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            // "global using X;" (a user's own Usings.cs; the SDK's GlobalUsings.g.cs is never scanned) is a directive.
            if (line.StartsWith("global using ", StringComparison.Ordinal))
            {
                line = line.Substring("global ".Length);
            }

            if (line.StartsWith("using ", StringComparison.Ordinal) && !line.StartsWith("using (", StringComparison.Ordinal) && !line.StartsWith("using var ", StringComparison.Ordinal))
            {
                continue;
            }

            return !DeclarationStart.IsMatch(line);
        }

        return false;
    }

    private static string StripComments(string source) =>
        Regex.Replace(source, @"/\*.*?\*/|//[^\n]*", "", RegexOptions.Singleline | RegexOptions.CultureInvariant);
}
