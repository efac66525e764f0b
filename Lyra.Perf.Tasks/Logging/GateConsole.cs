using System;
using System.Collections.Generic;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks.Logging;

/// <summary>
/// Progress ("benchmark k of N") and the end-of-run summary, visible by default both under the Terminal Logger
/// (the default of <c>dotnet build</c> since .NET 9) and with <c>-tl:off</c>.
/// <para>
/// Why not plain messages: the Terminal Logger drops every message, even <see cref="MessageImportance.High"/>, below
/// <c>-v:detailed</c>. It does render two kinds of <see cref="ExtendedBuildMessageEventArgs"/> (high importance) for a
/// project it considers a test project — one in which a target named <c>_TestRunStart</c> has started (the SDK's
/// Microsoft.TestPlatform.targets defines it empty "to mark start of the actual test running … for the Terminal
/// Logger"): <c>TLTESTOUTPUT</c> is printed at once as a permanent line, and <c>TLTESTPASSED</c> replaces the project's
/// live status line with metadata <c>localizedResult</c> (green) and <c>displayName</c>. The console logger (-tl:off)
/// prints both like any high-importance message. This is what <c>dotnet test</c>'s VSTest task uses.
/// </para>
/// <para>
/// Requirements: the calling target must run <c>_TestRunStart</c> first in the same project (e.g.
/// <c>DependsOnTargets="_TestRunStart;…"</c>), and the task must run in the build node, not in an out-of-process task
/// host (<c>TaskFactory="TaskHostFactory"</c>, or MSBuild's multi-threaded mode for tasks not marked thread-safe):
/// MSBuild up to at least 18.9 drops extended events coming from a task host (dotnet/msbuild#14874, fixed by #14876).
/// There this class falls back to plain high-importance messages (shown with -tl:off or -v:d only).
/// </para>
/// </summary>
public sealed class GateConsole
{
    /// <summary>Printed at once by the Terminal Logger (for a project marked as a test project).</summary>
    public const string OutputEventType = "TLTESTOUTPUT";

    /// <summary>Replaces the project's live status line in the Terminal Logger.</summary>
    public const string StatusEventType = "TLTESTPASSED";

    /// <summary>The target whose start makes the Terminal Logger treat a project as a test project.</summary>
    public const string MarkerTarget = "_TestRunStart";

    private const string SenderName = "PerfGate";

    private readonly TaskLoggingHelper _log;
    private readonly IBuildEngine? _engine;
    private bool _explainedFallback;

    public GateConsole(Task task)
        : this(task.Log, task.BuildEngine)
    {
    }

    public GateConsole(TaskLoggingHelper log, IBuildEngine? engine)
    {
        _log = log;
        _engine = engine;
        ExtendedEventsSupported = engine is not null && !IsOutOfProcTaskHost(engine);
    }

    /// <summary>False in an out-of-process task host, whose extended events MSBuild drops: plain messages are used instead.</summary>
    public bool ExtendedEventsSupported { get; }

    /// <summary>A benchmark (or a launch of it) starts: the live status under the Terminal Logger, a line with -tl:off.</summary>
    /// <param name="index">1-based.</param>
    /// <param name="timing">Elapsed and estimated remaining time ("0:42 elapsed, about 3 min left"), when known.</param>
    public void Progress(int index, int total, string benchmarkId, string? detail = null, string? timing = null)
    {
        var counter = $"[{index}/{total}]";
        var name = detail is null ? benchmarkId : $"{benchmarkId} ({detail})";
        var line = $"Running benchmark {index} of {total}: {name}" + (timing is null ? "" : " · " + timing);
        if (!ExtendedEventsSupported)
        {
            Fallback(line);
            return;
        }

        _engine!.LogMessageEvent(new ExtendedBuildMessageEventArgs(StatusEventType, line, null, SenderName, MessageImportance.High)
        {
            ExtendedMetadata = new Dictionary<string, string?>
            {
                ["localizedResult"] = counter,
                ["displayName"] = "running " + name + (timing is null ? "" : " · " + timing),
            },
        });
    }

    /// <summary>A permanent line in both loggers (a finished benchmark, a summary line).</summary>
    public void Line(string text)
    {
        if (!ExtendedEventsSupported)
        {
            Fallback(text);
            return;
        }

        _engine!.LogMessageEvent(new ExtendedBuildMessageEventArgs(OutputEventType, text, null, SenderName, MessageImportance.High));
    }

    /// <summary>Several permanent lines, in order (e.g. <c>SummaryFormatter.Format</c>).</summary>
    public void Lines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Line(line);
        }
    }

    /// <summary>The same, as one event, so no other project's output interleaves with it.</summary>
    public void Block(IEnumerable<string> lines) => Line(string.Join(Environment.NewLine, lines));

    /// <summary>The task host process's build engine is MSBuild's OutOfProcTaskHostNode.</summary>
    public static bool IsOutOfProcTaskHost(IBuildEngine engine) =>
        engine.GetType().FullName?.EndsWith("OutOfProcTaskHostNode", StringComparison.Ordinal) == true;

    private void Fallback(string text)
    {
        if (!_explainedFallback)
        {
            _explainedFallback = true;
            _log.LogMessage(MessageImportance.Low, "PerfGate runs in an out-of-process task host: progress and summary are plain messages, which the Terminal Logger shows only with -v:detailed (dotnet/msbuild#14874).");
        }

        _log.LogMessage(MessageImportance.High, text);
    }
}
