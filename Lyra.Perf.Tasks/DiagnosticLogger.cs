using Lyra.Perf.Engine.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Lyra.Perf.Tasks;

/// <summary>Maps engine diagnostics 1:1 onto MSBuild's structured events (code, file, line, column, help link),
/// which is what terminals, CI problem matchers and the IDE error list all read.</summary>
internal static class DiagnosticLogger
{
    public static void Log(this TaskLoggingHelper log, GateDiagnostic diagnostic)
    {
        var file = diagnostic.File ?? "";
        switch (diagnostic.Level)
        {
            case DiagnosticLevel.Error:
                log.LogError(null, diagnostic.Code, null, diagnostic.HelpLink, file, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
                break;
            case DiagnosticLevel.Warning:
                log.LogWarning(null, diagnostic.Code, null, diagnostic.HelpLink, file, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
                break;
            default:
                log.LogMessage(null, diagnostic.Code, null, file, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Detail ? MessageImportance.Normal : MessageImportance.High, diagnostic.Message);
                break;
        }
    }
}
