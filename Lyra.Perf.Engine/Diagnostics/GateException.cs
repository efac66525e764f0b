using System;

namespace Lyra.Perf.Engine.Diagnostics;

/// <summary>Input the engine cannot work with; carries the coded diagnostic the user sees.</summary>
public sealed class GateException : Exception
{
    public GateException(GateDiagnostic diagnostic)
        : base(diagnostic.Message) => Diagnostic = diagnostic;

    public GateDiagnostic Diagnostic { get; }
}
