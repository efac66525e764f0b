using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Lyra.Perf.Engine.Running;

/// <summary>
/// Job settings the runtime reads when a process starts ([GcServer(true)], [GcConcurrent], CpuGroups, heap count, a
/// job's environment variables): an in-process job cannot apply them to the process it already runs in. The SDK's
/// entry point leaves such benchmarks out of the gate's main process and names, one line each, the settings they need
/// ("// Lyra.Perf: own process DOTNET_gcServer=1 Ns.T.M"); the gate then starts one benchmark process per distinct set
/// with those variables, and that process writes <see cref="InEffectFile"/> beside its results once it has checked
/// they are in effect. Only then does the fingerprint record them.
/// </summary>
public static class ProcessSettings
{
    /// <summary>The settings a process was started for (the entry point runs only the benchmarks that need exactly these).</summary>
    public const string Variable = "LYRA_PERF_PROCESS";

    /// <summary>PerfGateExclude's globs, for the entry point (';'-separated, the syntax of --filter).</summary>
    public const string ExcludeVariable = "LYRA_PERF_EXCLUDE";

    /// <summary>Beside a process's results: the settings it verified were in effect, one "NAME=value" a line.</summary>
    public const string InEffectFile = "lyra-perf-process-settings.txt";

    private const string OwnProcessPrefix = "// Lyra.Perf: own process ";
    private const string ExcludedPrefix = "// Lyra.Perf: excluded ";
    private const string NotInEffectPrefix = "// Lyra.Perf: not in effect: ";

    /// <summary>"// Lyra.Perf: own process DOTNET_gcServer=1 Ns.T.M(N: 1)" → ("DOTNET_gcServer=1", "Ns.T.M(N: 1)").</summary>
    public static (string Settings, string Benchmark)? OwnProcess(string line)
    {
        if (!line.StartsWith(OwnProcessPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = line.Substring(OwnProcessPrefix.Length).TrimEnd();
        var space = rest.IndexOf(' ');
        return space <= 0 ? null : (rest.Substring(0, space), rest.Substring(space + 1));
    }

    /// <summary>"// Lyra.Perf: excluded Ns.T.M(N: 1)" → "Ns.T.M(N: 1)".</summary>
    public static string? Excluded(string line) =>
        line.StartsWith(ExcludedPrefix, StringComparison.Ordinal) ? line.Substring(ExcludedPrefix.Length).TrimEnd() : null;

    /// <summary>"// Lyra.Perf: not in effect: DOTNET_gcServer=1" → "DOTNET_gcServer=1".</summary>
    public static string? NotInEffect(string line) =>
        line.StartsWith(NotInEffectPrefix, StringComparison.Ordinal) ? line.Substring(NotInEffectPrefix.Length).TrimEnd() : null;

    /// <summary>The environment variables of a settings string ("A=1;B=x%3By" → A=1, B=x;y).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Variables(string settings)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var part in settings.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException($"'{part}' is not NAME=value");
            }

            variables.Add(new KeyValuePair<string, string>(Unescape(part.Substring(0, equals)), Unescape(part.Substring(equals + 1))));
        }

        return variables;
    }

    /// <summary>Whether a report's process checked its start-up settings were in effect: the file in the report's folder
    /// or the one above it (BenchmarkDotNet writes reports to ARTIFACTS/results/).</summary>
    public static bool AppliedTo(string reportPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(reportPath));
        return folder is not null
            && (File.Exists(Path.Combine(folder, InEffectFile)) || (Path.GetDirectoryName(folder) is { } parent && File.Exists(Path.Combine(parent, InEffectFile))));
    }

    /// <summary>The settings as a reader sees them: "DOTNET_gcServer=1; MY_VAR=a b".</summary>
    public static string Describe(string settings) =>
        string.Join("; ", Variables(settings).Select(v => v.Key + "=" + v.Value));

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && int.TryParse(text.Substring(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                result.Append((char)code);
                i += 2;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
