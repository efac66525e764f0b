using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Lyra.Perf.EndToEnd.Tests.Infrastructure;

public static class Processes
{
    /// <summary>Command lines of live processes that mention <paramref name="text"/> (Linux /proc).</summary>
    public static IReadOnlyList<string> CommandLinesContaining(string text)
    {
        var found = new List<string>();
        if (!Directory.Exists("/proc"))
        {
            return found;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text))
                {
                    found.Add(commandLine);
                }
            }
            catch (IOException)
            {
            }
            catch (System.UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
