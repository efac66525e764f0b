using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Lyra.Perf.AbRunner;

// Stand-ins for BenchmarkDotNet's attributes: the runner finds benchmarks by attribute name only (each side may bring its
// own BenchmarkDotNet), so a test assembly with these is what a benchmark assembly looks like to it.
namespace BenchmarkDotNet.Attributes
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class BenchmarkAttribute : Attribute
    {
        public int OperationsPerInvoke { get; set; } = 1;
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ParamsAttribute : Attribute
    {
        public ParamsAttribute(params object[] values) => Values = values;

        public object[] Values { get; }
    }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class ParamsSourceAttribute : Attribute
    {
        public ParamsSourceAttribute(string name) => Name = name;

        public string Name { get; }
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class ArgumentsAttribute : Attribute
    {
        public ArgumentsAttribute(params object[] values) => Values = values;

        public object[] Values { get; }
    }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class GlobalSetupAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class GcServerAttribute : Attribute
    {
        public GcServerAttribute(bool value) => Value = value;

        public bool Value { get; }
    }
}

namespace Lyra.Perf.Engine.Tests.AbRunner
{
    public class ShapedBenchmarks
    {
        [Params(10, 20)]
        public int Size;

        public int SetupCalls;

        [GlobalSetup]
        public void Setup() => SetupCalls++;

        [Benchmark(OperationsPerInvoke = 4)]
        public int Plain() => Size * 2;

        [Benchmark]
        [Arguments(3, "x")]
        [Arguments(5, "y")]
        public string WithArguments(int n, string s) => s + n + Size;

        [Benchmark]
        public object Allocates() => new byte[64];
    }

    [GcServer(true)]
    public class ServerBenchmarks
    {
        [Benchmark]
        public int Run() => 1;
    }

    public class UnsupportedBenchmarks
    {
        [Benchmark]
        public Task Async() => Task.CompletedTask;

        [Benchmark]
        public int NoRows(int n) => n;
    }

    public class SourcedBenchmarks
    {
        [ParamsSource("Values")]
        public int N;

        [Benchmark]
        public int Run() => N;
    }

    public class DiscoveryTests
    {
        private static readonly string Ns = typeof(ShapedBenchmarks).Namespace!;

        [Fact]
        public void Params_and_arguments_give_one_case_each_named_as_BenchmarkDotNet_names_them()
        {
            var (cases, _) = Discovery.Find(typeof(ShapedBenchmarks).Assembly);
            var mine = cases.Where(c => c.Type == typeof(ShapedBenchmarks)).Select(c => c.Id).ToList();
            Assert.Equal(new[]
            {
                $"{Ns}.ShapedBenchmarks.Plain(Size: 10)", $"{Ns}.ShapedBenchmarks.Plain(Size: 20)",
                $"{Ns}.ShapedBenchmarks.WithArguments(n: 3, s: \"x\", Size: 10)", $"{Ns}.ShapedBenchmarks.WithArguments(n: 5, s: \"y\", Size: 10)",
                $"{Ns}.ShapedBenchmarks.WithArguments(n: 3, s: \"x\", Size: 20)", $"{Ns}.ShapedBenchmarks.WithArguments(n: 5, s: \"y\", Size: 20)",
                $"{Ns}.ShapedBenchmarks.Allocates(Size: 10)", $"{Ns}.ShapedBenchmarks.Allocates(Size: 20)",
            }.OrderBy(i => i, StringComparer.Ordinal), mine.OrderBy(i => i, StringComparer.Ordinal));

            var plain = cases.First(c => c.Id == $"{Ns}.ShapedBenchmarks.Plain(Size: 20)");
            Assert.Equal(4, plain.OperationsPerInvoke);
            Assert.Single(plain.GlobalSetups);
            var instance = (ShapedBenchmarks)plain.CreateInstance();
            Assert.Equal(20, instance.Size);
            var last = Assert.IsAssignableFrom<System.Runtime.CompilerServices.IStrongBox>(plain.CompileLoop()(instance, 3));
            Assert.Equal(40, last.Value);
        }

        [Fact]
        public void What_the_runner_cannot_measure_is_named_by_its_filter_with_the_reason_never_dropped()
        {
            var (cases, skipped) = Discovery.Find(typeof(ShapedBenchmarks).Assembly);
            Assert.DoesNotContain(cases, c => c.Type == typeof(ServerBenchmarks) || c.Type == typeof(UnsupportedBenchmarks) || c.Type == typeof(SourcedBenchmarks));
            var byName = skipped.Where(s => !s.Measured).ToDictionary(s => s.Name, s => s.Reason);
            Assert.Contains("process start", byName[$"{Ns}.ServerBenchmarks.Run"]);
            Assert.Contains("GcServer", byName[$"{Ns}.ServerBenchmarks.Run"]);
            Assert.Contains("async", byName[$"{Ns}.UnsupportedBenchmarks.Async"]);
            Assert.Contains("[Arguments]", byName[$"{Ns}.UnsupportedBenchmarks.NoRows"]);
            Assert.Contains("ParamsSource", byName[$"{Ns}.SourcedBenchmarks.Run"]);
        }

        /// <summary>The structure, not the timing: every round of the measuring loop takes at least one unit whatever
        /// the clock says, so <c>Rounds</c> rounds on an allotment too short for more give at least that many units on
        /// any machine load; the test never depends on how many more a fast machine fits in.</summary>
        [Fact]
        public void The_measurer_alternates_the_two_sides_unit_by_unit_and_reads_each_sides_allocations()
        {
            const int rounds = 6;
            var (cases, _) = Discovery.Find(typeof(ShapedBenchmarks).Assembly);
            var a = cases.First(c => c.Id == $"{Ns}.ShapedBenchmarks.Allocates(Size: 10)");
            var b = cases.First(c => c.Id == $"{Ns}.ShapedBenchmarks.Plain(Size: 10)");
            var measurer = new Measurer(new MeasureSettings { IterationMilliseconds = 2, MinimumWarmup = 2, QuietWarmup = 1, Schemes = new[] { Scheme.Interleaved }, Rounds = rounds }, Stopwatch.StartNew());
            var iterations = new System.Collections.Generic.List<Iteration>();
            var summary = measurer.Measure(a, b, 0.01, iterations.Add);
            Assert.Null(summary.Failure);
            var units = iterations.GroupBy(i => i.Unit).OrderBy(u => u.Key).ToList();
            Assert.True(units.Count >= rounds, $"{units.Count} units in {rounds} rounds");
            Assert.Equal(Enumerable.Range(0, units.Count), units.Select(u => u.Key));
            Assert.All(iterations, i => Assert.Equal(Scheme.Interleaved, i.Scheme));
            foreach (var unit in units)
            {
                // One iteration of each side per unit, the same N on both, and ABBA: the side that goes first alternates.
                Assert.Equal(new[] { 'A', 'B' }, unit.OrderBy(i => i.Order).Select(i => i.Side).OrderBy(c => c));
                Assert.Equal(new[] { 0, 1 }, unit.Select(i => i.Order).OrderBy(o => o));
                Assert.Equal(unit.Key % 2 == 0 ? 'A' : 'B', unit.Single(i => i.Order == 0).Side);
                Assert.Single(unit.Select(i => i.Operations / (i.Side == 'B' ? 4 : 1)).Distinct());
            }

            // Each side's own allocations, read on the measuring thread: new byte[64] (88 B) per operation on A, none on B.
            Assert.All(iterations.Where(i => i.Side == 'A'), i => Assert.InRange(i.BytesPerOperation, 64, 120));
            Assert.All(iterations.Where(i => i.Side == 'B'), i => Assert.InRange(i.BytesPerOperation, 0, 1));

            var alone = new System.Collections.Generic.List<Iteration>();
            Assert.Null(measurer.Measure(b, null, 0.01, alone.Add, 'B').Failure);
            Assert.True(alone.Count >= rounds, $"{alone.Count} iterations alone in {rounds} rounds");
            Assert.All(alone, i => Assert.Equal('B', i.Side));
        }
    }
}
