using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lyra.Perf.Engine.Diagnostics;
using Lyra.Perf.Engine.Model;
#if NET
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
#endif

namespace Lyra.Perf.Engine.Sources;

/// <summary>
/// Finds a benchmark method's source file and line from the benchmark assembly's portable PDB (next to the assembly,
/// at the path recorded in the assembly, or embedded in it), so a diagnostic double-clicked in the IDE opens the method.
/// Points at the method's declaration line (the name's column) when the source file is present and the declaration is
/// found just above the body's first sequence point; otherwise at that sequence point. Returns null whenever it cannot
/// tell: no PDB, a Windows PDB, a method without sequence points, an unknown type. Never throws for bad input.
/// On .NET Framework (MSBuild in Visual Studio) it always returns null: System.Reflection.Metadata is not referenced there.
/// </summary>
public sealed class PdbSourceLocator : IDisposable
{
#if NET
    private readonly PEReader _peReader;
    private readonly MetadataReaderProvider? _pdbProvider;
    private readonly MetadataReader _metadata;
    private readonly MetadataReader _pdb;
    private readonly Dictionary<string, List<TypeDefinitionHandle>> _types = new(StringComparer.Ordinal);
    private Dictionary<MethodDefinitionHandle, MethodDefinitionHandle>? _stateMachines;
    private readonly Dictionary<string, string[]?> _sourceLines = new(StringComparer.Ordinal);

    private PdbSourceLocator(PEReader peReader, MetadataReaderProvider? pdbProvider, MetadataReader pdb)
    {
        _peReader = peReader;
        _pdbProvider = pdbProvider;
        _pdb = pdb;
        _metadata = peReader.GetMetadataReader();
        foreach (var handle in _metadata.TypeDefinitions)
        {
            var name = TypeName(handle);
            if (!_types.TryGetValue(name, out var list))
            {
                _types[name] = list = new List<TypeDefinitionHandle>();
            }

            list.Add(handle);
        }
    }
#else
    private PdbSourceLocator()
    {
    }
#endif

    /// <summary>Opens the assembly and its portable PDB; null when either is missing or unreadable.</summary>
    public static PdbSourceLocator? TryOpen(string assemblyPath)
    {
#if NET
        PEReader? peReader = null;
        try
        {
            if (!File.Exists(assemblyPath))
            {
                return null;
            }

            peReader = new PEReader(File.OpenRead(assemblyPath));
            if (!peReader.HasMetadata)
            {
                peReader.Dispose();
                return null;
            }

            MetadataReaderProvider? provider = null;
            var embedded = peReader.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
            if (embedded.Type == DebugDirectoryEntryType.EmbeddedPortablePdb)
            {
                provider = peReader.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
            }
            else if (!peReader.TryOpenAssociatedPortablePdb(assemblyPath, path => File.Exists(path) ? File.OpenRead(path) : null, out provider, out _))
            {
                provider = null;
            }

            if (provider is null)
            {
                peReader.Dispose();
                return null;
            }

            return new PdbSourceLocator(peReader, provider, provider.GetMetadataReader());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException or ArgumentException)
        {
            peReader?.Dispose();
            return null;
        }
#else
        _ = assemblyPath;
        return null;
#endif
    }

    /// <summary>A lookup for <see cref="Judging.Gate.Evaluate"/>: benchmark id → source location, for the benchmarks of <paramref name="run"/>.</summary>
    public Func<string, SourceLocation?> CreateLookup(RunResult run)
    {
        var byId = new Dictionary<string, BenchmarkMeasurement>(StringComparer.Ordinal);
        foreach (var benchmark in run.Benchmarks)
        {
            byId[benchmark.Id] = benchmark;
        }

        // Per method, not per id: every parameter case of a method is at the same line.
        var cache = new Dictionary<(string?, string, string), SourceLocation?>();
        return id =>
        {
            if (!byId.TryGetValue(id, out var benchmark))
            {
                return null;
            }

            var key = (benchmark.Namespace, benchmark.Type, benchmark.Method);
            if (!cache.TryGetValue(key, out var location))
            {
                location = Locate(benchmark.Namespace, benchmark.Type, benchmark.Method);
                cache[key] = location;
            }

            return location;
        };
    }

    public SourceLocation? Locate(BenchmarkMeasurement benchmark) => Locate(benchmark.Namespace, benchmark.Type, benchmark.Method);

