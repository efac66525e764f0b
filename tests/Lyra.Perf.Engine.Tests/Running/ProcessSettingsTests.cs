using System.Collections.Generic;
using System.IO;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Tests.Running;

/// <summary>The entry point's lines for benchmarks that need a process of their own, and the settings they carry.</summary>
public sealed class ProcessSettingsTests
{
    [Fact]
    public void An_own_process_line_names_the_settings_and_the_benchmark_with_its_parameters()
    {
        Assert.Equal(("DOTNET_gcServer=1", "Ns.T.M(N: 16, S: \"a b\")"), ProcessSettings.OwnProcess("// Lyra.Perf: own process DOTNET_gcServer=1 Ns.T.M(N: 16, S: \"a b\")"));
        Assert.Null(ProcessSettings.OwnProcess("// Lyra.Perf: excluded Ns.T.M"));
        Assert.Equal("Ns.T.M(N: 16)", ProcessSettings.Excluded("// Lyra.Perf: excluded Ns.T.M(N: 16)"));
        Assert.Equal("DOTNET_gcServer=1", ProcessSettings.NotInEffect("// Lyra.Perf: not in effect: DOTNET_gcServer=1"));
    }

    [Fact]
    public void Settings_decode_into_the_variables_the_process_is_started_with()
    {
        // The entry point writes '%', ';', ' ', '=' and control characters as %XX.
        var variables = ProcessSettings.Variables("DOTNET_gcConcurrent=0;DOTNET_gcServer=1;MY_VAR=a%20b%3Bc%3Dd%25");
        Assert.Equal(new[]
        {
            new KeyValuePair<string, string>("DOTNET_gcConcurrent", "0"),
            new KeyValuePair<string, string>("DOTNET_gcServer", "1"),
            new KeyValuePair<string, string>("MY_VAR", "a b;c=d%"),
        }, variables);
        Assert.Empty(ProcessSettings.Variables(""));
        Assert.Equal("DOTNET_gcServer=1; MY_VAR=a b", ProcessSettings.Describe("DOTNET_gcServer=1;MY_VAR=a%20b"));
        Assert.Throws<System.FormatException>(() => ProcessSettings.Variables("novalue"));
    }

    [Fact]
    public void A_report_counts_as_started_with_its_settings_only_beside_the_process_file()
    {
        var root = Path.Combine(Path.GetTempPath(), "lyra-process-" + System.Guid.NewGuid().ToString("N"));
        var results = Path.Combine(root, "process-1", "results");
        Directory.CreateDirectory(results);
        var report = Path.Combine(results, "Ns.T-report-full.json");
        try
        {
            Assert.False(ProcessSettings.AppliedTo(report));
            File.WriteAllText(Path.Combine(root, "process-1", ProcessSettings.InEffectFile), "DOTNET_gcServer=1\n");
            Assert.True(ProcessSettings.AppliedTo(report));
            Assert.False(ProcessSettings.AppliedTo(Path.Combine(root, "results", "Ns.U-report-full.json")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
