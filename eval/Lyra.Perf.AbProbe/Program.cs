using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Lyra.Perf.AbProbe;

internal static class Program
{
    private const string Usage = """
        Lyra.Perf.AbProbe — both builds side by side in one process, iterations alternated (issue 13 measurement probe).

          run      --a DIR --b DIR --out FILE.tsv [--filter GLOB]… [--assembly NAME] [--budget 180] [--iteration-ms 30]
                   [--block 5] [--rounds 4] [--schemes interleaved,blocked] [--min-warmup 8] [--no-force-gc]
                   [--static Namespace.Type.Member]…
                   A = the change, B = the base (ratios are A/B); DIR = a build output folder (bin/Release/net10.0).
          analyse  FILE.tsv… [--threshold 5] [--suite-seconds 60] [--out SUMMARY.tsv]
          list     --a DIR [--assembly NAME]         the benchmark cases found, and what is skipped
          selftest --base DIR --slow DIR [--same DIR] [--seconds 24] [--slow-factor 1.25]
                   checks that can fail: the statistics on seeded synthetic pairs; one folder loaded twice (A = B) gives
                   intervals containing 1; the slow build (Factor = 1.25) reads > 1.1 on slowed benchmarks.
        """;

    public static int Main(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            var options = Arguments.Parse(args.Skip(1).ToArray());
            return args[0] switch
            {
                "run" => Run(options),
                "analyse" or "analyze" => Analyse(options),
                "list" => List(options),
                "selftest" => SelfTest.Run(options, Console.Out),
                _ => throw new ProbeException($"unknown command '{args[0]}'\n{Usage}"),
            };
        }
        catch (ProbeException e)
        {
            Console.Error.WriteLine("ab-probe: " + e.Message);
            return 2;
        }
        catch (RunnerException e)
        {
            Console.Error.WriteLine("ab-probe: " + e.Message + " (build the sides first: eval/ab-probe.sh prepare)");
            return 2;
        }
    }

    public static MeasureSettings Settings(Arguments options) => new()
    {
        BudgetSeconds = options.Number("budget", 180),
        IterationMilliseconds = options.Number("iteration-ms", 30),
        BlockSize = (int)options.Number("block", 5),
        Rounds = (int)options.Number("rounds", 4),
        MinimumWarmup = (int)options.Number("min-warmup", 8),
        ForceGc = !options.Flag("no-force-gc"),
        Schemes = (options.Single("schemes") ?? "interleaved,blocked").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s is Scheme.Interleaved or Scheme.Blocked ? s : throw new ProbeException($"unknown scheme '{s}' (interleaved, blocked)")).ToList(),
    };

    private static int Run(Arguments options)
    {
        var run = new ProbeRun.Options(options.Required("a"), options.Required("b"), options.Required("out"), options.Single("assembly"), options.All("filter"), Settings(options), options.All("static"));
        var result = ProbeRun.Run(run, Console.Out);
        var failed = result.Benchmarks.Count(b => b.Failure is not null);
        Console.WriteLine($"wrote {run.Output}: {result.Benchmarks.Count} benchmark(s), {failed} failed; analyse with: analyse {run.Output}");
        return failed == 0 ? 0 : 1;
    }

    private static int Analyse(Arguments options)
    {
        if (options.Positional.Count == 0)
        {
            throw new ProbeException("analyse: give one or more probe TSV files");
        }

        var threshold = options.Number("threshold", 5) / 100;
        var suite = options.Number("suite-seconds", 60);
        var results = options.Positional.SelectMany(p => Analysis.Analyse(RunData.Read(p), threshold, suite)).ToList();
        Analysis.Write(results, Console.Out, options.Single("out"), threshold, suite);
        return 0;
    }

    private static int List(Arguments options)
    {
        var side = Side.Open("A", options.Required("a"), options.Single("assembly"));
        var (cases, skipped) = Discovery.Find(side.MainAssembly);
        foreach (var c in cases)
        {
            Console.WriteLine(c.Id + (c.IterationSetups.Count > 0 ? "  [IterationSetup]" : "") + (c.OperationsPerInvoke > 1 ? $"  [OperationsPerInvoke={c.OperationsPerInvoke}]" : ""));
        }

        foreach (var s in skipped)
        {
            Console.WriteLine("skipped: " + s);
        }

        return 0;
    }
}

/// <summary><c>--name value</c> options (repeatable), <c>--flag</c> switches and positional arguments.</summary>
internal sealed class Arguments
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "no-force-gc" };
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = new();

    public static Arguments Parse(string[] args)
    {
        var result = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                result.Positional.Add(args[i]);
                continue;
            }

            var name = args[i][2..];
            if (Flags.Contains(name))
            {
                result.Add(name, "true");
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ProbeException($"--{name} needs a value");
            }

            result.Add(name, args[++i]);
        }

        return result;
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = new List<string>();
        }

        list.Add(value);
    }

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : new List<string>();

    public string? Single(string name) => All(name) is { Count: > 0 } list ? list[^1] : null;

    public string Required(string name) => Single(name) ?? throw new ProbeException($"--{name} is required");

    public bool Flag(string name) => Single(name) == "true";

    public double Number(string name, double fallback)
    {
        var text = Single(name);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0
            ? value
            : throw new ProbeException($"--{name} must be a positive number, got '{text}'");
    }
}

/// <summary>A probe input or run problem, reported as one line and exit code 2 (research code: no LPG codes).</summary>
internal sealed class ProbeException : Exception
{
    public ProbeException(string message)
        : base(message)
    {
    }
}
