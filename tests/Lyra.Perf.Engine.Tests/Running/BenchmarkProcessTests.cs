using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Lyra.Perf.Engine.Running;

namespace Lyra.Perf.Engine.Tests.Running;

/// <summary>The launcher RunBenchmarks uses, with /bin/sh scripts standing in for misbehaving benchmarks.</summary>
public sealed class BenchmarkProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lyra-process-" + Guid.NewGuid().ToString("N"));

    public BenchmarkProcessTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ProcessResult RunScript(string script, TimeSpan timeout, long logLimit = BenchmarkProcess.DefaultLogLimitBytes)
    {
        var path = Path.Combine(_dir, "bench.sh");
        File.WriteAllText(path, script);
        return BenchmarkProcess.Run(new ProcessLaunch
        {
            FileName = "/bin/sh",
            Arguments = new[] { path },
            WorkingDirectory = _dir,
            LogPath = Path.Combine(_dir, "benchmark-output.log"),
            LogLimitBytes = logLimit,
            Timeout = timeout,
        }, (_, _) => { }, CancellationToken.None);
    }

    /// <summary>Alive and not a zombie (a killed orphan may wait for a reaper that a container's pid 1 is not).</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[text.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private int ReadPid(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var file = Path.Combine(_dir, name);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid))
            {
                return pid;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException(name);
    }

    private static void WaitUntilDead(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }

    // Repro 9: a detached grandchild survived the timeout kill.
    [Fact]
    public void Repro09_a_timed_out_benchmark_is_killed_with_its_detached_grandchildren()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the /proc checks below are Linux's
        }

        var result = RunScript("sh -c 'sleep 99992 & echo $! > grandchild.pid'\necho $$ > child.pid\nsleep 600\n", TimeSpan.FromSeconds(2));
        var grandchild = ReadPid("grandchild.pid");
        var child = ReadPid("child.pid");
        WaitUntilDead(grandchild);

        Assert.Equal(ProcessEnd.TimedOut, result.End);
        Assert.False(IsAlive(child), "the benchmark survived");
        Assert.False(IsAlive(grandchild), "the detached grandchild survived");
    }

    [Fact]
    public void Repro09_what_a_benchmark_leaves_running_after_it_exits_is_killed_and_does_not_hang_the_run()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        var result = RunScript("sleep 99993 &\necho $! > orphan.pid\necho done\n", TimeSpan.FromSeconds(60));
        watch.Stop();
        var orphan = ReadPid("orphan.pid");
        WaitUntilDead(orphan);

        Assert.Equal((ProcessEnd.Exited, 0), (result.End, result.ExitCode));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{watch.Elapsed.TotalSeconds:0.0} s"); // the orphan held the output pipe
        Assert.False(IsAlive(orphan));
        Assert.Contains("done", File.ReadAllText(Path.Combine(_dir, "benchmark-output.log")));
    }

    // Repro 9: benchmark-output.log had no size cap (330 MB in 10 s).
    [Fact]
    public void Repro09_the_output_log_stops_at_its_limit_with_a_note_and_the_run_completes()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var result = RunScript("i=0\nwhile [ $i -lt 20000 ]; do echo \"line $i of a chatty benchmark\"; i=$((i+1)); done\nexit 3\n", TimeSpan.FromSeconds(60), logLimit: 100_000);
        var log = File.ReadAllText(Path.Combine(_dir, "benchmark-output.log"));

        Assert.Equal((ProcessEnd.Exited, 3), (result.End, result.ExitCode));
        Assert.True(new FileInfo(Path.Combine(_dir, "benchmark-output.log")).Length < 100_000 + 200);
        Assert.True(result.LinesNotLogged > 10_000, result.LinesNotLogged.ToString());
        Assert.Contains($"{result.LinesNotLogged} more line(s) of output were not written", log.Split('\n').Reverse().Skip(1).First());
        Assert.StartsWith("line 0 of", log);
    }

    [Fact]
    public void A_missing_program_is_reported_not_thrown()
    {
        var result = BenchmarkProcess.Run(new ProcessLaunch
        {
            FileName = Path.Combine(_dir, "no-such-host"),
            WorkingDirectory = _dir,
            LogPath = Path.Combine(_dir, "log"),
            Timeout = TimeSpan.FromSeconds(10),
        }, (_, _) => { }, CancellationToken.None);

        Assert.True(result.End is ProcessEnd.FailedToStart || (result.End == ProcessEnd.Exited && result.ExitCode != 0), result.ToString());
    }

    // Repro 14: PerfGateRunArguments could not carry a literal quote ("a\"b" arrived as ab).
    [Theory]
    [InlineData("--x \"a\\\"b\"", new[] { "--x", "a\"b" })]
    [InlineData("a\\\"b", new[] { "a\"b" })]
    [InlineData("\"two words\" C:\\dir\\ end", new[] { "two words", "C:\\dir\\", "end" })]
    [InlineData("\"ends in a backslash\\\\\"", new[] { "ends in a backslash\\" })]
    public void Repro14_run_arguments_reach_the_process_literally_quotes_included(string property, string[] expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(expected, BenchmarkArguments.SplitCommandLine(property));
        var path = Path.Combine(_dir, "echo.sh");
        File.WriteAllText(path, "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");

        var result = BenchmarkProcess.Run(new ProcessLaunch
        {
            FileName = "/bin/sh",
            Arguments = new[] { path }.Concat(BenchmarkArguments.SplitCommandLine(property)).ToList(),
            WorkingDirectory = _dir,
            LogPath = Path.Combine(_dir, "benchmark-output.log"),
            Timeout = TimeSpan.FromSeconds(30),
        }, (_, _) => { }, CancellationToken.None);

        Assert.Equal(ProcessEnd.Exited, result.End);
        Assert.Equal(expected.Select(e => "[" + e + "]"), File.ReadAllLines(Path.Combine(_dir, "benchmark-output.log")));
    }
}
