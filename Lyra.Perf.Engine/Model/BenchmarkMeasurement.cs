using System;
using System.Collections.Generic;
using System.Linq;

namespace Lyra.Perf.Engine.Model;

/// <summary>What one process (launch) measured for one benchmark.</summary>
public sealed record LaunchMeasurement
{
    /// <summary>Steady-state iteration times, nanoseconds per operation, in the order taken.</summary>
    public IReadOnlyList<double> Samples { get; init; } = Array.Empty<double>();

    public double? AllocatedBytesPerOperation { get; init; }

    /// <summary>Operations in the one iteration MemoryDiagnoser measured allocations over (BenchmarkDotNet's
    /// Memory.TotalOperations). The reading spreads that iteration's fixed allocations (background tiered-JIT work,
    /// counted process-wide) over this many operations (AllocationIterationShare).</summary>
    public double? AllocationOperations { get; init; }

    /// <summary>Collections per 1000 operations (BenchmarkDotNet's convention).</summary>
    public double? Gen0PerThousandOps { get; init; }

    public double? Gen1PerThousandOps { get; init; }

    public double? Gen2PerThousandOps { get; init; }

    /// <summary>Cores the benchmark process used during the actual workload iterations: its CPU time per wall time
    /// (the SDK's PerfGateCpuDiagnoser). Null where not measured (older reports and baselines).</summary>
    public double? CoresUsed { get; init; }

    /// <summary>Cores other processes kept busy meanwhile: the system's busy time (steal included) minus this
    /// process's, per wall time. Null where not measured (no /proc/stat: Windows, macOS; older reports).</summary>
    public double? OtherLoadCores { get; init; }

    /// <summary>The report this launch came from, for messages.</summary>
    public string? SourceFile { get; init; }

    /// <summary>The recording session (one gate or baseline run) this launch belongs to, where launches of one
    /// benchmark come from several; null = one session. Launches of one session are consecutive processes that share
    /// the machine's state, so they move together (StatisticalJudgeSettings.RunSpread).</summary>
    public string? Session { get; init; }

    /// <summary>In an A/B run: the launch's place in the alternating sequence ("run-2", "confirm-1"). The other
    /// side's launch with the same slot ran right next to it in time, so the paired judge compares the two.</summary>
    public string? Slot { get; init; }

    public double Median => Statistics.Descriptive.Median(Samples);
}

/// <summary>One benchmark's measurements across every launch of a run.</summary>
public sealed record BenchmarkMeasurement
{
    /// <summary>Stable key: BenchmarkDotNet's full name with parameters, plus the job's settings where a class runs several jobs.</summary>
    public string Id { get; init; } = "";

    public string? Namespace { get; init; }
    public string Type { get; init; } = "";
    public string Method { get; init; } = "";
    public string? Parameters { get; init; }

    private readonly IReadOnlyList<LaunchMeasurement> _launches = Array.Empty<LaunchMeasurement>();

    // Values derived from the launches, computed once; new launches (a with-expression's) start a new one.
    private readonly Derived _derived = new();

    public IReadOnlyList<LaunchMeasurement> Launches
    {
        get => _launches;
        init => (_launches, _derived) = (value, new Derived());
    }

    /// <summary>Why the benchmark produced no usable result; null when it did.</summary>
    public string? Failure { get; init; }

    public bool Failed => Failure is not null;

    /// <summary>Type name with namespace, as the PDB and the user know it.</summary>
    public string QualifiedType => string.IsNullOrEmpty(Namespace) ? Type : Namespace + "." + Type;

    public IEnumerable<double> AllSamples => Launches.SelectMany(l => l.Samples);

    /// <summary>How many recording sessions (runs) the launches come from; at least 1.</summary>
    public int Sessions => Math.Max(1, Launches.Select(l => l.Session).Distinct(StringComparer.Ordinal).Count());

    /// <summary>The typical time: the median of launch medians, so each process counts once.</summary>
    /// <remarks>Computed once (the judge, drift, the history and every report ask for it, and each launch's median
    /// sorts its samples).</remarks>
    public double? TypicalNanoseconds
    {
        get
        {
            if (_derived.Typical is { } known)
            {
                return known.Value;
            }

            var medians = Launches.Where(l => l.Samples.Count > 0).Select(l => l.Median).ToList();
            double? typical = medians.Count == 0 ? null : Statistics.Descriptive.Median(medians);
            _derived.Typical = new System.Runtime.CompilerServices.StrongBox<double?>(typical);
            return typical;
        }
    }

    public double? AllocatedBytesPerOperation => MedianOf(l => l.AllocatedBytesPerOperation);

    public double? AllocationOperations => MedianOf(l => l.AllocationOperations);

    /// <summary>Median over launches of the cores the benchmark used; null where no launch measured it.</summary>
    public double? CoresUsed => MedianOf(l => l.CoresUsed);

    /// <summary>Median over launches of the cores other processes kept busy while it ran.</summary>
    public double? OtherLoadCores => MedianOf(l => l.OtherLoadCores);

    public double? Gen0PerThousandOps => MedianOf(l => l.Gen0PerThousandOps);

    public double? Gen1PerThousandOps => MedianOf(l => l.Gen1PerThousandOps);

    public double? Gen2PerThousandOps => MedianOf(l => l.Gen2PerThousandOps);

    /// <summary>What a measurement computes from its launches, kept: not part of what it is (any two are equal, so a
    /// measurement's equality is its properties' alone). A value is written once, whole (two threads asking at once
    /// compute the same).</summary>
    private sealed class Derived
    {
        public System.Runtime.CompilerServices.StrongBox<double?>? Typical;

        public override bool Equals(object? obj) => obj is Derived;

        public override int GetHashCode() => 0;
    }

    private double? MedianOf(Func<LaunchMeasurement, double?> selector)
    {
        var values = Launches.Select(selector).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : Statistics.Descriptive.Median(values);
    }
}

/// <summary>Everything one run (or one results folder) produced.</summary>
public sealed record RunResult
{
    public RunEnvironment Environment { get; init; } = new();
    public IReadOnlyList<BenchmarkMeasurement> Benchmarks { get; init; } = Array.Empty<BenchmarkMeasurement>();
}
