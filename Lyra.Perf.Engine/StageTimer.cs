using System;
using System.Diagnostics;

namespace Lyra.Perf.Engine;

/// <summary>
/// Times the gate's consecutive steps for an observer (<see cref="GateRequest.OnStage"/>: the engine benchmarks'
/// <c>--stages</c> time the real pipeline, not a copy of it). <see cref="For"/> gives null without an observer, so an
/// untimed gate pays one null check per step and never reads the clock.
/// </summary>
public sealed class StageTimer
{
    private readonly Action<string, TimeSpan> _observer;
    private long _start;

    private StageTimer(Action<string, TimeSpan> observer)
    {
        _observer = observer;
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>A timer started now, or null when nobody observes.</summary>
    public static StageTimer? For(Action<string, TimeSpan>? observer) => observer is null ? null : new StageTimer(observer);

    /// <summary>Reports a part's own duration, measured by its caller (parts made side by side); the next step's time
    /// still runs from the previous step's end.</summary>
    public void Record(string stage, TimeSpan duration) => _observer(stage, duration);

    /// <summary>Reports the time since the previous step ended (or the timer started) as <paramref name="stage"/>.</summary>
    public void Lap(string stage)
    {
        var elapsed = Stopwatch.GetTimestamp() - _start;
        _observer(stage, TimeSpan.FromTicks((long)(elapsed * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency))));

        _start = Stopwatch.GetTimestamp(); // The observer's own time is no step's.
    }
}
