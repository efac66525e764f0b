using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Threading.Tasks;

namespace Lyra.Perf.AbRunner;

/// <summary>One benchmark case of one side: a [Benchmark] method with one combination of [Params] values (and one
/// [Arguments] row), and what BenchmarkDotNet would call around it.</summary>
internal sealed class BenchmarkCase
{
    public required string Id { get; init; }

    public required Type Type { get; init; }

    public required MethodInfo Method { get; init; }

    public required IReadOnlyList<(MemberInfo Member, object? Value)> Parameters { get; init; }

    public required object?[] Arguments { get; init; }

    public required int OperationsPerInvoke { get; init; }

    public required IReadOnlyList<MethodInfo> GlobalSetups { get; init; }

    public required IReadOnlyList<MethodInfo> GlobalCleanups { get; init; }

    public required IReadOnlyList<MethodInfo> IterationSetups { get; init; }

    public required IReadOnlyList<MethodInfo> IterationCleanups { get; init; }

    /// <summary>A fresh instance with the case's parameters set (BenchmarkDotNet: one instance per case and process).</summary>
    public object CreateInstance()
    {
        var instance = Activator.CreateInstance(Type)!;
        foreach (var (member, value) in Parameters)
        {
            switch (member)
            {
                case FieldInfo field:
                    field.SetValue(field.IsStatic ? null : instance, value);
                    break;
                case PropertyInfo property:
                    property.SetValue(property.GetMethod!.IsStatic ? null : instance, value);
                    break;
            }
        }

        return instance;
    }

    /// <summary>
    /// A loop of <c>n</c> invocations compiled for this side alone: a dynamic method (fully optimised at once, never
    /// profiled) that calls the benchmark method directly and keeps its last result (returned in a box of the loop's own,
    /// null for a void method). Each side gets its own loop, so
    /// neither tiered PGO nor guarded devirtualisation in a shared loop can favour the side it saw more often; the
    /// benchmark method itself tiers up as in BenchmarkDotNet.
    /// </summary>
    public Func<object?, long, object?> CompileLoop()
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var count = Expression.Parameter(typeof(long), "n");
        var typed = Expression.Variable(Type, "target");
        var i = Expression.Variable(typeof(long), "i");
        var arguments = Method.GetParameters().Select((p, k) => (Expression)Expression.Constant(Arguments[k], p.ParameterType)).ToArray();
        Expression call = Method.IsStatic ? Expression.Call(Method, arguments) : Expression.Call(typed, Method, arguments);
        var variables = new List<ParameterExpression> { typed, i };
        ParameterExpression? last = null;
        if (Method.ReturnType != typeof(void))
        {
            last = Expression.Variable(Method.ReturnType, "last");
            variables.Add(last);
            call = Expression.Assign(last, call);
        }

        // The last result goes into a box made here, once: returning it boxed would allocate once per iteration, and
        // the runner reads each iteration's allocations (a value-returning benchmark would show bytes it never allocates).
        var box = last is null ? null : (System.Runtime.CompilerServices.IStrongBox)Activator.CreateInstance(typeof(System.Runtime.CompilerServices.StrongBox<>).MakeGenericType(Method.ReturnType))!;
        var end = Expression.Label("end");
        var body = Expression.Block(
            variables,
            Method.IsStatic ? Expression.Empty() : Expression.Assign(typed, Expression.Convert(instance, Type)),
            Expression.Assign(i, Expression.Constant(0L)),
            Expression.Loop(
                Expression.IfThenElse(
                    Expression.LessThan(i, count),
                    Expression.Block(call, Expression.PreIncrementAssign(i)),
                    Expression.Break(end)),
                end),
            last is null ? Expression.Empty() : Expression.Assign(Expression.Field(Expression.Constant(box), "Value"), last),
            Expression.Constant(box, typeof(object)));
        return Expression.Lambda<Func<object?, long, object?>>(body, instance, count).Compile();
    }
}

