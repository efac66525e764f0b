namespace Lyra.Perf.Engine.Options;

/// <summary>How bad a regression is; ordered so that comparisons read naturally.</summary>
public enum Severity
{
    /// <summary>As a FailOn value: nothing fails the build.</summary>
    None = 0,
    Warning = 1,
    Minor = 2,
    Major = 3,
    Critical = 4,
}
