using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace Lyra.Perf.AbRunner;

/// <summary>
/// One side of the comparison: its build output folder loaded into an <see cref="AssemblyLoadContext"/> of its own.
/// Everything the side's deps.json names (its benchmark assembly, Lyra.Core, BenchmarkDotNet, …) is loaded from the
/// side's folder into this context, so two builds of assemblies with the same names live side by side and each has
/// its own statics; framework assemblies fall through to the default context and are shared (one GC heap, one
/// thread pool, one JIT).
/// </summary>
internal sealed class Side : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    private Side(string label, string mainAssemblyPath)
        : base("side-" + label, isCollectible: false)
    {
        Label = label;
        MainAssemblyPath = mainAssemblyPath;
        Folder = Path.GetDirectoryName(mainAssemblyPath)!;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        MainAssembly = LoadFromAssemblyPath(mainAssemblyPath);
    }

    public string Label { get; }

    public string Folder { get; }

    public string MainAssemblyPath { get; }

    public Assembly MainAssembly { get; }

    /// <summary>Loads a side from a build output folder; the benchmark assembly is the one named, or the folder's only
    /// <c>*.runtimeconfig.json</c> stem (an Exe benchmark project has exactly one).</summary>
    public static Side Open(string label, string folder, string? assemblyName)
    {
        folder = Path.GetFullPath(folder);

        // ab-probe.sh links each variant to its build folder: work on the real path, as the host's resolver does.
        if (Directory.Exists(folder) && new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            folder = Path.GetFullPath(target.FullName);
        }

        if (!Directory.Exists(folder))
        {
            throw new RunnerException($"side {label}: folder '{folder}' does not exist (build it first)");
        }

        if (assemblyName is null)
        {
            var configs = Directory.GetFiles(folder, "*.runtimeconfig.json");
            if (configs.Length != 1)
            {
                throw new RunnerException($"side {label}: expected one *.runtimeconfig.json in '{folder}' to find the benchmark assembly, found {configs.Length}; name the assembly");
            }

            assemblyName = Path.GetFileName(configs[0])[..^".runtimeconfig.json".Length];
        }

        var path = Path.Combine(folder, assemblyName + ".dll");
        if (!File.Exists(path))
        {
            throw new RunnerException($"side {label}: '{path}' does not exist");
        }

        return new Side(label, path);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Only what this side's deps.json resolves to a file is the side's own; null = the default context (framework).
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>The assemblies loaded into this side's context so far: name, MVID and file (for the run's header and the isolation check).</summary>
    public IReadOnlyList<(string Name, Guid Mvid, string Location)> LoadedAssemblies() =>
        Assemblies.Select(a => (a.GetName().Name ?? "?", a.ManifestModule.ModuleVersionId, a.Location)).OrderBy(a => a.Item1, StringComparer.Ordinal).ToList();

    /// <summary>Reads a public static property or field "Namespace.Type.Member" through this side's context (e.g. the
    /// sample's Lyra.Core.Slowdown.Factor, which each side computes once in its own static constructor); null if absent.</summary>
    public string? ReadStatic(string qualifiedMember)
    {
        var dot = qualifiedMember.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var typeName = qualifiedMember[..dot];
        var member = qualifiedMember[(dot + 1)..];
        foreach (var assembly in Assemblies.ToList())
        {
            var type = assembly.GetType(typeName, throwOnError: false);
            if (type is null)
            {
                continue;
            }

            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
            var value = type.GetProperty(member, flags)?.GetValue(null) ?? type.GetField(member, flags)?.GetValue(null);
            return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return null;
    }
}

/// <summary>An input or run problem of the runner (a side that cannot be loaded, a case it cannot set up), reported as
/// one line; the gate turns it into its own diagnostic.</summary>
internal sealed class RunnerException : Exception
{
    public RunnerException(string message)
        : base(message)
    {
    }
}