/// <summary>A [Benchmark] method (or a class note) discovery did not turn into cases, and why. <see cref="Name"/> is
/// what BenchmarkDotNet's <c>--filter</c> selects it by ("Ns.Type.Method"; a generic class "Ns.Type&lt;*&gt;.Method"), so
/// the gate can measure it another way; <see cref="Measured"/> = only a note (its cases were still found).</summary>
internal sealed record Skipped(string Name, string Reason, bool Measured = false)
{
    public override string ToString() => Name + ": " + Reason;
}

/// <summary>Finds [Benchmark] methods by attribute name (no BenchmarkDotNet reference here: each side may bring its own).</summary>
internal static class Discovery
{
    private const string Attributes = "BenchmarkDotNet.Attributes.";

    public static (List<BenchmarkCase> Cases, List<Skipped> Skipped) Find(Assembly assembly)
    {
        var cases = new List<BenchmarkCase>();
        var skipped = new List<Skipped>();
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }

        var assemblyStartup = StartupSetting(assembly.GetCustomAttributesData());
        foreach (var type in types.Where(t => t.IsClass && (!t.IsNested || t.IsNestedPublic)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            var methods = type.GetMethods(all);
            var benchmarks = methods.Where(m => Has(m, "BenchmarkAttribute")).OrderBy(m => m.MetadataToken).ToList();
            if (benchmarks.Count == 0)
            {
                continue;
            }

            var name = type.FullName ?? type.Name;

            // A class-level problem skips each of its benchmark methods, by the name a filter selects it by.
            void SkipAll(string reason) => skipped.AddRange(benchmarks.Select(m => new Skipped(FilterName(type, m), reason)));
            if (type.IsAbstract || type.ContainsGenericParameters)
            {
                SkipAll("abstract or generic class ([GenericTypeArguments] not supported)");
                continue;
            }

            if (!type.IsVisible || type.GetConstructor(Type.EmptyTypes) is null)
            {
                SkipAll("not public or no public parameterless constructor");
                continue;
            }

            if ((assemblyStartup ?? StartupSetting(type.GetCustomAttributesData())) is { } startup)
            {
                SkipAll($"[{startup}] is a setting the runtime reads at process start: it needs a process of its own");
                continue;
            }

            var unsupportedClass = Attr(type, "ConfigAttribute")?.AttributeType.Name ?? AttributeNamed(type, "JobAttribute");
            if (unsupportedClass is not null)
            {
                skipped.Add(new Skipped(name, $"class-level job/config ({unsupportedClass}) ignored; measured with the runner's own loop", Measured: true));
            }

            List<List<(MemberInfo, object?)>> parameterSets;
            try
            {
                parameterSets = ParameterSets(type);
            }
            catch (RunnerException e)
            {
                SkipAll(e.Message);
                continue;
            }

            foreach (var method in benchmarks)
            {
                var id = name + "." + method.Name;
                var why = Unsupported(method);
                if (why is not null)
                {
                    skipped.Add(new Skipped(id, why));
                    continue;
                }

                List<object?[]>? argumentRows;
                try
                {
                    argumentRows = ArgumentRows(method);
                }
                catch (RunnerException e)
                {
                    skipped.Add(new Skipped(id, e.Message));
                    continue;
                }

                if (argumentRows is null)
                {
                    skipped.Add(new Skipped(id, "parameters without [Arguments] ([ArgumentsSource] not supported)"));
                    continue;
                }

                var ops = NamedInt(method, "BenchmarkAttribute", "OperationsPerInvoke") ?? 1;
                foreach (var parameters in parameterSets)
                {
                    foreach (var arguments in argumentRows)
                    {
                        // BenchmarkDotNet's full name: the method's arguments first, then the class's [Params].
                        var shown = method.GetParameters().Select((p, k) => $"{p.Name}: {Show(arguments[k])}")
                            .Concat(parameters.Select(p => $"{p.Item1.Name}: {Show(p.Item2)}")).ToList();
                        cases.Add(new BenchmarkCase
                        {
                            Id = shown.Count == 0 ? id : $"{id}({string.Join(", ", shown)})",
                            Type = type,
                            Method = method,
                            Parameters = parameters,
                            Arguments = arguments,
                            OperationsPerInvoke = Math.Max(1, ops),
                            GlobalSetups = Targeted(methods, "GlobalSetupAttribute", method.Name),
                            GlobalCleanups = Targeted(methods, "GlobalCleanupAttribute", method.Name),
                            IterationSetups = Targeted(methods, "IterationSetupAttribute", method.Name),
                            IterationCleanups = Targeted(methods, "IterationCleanupAttribute", method.Name),
                        });
                    }
                }
            }
        }

        return (cases, skipped);
    }

