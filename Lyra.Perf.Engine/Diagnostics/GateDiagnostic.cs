namespace Lyra.Perf.Engine.Diagnostics;

public enum DiagnosticLevel
{
    Message,
    Warning,
    Error,
}

/// <summary>A finding for the user. The MSBuild layer maps it 1:1 onto a logged warning, error or message.</summary>
public sealed record GateDiagnostic(string Code, DiagnosticLevel Level, string Message)
{
    public string? File { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }

    /// <summary>The benchmark this is about, if any (used to place it at the benchmark's source).</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>A per-benchmark detail that the reports carry and a run-level diagnostic sums up (LPG0206 per benchmark):
    /// logged at normal importance, so a noisy run's console shows the one summary, not a line per benchmark.</summary>
    public bool Detail { get; init; }

    public string HelpLink => DiagnosticCodes.HelpLink(Code);

    public GateDiagnostic At(SourceLocation? location) =>
        location is null ? this : this with { File = location.File, Line = location.Line, Column = location.Column };

    public override string ToString()
    {
        var where = File is null ? "" : Line > 0 ? $"{File}({Line},{Column}): " : $"{File}: ";
        return $"{where}{Level.ToString().ToLowerInvariant()} {Code}: {Message}";
    }
}

public sealed record SourceLocation(string File, int Line, int Column);