    /// <summary>The method's location. <paramref name="type"/> is BenchmarkDotNet's type name: nested types joined by '.' or '+',
    /// generic arguments (<c>Gen&lt;Int32&gt;</c>) ignored.</summary>
    public SourceLocation? Locate(string? @namespace, string type, string method)
    {
#if NET
        try
        {
            var key = Normalize(string.IsNullOrEmpty(@namespace) ? type : @namespace + "." + type);
            if (!_types.TryGetValue(key, out var candidates))
            {
                return null;
            }

            foreach (var typeHandle in candidates)
            {
                for (var current = typeHandle; !current.IsNil; current = BaseType(current))
                {
                    foreach (var methodHandle in _metadata.GetTypeDefinition(current).GetMethods())
                    {
                        if (_metadata.GetString(_metadata.GetMethodDefinition(methodHandle).Name) == method && FirstSequencePoint(methodHandle) is { } location)
                        {
                            return location;
                        }
                    }
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
#else
        _ = @namespace;
        _ = type;
        _ = method;
        return null;
#endif
    }

    public void Dispose()
    {
#if NET
        _pdbProvider?.Dispose();
        _peReader.Dispose();
#endif
    }

#if NET
    private SourceLocation? FirstSequencePoint(MethodDefinitionHandle method)
    {
        var point = FirstVisible(method);
        if (point is null)
        {
            // async/iterator methods: the body lives in the state machine's MoveNext.
            _stateMachines ??= StateMachines();
            foreach (var pair in _stateMachines.Where(p => p.Value == method))
            {
                point = FirstVisible(pair.Key);
                if (point is not null)
                {
                    break;
                }
            }
        }

        if (point is not { } sp)
        {
            return null;
        }

        var file = _pdb.GetString(_pdb.GetDocument(sp.Document).Name);
        var name = _metadata.GetString(_metadata.GetMethodDefinition(method).Name);
        return Declaration(file, sp.StartLine, name) ?? new SourceLocation(file, sp.StartLine, sp.StartColumn);
    }

    private SequencePoint? FirstVisible(MethodDefinitionHandle method)
    {
        var debug = _pdb.GetMethodDebugInformation(method.ToDebugInformationHandle());
        if (debug.SequencePointsBlob.IsNil)
        {
            return null;
        }

        foreach (var point in debug.GetSequencePoints())
        {
            if (!point.IsHidden)
            {
                return point;
            }
        }

        return null;
    }

    private Dictionary<MethodDefinitionHandle, MethodDefinitionHandle> StateMachines()
    {
        var map = new Dictionary<MethodDefinitionHandle, MethodDefinitionHandle>();
        foreach (var handle in _pdb.MethodDebugInformation)
        {
            var kickoff = _pdb.GetMethodDebugInformation(handle).GetStateMachineKickoffMethod();
            if (!kickoff.IsNil)
            {
                map[handle.ToDefinitionHandle()] = kickoff;
            }
        }

        return map;
    }

    /// <summary>The declaration line: the nearest line at or above the body's first line (at most 4 up, stopping at a blank line
    /// or a closing brace) that names the method followed by '(' or '&lt;'.</summary>
    private SourceLocation? Declaration(string file, int bodyLine, string method)
    {
        try
        {
            // Each source file is read once, however many benchmark methods it holds.
            if (!_sourceLines.TryGetValue(file, out var lines))
            {
                _sourceLines[file] = lines = File.Exists(file) ? File.ReadAllLines(file) : null;
            }

            if (lines is null)
            {
                return null;
            }

            for (var line = bodyLine; line >= 1 && line >= bodyLine - 4 && line <= lines.Length; line--)
            {
                var text = lines[line - 1];
                var column = NameColumn(text, method);
                if (column > 0)
                {
                    return new SourceLocation(file, line, column);
                }

                var trimmed = text.Trim();
                if (line < bodyLine && (trimmed.Length == 0 || trimmed.EndsWith("}", StringComparison.Ordinal) || trimmed.EndsWith(";", StringComparison.Ordinal)))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static int NameColumn(string text, string method)
    {
        for (var index = text.IndexOf(method, StringComparison.Ordinal); index >= 0; index = text.IndexOf(method, index + 1, StringComparison.Ordinal))
        {
            var before = index == 0 ? ' ' : text[index - 1];
            var after = index + method.Length < text.Length ? text[index + method.Length] : ' ';
            var rest = text.Substring(index + method.Length).TrimStart();
            if (!char.IsLetterOrDigit(before) && before != '_' && before != '.' && !char.IsLetterOrDigit(after) && after != '_' && (rest.StartsWith("(", StringComparison.Ordinal) || rest.StartsWith("<", StringComparison.Ordinal)))
            {
                return index + 1;
            }
        }

        return 0;
    }

    private TypeDefinitionHandle BaseType(TypeDefinitionHandle handle)
    {
        var baseType = _metadata.GetTypeDefinition(handle).BaseType;
        return baseType.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)baseType : default;
    }

    private string TypeName(TypeDefinitionHandle handle)
    {
        var definition = _metadata.GetTypeDefinition(handle);
        var name = StripArity(_metadata.GetString(definition.Name));
        var declaring = definition.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return TypeName(declaring) + "." + name;
        }

        var ns = _metadata.GetString(definition.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name.Substring(0, tick);
    }

    /// <summary>"Ns.Outer+Inner&lt;Int32&gt;" → "Ns.Outer.Inner".</summary>
    private static string Normalize(string typeName)
    {
        var builder = new System.Text.StringBuilder(typeName.Length);
        var depth = 0;
        foreach (var c in typeName)
        {
            if (c == '<' || c == '[')
            {
                depth++;
            }
            else if (c == '>' || c == ']')
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c == '+' ? '.' : c);
            }
        }

        return StripArity(builder.ToString().Trim());
    }
#endif
}