    /// <summary>"Ns.Type.Method", as BenchmarkDotNet's filter matches a method of any parameters; a generic class's
    /// closed names ("Ns.Type&lt;Int32&gt;.Method") are matched by "Ns.Type&lt;*&gt;.Method".</summary>
    public static string FilterName(Type type, MethodInfo method)
    {
        if (!type.IsGenericTypeDefinition)
        {
            return (type.FullName ?? type.Name) + "." + method.Name;
        }

        var plain = type.Name.IndexOf('`') is var tick and > 0 ? type.Name[..tick] : type.Name;
        return (string.IsNullOrEmpty(type.Namespace) ? "" : type.Namespace + ".") + plain + "<*>." + method.Name;
    }

    /// <summary>A BenchmarkDotNet job attribute whose setting the runtime reads when a process starts ([GcServer],
    /// [GcConcurrent], [GcCpuGroups], …, [EnvironmentVariables]): one process cannot measure it for two builds (the
    /// gate's entry point runs such a benchmark in a process started with it, Running/ProcessSettings.cs). Null: none.</summary>
    public static string? StartupSetting(IEnumerable<CustomAttributeData> attributes)
    {
        foreach (var data in attributes)
        {
            var full = data.AttributeType.FullName ?? "";
            if (!full.StartsWith(Attributes, StringComparison.Ordinal))
            {
                continue;
            }

            var shortName = data.AttributeType.Name.EndsWith("Attribute", StringComparison.Ordinal) ? data.AttributeType.Name[..^"Attribute".Length] : data.AttributeType.Name;
            if ((shortName.StartsWith("Gc", StringComparison.Ordinal) && shortName != "GcForce") || shortName is "EnvironmentVariables" or "EnvironmentVariable")
            {
                return shortName;
            }
        }

        return null;
    }

    private static string? Unsupported(MethodInfo method)
    {
        if (!method.IsPublic)
        {
            return "not public";
        }

        if (method.ContainsGenericParameters)
        {
            return "generic method";
        }

        var returns = method.ReturnType;
        if (returns.IsByRef || returns.IsByRefLike || returns.IsPointer)
        {
            return "returns a ref, ref struct or pointer";
        }

        if (typeof(Task).IsAssignableFrom(returns) || returns.FullName?.StartsWith("System.Threading.Tasks.ValueTask", StringComparison.Ordinal) == true)
        {
            return "async (Task/ValueTask) benchmarks not supported";
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef || p.ParameterType.IsPointer || p.ParameterType.IsByRefLike))
        {
            return "by-ref, pointer or ref struct parameters";
        }

