using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Options;
using Lyra.Perf.Engine.Tests.Reports;

namespace Lyra.Perf.Engine.Tests.Options;

/// <summary>The settings are defined once (Engine.Options.Settings): Sdk.targets, the README's configuration table
/// and the docs must say the same, so a default cannot drift again.</summary>
public class SettingsAgreementTests
{
    private static readonly string Root = ReportFixture.RepositoryRoot();

    /// <summary>Item types, targets and properties of the SDK that are not user settings.</summary>
    private static readonly HashSet<string> NotSettings = new(StringComparer.Ordinal) { "PerfGate", "PerfGateRule", "PerfGateDependsOn", "PerfGateEntryPoint", "PerfGateCpuDiagnoser", "PerfGateResultsExporter" }; // the last three: the SDK's source compiled into a gate build

    private static Dictionary<string, string> SdkDefaults()
    {
        var targets = File.ReadAllText(Path.Combine(Root, "Lyra.Perf.Sdk", "Sdk", "Sdk.targets"));
        // The default is the assignment conditioned only on the property being empty.
        return Regex.Matches(targets, @"<(PerfGate\w+) Condition=""'\$\(\1\)' == ''"">([^<]*)</\1>")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
    }

    /// <summary>README configuration rows: property → default cell (rows naming several properties split on " / ").</summary>
    private static Dictionary<string, string> ReadmeDefaults()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in Regex.Matches(section, @"^\| (`PerfGate[^|]*) \| ([^|]*) \|", RegexOptions.Multiline))
        {
            var names = row.Groups[1].Value.Split(" / ").Select(n => n.Trim('`', ' ')).ToList();
            var cells = row.Groups[2].Value.Split(" / ");
            for (var i = 0; i < names.Count; i++)
            {
                rows[names[i]] = (cells.Length == names.Count ? cells[i] : row.Groups[2].Value).Trim();
            }
        }

        return rows;
    }

    [Fact]
    public void Every_setting_has_a_unique_PerfGate_name_and_a_meaning_and_its_default_parses()
    {
        Assert.Equal(Settings.All.Count, Settings.All.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Settings.All, s =>
        {
            Assert.StartsWith("PerfGate", s.Name, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(s.Meaning), s.Name);
        });
        Assert.Equal(0.05, Settings.Threshold.DefaultValue);
        Assert.Equal(Severity.Major, Settings.FailOn.DefaultValue);
        Assert.Equal(5, Settings.Launches.DefaultValue);
        Assert.Equal(new GateOptions().Threshold, Settings.Threshold.DefaultValue);
    }

    [Fact]
    public void A_blank_value_is_the_default_and_a_bad_one_names_the_property()
    {
        Assert.Equal(5, Settings.Launches.Parse("  "));
        Assert.Equal(3, Settings.Launches.Parse("3"));
        var error = Assert.Throws<GateException>(() => Settings.Launches.Parse("0"));
        Assert.Equal(DiagnosticCodes.InvalidSetting, error.Diagnostic.Code);
        Assert.Contains("PerfGateLaunches", error.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sdk_targets_sets_exactly_the_tables_defaults()
    {
        var sdk = SdkDefaults();
        var table = Settings.All.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Assert.All(sdk.Keys, name => Assert.True(table.ContainsKey(name), $"{name} has a default in Sdk.targets but is not in Engine.Options.Settings"));
        foreach (var setting in Settings.All.Where(s => s.Default is { Length: > 0 }))
        {
            Assert.True(sdk.TryGetValue(setting.Name, out var value), $"Sdk.targets gives {setting.Name} no default");
            Assert.Equal(setting.Default, value);
        }

        foreach (var setting in Settings.All.Where(s => s.Default is "" && sdk.ContainsKey(s.Name)))
        {
            Assert.Equal("", sdk[setting.Name]);
        }
    }

    [Fact]
    public void The_README_configuration_table_lists_every_setting_with_the_tables_default()
    {
        var readme = ReadmeDefaults();
        Assert.All(readme.Keys, name => Assert.True(Settings.All.Any(s => s.Name == name), $"README lists {name}, which is not a setting"));
        foreach (var setting in Settings.All)
        {
            Assert.True(readme.TryGetValue(setting.Name, out var cell), $"README's configuration table lacks {setting.Name}");
            if (setting.Default is "")
            {
                Assert.StartsWith("empty", cell, StringComparison.Ordinal);
            }
            else if (setting.Default is { } value)
            {
                Assert.Contains("`" + value + "`", cell, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_docs_name_only_real_settings()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md"));
        var names = Settings.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var mentioned = Regex.Matches(File.ReadAllText(file), @"\bPerfGate\w*").Select(m => m.Value).Distinct(StringComparer.Ordinal);
            Assert.All(mentioned, name => Assert.True(names.Contains(name) || NotSettings.Contains(name),
                $"{Path.GetFileName(file)} names {name}, which is not a setting in Engine.Options.Settings"));
        }
    }
}
