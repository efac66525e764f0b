using System.Runtime.CompilerServices;

namespace Lyra.Perf.Engine;

/// <summary>How the engine's per-gate passes are compiled.</summary>
internal static class Compilation
{
    /// <summary>For a method that runs once per gate and loops over every benchmark (or every history entry): compiled
    /// optimized at its first call. Tiered compilation would run it unoptimized first (an MSBuild process runs one gate,
    /// so the whole gate), then keep the JIT busy on a background thread optimizing it, on a machine of two cores.</summary>
    public const MethodImplOptions OncePerGate =
#if NET
        MethodImplOptions.AggressiveOptimization;
#else
        0;
#endif
}