        return null;
    }

    /// <summary>Every combination of the class's [Params]/[ParamsAllValues] (one empty set without any).</summary>
    private static List<List<(MemberInfo, object?)>> ParameterSets(Type type)
    {
        var sets = new List<List<(MemberInfo, object?)>> { new() };
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
        var members = type.GetFields(flags).Cast<MemberInfo>().Concat(type.GetProperties(flags)).OrderBy(m => m.Name, StringComparer.Ordinal);
        foreach (var member in members)
        {
            var memberType = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
            List<object?>? values = null;
            if (Attr(member, "ParamsAttribute") is { } data)
            {
                values = data.ConstructorArguments.Count == 1 && data.ConstructorArguments[0].Value is ReadOnlyCollection<CustomAttributeTypedArgument> items
                    ? items.Select(v => ConvertTo(Unwrap(v), memberType)).ToList()
                    : data.ConstructorArguments.Select(v => ConvertTo(Unwrap(v), memberType)).ToList();
            }
            else if (Attr(member, "ParamsAllValuesAttribute") is not null)
            {
                var underlying = Nullable.GetUnderlyingType(memberType) ?? memberType;
                values = underlying == typeof(bool) ? new List<object?> { false, true }
                    : underlying.IsEnum ? Enum.GetValues(underlying).Cast<object?>().ToList()
                    : throw new RunnerException($"[ParamsAllValues] on {member.Name} of type {memberType.Name} not supported");
                if (underlying != memberType)
                {
                    values.Add(null);
                }
            }
            else if (Attr(member, "ParamsSourceAttribute") is not null)
            {
                throw new RunnerException($"[ParamsSource] on {member.Name} not supported");
            }

            if (values is null)
            {
                continue;
            }

            sets = sets.SelectMany(s => values.Select(v => new List<(MemberInfo, object?)>(s) { (member, v) })).ToList();
        }

        return sets;
    }

    /// <summary>One row per [Arguments]; one empty row for a method without parameters; null when parameters have no rows.</summary>
    private static List<object?[]>? ArgumentRows(MethodInfo method)
    {
        var parameters = method.GetParameters();
        var rows = method.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Attributes + "ArgumentsAttribute").Select(a =>
        {
            var raw = a.ConstructorArguments.Count == 1 && a.ConstructorArguments[0].Value is ReadOnlyCollection<CustomAttributeTypedArgument> items
                ? items.Select(Unwrap).ToArray()
                : a.ConstructorArguments.Select(Unwrap).ToArray();
            return raw.Length == parameters.Length ? raw.Select((v, k) => ConvertTo(v, parameters[k].ParameterType)).ToArray() : null;
        }).ToList();
        if (parameters.Length == 0)
        {
            return new List<object?[]> { Array.Empty<object?>() };
        }

        return rows.Count == 0 || rows.Any(r => r is null) ? null : rows.Select(r => r!).ToList();
    }

    private static object? Unwrap(CustomAttributeTypedArgument argument) =>
        argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? items.Select(i => i.Value).ToArray() : argument.Value;

    private static object? ConvertTo(object? value, Type type)
    {
        if (value is null || type.IsInstanceOfType(value))
        {
            return value;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            return Enum.ToObject(underlying, value);
        }

        try
        {
            return Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new RunnerException($"value {Show(value)} does not convert to {type.Name}");
        }
    }

    private static IReadOnlyList<MethodInfo> Targeted(IEnumerable<MethodInfo> methods, string attribute, string benchmark) =>
        methods.Where(m => Attr(m, attribute) is { } data && AppliesTo(data, benchmark)).OrderBy(m => m.MetadataToken).ToList();

    private static bool AppliesTo(CustomAttributeData data, string benchmark)
    {
        var targets = new List<string>();
        foreach (var named in data.NamedArguments)
        {
            if (named.MemberName == "Target" && named.TypedValue.Value is string one)
            {
                targets.AddRange(one.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else if (named.MemberName == "Targets" && named.TypedValue.Value is ReadOnlyCollection<CustomAttributeTypedArgument> many)
            {
                targets.AddRange(many.Select(m => m.Value as string).OfType<string>());
            }
        }

        return targets.Count == 0 || targets.Contains(benchmark, StringComparer.Ordinal);
    }

    private static bool Has(MemberInfo member, string attribute) => Attr(member, attribute) is not null;

    private static CustomAttributeData? Attr(MemberInfo member, string attribute) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Attributes + attribute);

    /// <summary>A job attribute on the class (BenchmarkDotNet's *JobAttribute family), by name.</summary>
    private static string? AttributeNamed(Type type, string suffix) =>
        type.GetCustomAttributesData().Select(a => a.AttributeType.Name).FirstOrDefault(n => n.EndsWith(suffix, StringComparison.Ordinal));

    private static int? NamedInt(MemberInfo member, string attribute, string name) =>
        Attr(member, attribute)?.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value as int?).FirstOrDefault();

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "True" : "False",
        char c => "'" + c + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Array a => "[" + string.Join(", ", a.Cast<object?>().Select(Show)) + "]",
        _ => value.ToString() ?? "",
    };
}
