using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Diagnostics;

namespace Lyra.Perf.Engine.Tests.DiagnosticsDocs;

public class DiagnosticCodesTests
{
    private static readonly string[] Codes = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string) && ((string)f.GetRawConstantValue()!).StartsWith("LPG", StringComparison.Ordinal))
        .Select(f => (string)f.GetRawConstantValue()!).ToArray();

    private static string Documentation()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "docs", "diagnostics.md");
            if (File.Exists(file))
            {
                return File.ReadAllText(file);
            }
        }

        throw new FileNotFoundException("docs/diagnostics.md not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Codes_are_unique_well_formed_and_titled()
    {
        Assert.True(Codes.Length >= 20);
        Assert.Equal(Codes.Length, Codes.Distinct().Count());
        Assert.All(Codes, c => Assert.Matches(@"^LPG0[1-4]\d\d$", c));
        Assert.All(Codes, c => Assert.True(DiagnosticCodes.Titles.ContainsKey(c), c + " has no title"));
    }

    [Fact]
    public void Every_code_has_a_section_in_docs_diagnostics_md_that_its_help_link_points_to()
    {
        var doc = Documentation();

        Assert.All(Codes, code =>
        {
            Assert.Matches(new Regex("^## " + code + "$", RegexOptions.Multiline), doc);
            Assert.EndsWith("diagnostics.md#" + code.ToLowerInvariant(), DiagnosticCodes.HelpLink(code));
        });
    }
}
