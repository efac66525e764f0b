using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Lyra.Perf.Engine.Running;

/// <summary>One benchmark process to run: what, where, for how long, and where its console output goes.</summary>
public sealed record ProcessLaunch
{
    public string FileName { get; init; } = "";
    public IReadOnlyList<string> Arguments { get; init; } = Array.Empty<string>();
    public string WorkingDirectory { get; init; } = "";

    /// <summary>Variables set (or, with a null value, removed) in the child's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The console output (stdout and stderr, as lines) is written here, up to <see cref="LogLimitBytes"/>.</summary>
    public string LogPath { get; init; } = "";

    public long LogLimitBytes { get; init; } = BenchmarkProcess.DefaultLogLimitBytes;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}

public enum ProcessEnd
{
    Exited,
    TimedOut,
    Cancelled,
    FailedToStart,
}

/// <summary>How a launch ended. <see cref="LinesNotLogged"/>: output lines past the log's size limit.</summary>
public sealed record ProcessResult(ProcessEnd End, int ExitCode, string? StartError, long LinesNotLogged);

/// <summary>
/// The one place benchmark processes are started and stopped. On Linux and macOS the process leads its own session
/// (started through <c>setsid</c>), so stopping it kills the whole process group, including grandchildren that
/// detached from their parent (<c>sleep 99992 &amp;</c>), which a parent-child tree walk no longer finds; anything
/// the benchmark leaves running after it exits is killed the same way, so no orphan keeps the output pipe open.
/// </summary>
public static class BenchmarkProcess
{
    /// <summary>benchmark-output.log stops here (a chatty benchmark wrote 330 MB in 10 s).</summary>
    public const long DefaultLogLimitBytes = 32L * 1024 * 1024;

    private static readonly string? SetSid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <param name="onLine">Every output line, with whether it still fit in the log (progress parsing sees them all).</param>
    public static ProcessResult Run(ProcessLaunch launch, Action<string, bool> onLine, CancellationToken cancel)
    {
        var ownGroup = SetSid is not null && !IsWindows;
        var fileName = ownGroup ? SetSid! : launch.FileName;
        var arguments = ownGroup ? new[] { launch.FileName }.Concat(launch.Arguments) : launch.Arguments;
        var start = new ProcessStartInfo(fileName, string.Join(" ", arguments.Select(BenchmarkArguments.Quote)))
        {
            WorkingDirectory = launch.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var variable in launch.Environment)
        {
            if (variable.Value is null)
            {
                start.Environment.Remove(variable.Key);
            }
            else
            {
                start.Environment[variable.Key] = variable.Value;
            }
        }

        using var log = new CappedLog(launch.LogPath, launch.LogLimitBytes);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnData(e.Data);
        process.ErrorDataReceived += (_, e) => OnData(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or FileNotFoundException)
        {
            return new ProcessResult(ProcessEnd.FailedToStart, -1, ex.Message, 0);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var end = Wait(process, launch.Timeout, cancel);
        if (end != ProcessEnd.Exited)
        {
            Stop(process, ownGroup);
            process.WaitForExit(10000);
            return new ProcessResult(end, -1, null, log.LinesNotLogged);
        }

        // Whatever the benchmark left behind goes too: it would hold the output pipe open and outlive the build.
        if (ownGroup)
        {
            KillGroup(process.Id);
        }

        process.WaitForExit(); // Drains the asynchronous output readers.
        return new ProcessResult(ProcessEnd.Exited, process.ExitCode, null, log.LinesNotLogged);

        void OnData(string? line)
        {
            if (line is not null)
            {
                onLine(line, log.WriteLine(line));
            }
        }
    }

    private static ProcessEnd Wait(Process process, TimeSpan timeout, CancellationToken cancel)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return ProcessEnd.TimedOut;
        }

        var until = DateTime.UtcNow + timeout;
        while (!process.WaitForExit(200))
        {
            if (cancel.IsCancellationRequested)
            {
                return ProcessEnd.Cancelled;
            }

            if (DateTime.UtcNow >= until)
            {
                return ProcessEnd.TimedOut;
            }
        }

        return ProcessEnd.Exited;
    }

    private static void Stop(Process process, bool ownGroup)
    {
        if (ownGroup)
        {
            KillGroup(process.Id);
        }

        try
        {
#if NET
            process.Kill(entireProcessTree: true);
#else
            if (IsWindows)
            {
                using var taskkill = Process.Start(new ProcessStartInfo("taskkill", $"/T /F /PID {process.Id}") { UseShellExecute = false, CreateNoWindow = true });
                taskkill?.WaitForExit(10000);
            }
            else
            {
                process.Kill();
            }
#endif
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting while we kill it.
        }
    }

    /// <summary>SIGKILL to every process of the group the benchmark leads (its id is the group's: setsid made it leader).</summary>
    private static void KillGroup(int processGroup)
    {
        try
        {
            _ = kill(-processGroup, 9);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static bool IsWindows => Path.DirectorySeparatorChar == '\\';

    /// <summary>The output log: lines up to the limit, then one note of how much was left out.</summary>
    private sealed class CappedLog : IDisposable
    {
        private readonly object _gate = new();
        private readonly StreamWriter _writer;
        private readonly long _limit;
        private long _written;
        private bool _closed;

        public CappedLog(string path, long limit)
        {
            _writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
            _limit = limit;
        }

        public long LinesNotLogged { get; private set; }

        /// <summary>False once the limit is reached: the line was counted, not written.</summary>
        public bool WriteLine(string line)
        {
            lock (_gate)
            {
                var bytes = Encoding.UTF8.GetByteCount(line) + 1;
                if (_closed || LinesNotLogged > 0 || _written + bytes > _limit)
                {
                    LinesNotLogged++;
                    return false;
                }

                _writer.WriteLine(line);
                _written += bytes;
                return true;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true; // a killed process's last lines can still arrive: they are dropped, not thrown
                if (LinesNotLogged > 0)
                {
                    _writer.WriteLine($"// Lyra.Perf: the log stops at {_limit / (1024 * 1024)} MB; {LinesNotLogged} more line(s) of output were not written.");
                }

                _writer.Dispose();
            }
        }
    }
}
