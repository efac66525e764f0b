using System;
using System.IO;
using Lyra.Perf.Engine.Diagnostics;

namespace Lyra.Perf.Tasks;

/// <summary>The last line of defence at a task's edge: an exception nothing else coded becomes LPG0311 naming the
/// file being processed, never MSBuild's MSB4018 stack trace.</summary>
internal static class TaskBoundary
{
    public static bool IsRecoverable(Exception ex) => ex is not (OutOfMemoryException or StackOverflowException or AccessViolationException);

    public static GateDiagnostic Unexpected(Exception ex, string doing, string? file)
    {
        var where = string.IsNullOrEmpty(file) ? "" : " (" + SafeFullPath(file!) + ")";
        return new GateDiagnostic(DiagnosticCodes.UnexpectedFailure, DiagnosticLevel.Error,
            $"Lyra.Perf failed unexpectedly while {doing}{where}: {ex.GetType().Name}: {ex.Message} Check the file; if it looks right, please report this message with the file.")
        { File = string.IsNullOrEmpty(file) ? null : SafeFullPath(file!) };
    }

    private static string SafeFullPath(string file)
    {
        try
        {
            return Path.GetFullPath(file);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            return file;
        }
    }
}
