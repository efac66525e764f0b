using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Lyra.Perf.Engine.Running;

/// <summary>
/// Commands the gate prints for the user to run. Each must run as printed in bash and in PowerShell: an argument goes in
/// single quotes (literal in both shells), and every character either a shell or MSBuild's -p: parser would take apart
/// (quote, space, ',' and ';' which separate properties, '%') is written as MSBuild's %XX escape, which MSBuild
/// turns back into the character before the SDK sees the value.
/// </summary>
public static class ShellCommand
{
    /// <summary>"-p:Name=value", quoted and escaped.</summary>
    public static string Property(string name, string value) => "'-p:" + name + "=" + Escape(value) + "'";

    /// <summary>Re-records the baseline for these benchmarks only.</summary>
    public static string AcceptBaseline(IEnumerable<string> benchmarkIds) =>
        "dotnet build -t:PerfBaseline " + Property("PerfGateFilter",
            string.Join(BenchmarkNames.FilterSeparator.ToString(), benchmarkIds.Select(BenchmarkNames.FilterFor).Distinct(StringComparer.Ordinal)));

    /// <summary>MSBuild's escaping (%XX, two hex digits) for the characters that are not safe inside the quoted argument.
    /// A ';' between filters is escaped too: MSBuild unescapes it into the one property value, and the SDK splits there.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '%' or '\'' or '"' or ' ' or ',' or ';' or '$' or '@' or '`' || char.IsControl(c))
            {
                text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
