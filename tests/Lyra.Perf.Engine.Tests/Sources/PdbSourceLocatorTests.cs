using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Lyra.Perf.Engine.Model;
using Lyra.Perf.Engine.Sources;

namespace Lyra.Perf.Engine.Tests.Sources;

/// <summary>Stand-ins for benchmark classes, located through this test assembly's own portable PDB.</summary>
public class LocatorSubjects
{
    public static int DeclarationLine([CallerLineNumber] int line = 0) => line;

    public int Simple()
    {
        var x = 1;
        return x + 1;
    }

    public int ExpressionBodied() => 42;

    public async Task<int> Asynchronous()
    {
        await Task.Yield();
        return 1;
    }

    public class Nested
    {
        public int Inner()
        {
            return 3;
        }
    }
}

public class GenericSubjects<T>
{
    public int Work()
    {
        return typeof(T).Name.Length;
    }
}

public class PdbSourceLocatorTests
{
    private static string ThisFile([CallerFilePath] string path = "") => path;

    private static int LineOf(string text) => Array.FindIndex(File.ReadAllLines(ThisFile()), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private static PdbSourceLocator Open() =>
        PdbSourceLocator.TryOpen(typeof(LocatorSubjects).Assembly.Location) ?? throw new InvalidOperationException("the test assembly's PDB was not found");

    [Theory]
    [InlineData("LocatorSubjects", "Simple", "public int Simple()")]
    [InlineData("LocatorSubjects", "ExpressionBodied", "public int ExpressionBodied()")]
    [InlineData("LocatorSubjects", "Asynchronous", "public async Task<int> Asynchronous()")]
    [InlineData("LocatorSubjects.Nested", "Inner", "public int Inner()")]
    [InlineData("LocatorSubjects+Nested", "Inner", "public int Inner()")]
    [InlineData("GenericSubjects<Int32>", "Work", "public int Work()")]
    public void Finds_the_method_declaration(string type, string method, string declaration)
    {
        using var locator = Open();
        var location = locator.Locate("Lyra.Perf.Engine.Tests.Sources", type, method);
        Assert.NotNull(location);
        Assert.Equal(Path.GetFullPath(ThisFile()), Path.GetFullPath(location!.File));
        Assert.Equal(LineOf(declaration), location.Line);
        var text = File.ReadAllLines(ThisFile())[location.Line - 1];
        Assert.Equal(text.IndexOf(method, StringComparison.Ordinal) + 1, location.Column);
    }

    [Fact]
    public void Unknown_types_and_methods_are_null()
    {
        using var locator = Open();
        Assert.Null(locator.Locate("Lyra.Perf.Engine.Tests.Sources", "NoSuchType", "Simple"));
        Assert.Null(locator.Locate("Lyra.Perf.Engine.Tests.Sources", "LocatorSubjects", "NoSuchMethod"));
        Assert.Null(locator.Locate(null, "LocatorSubjects", "Simple"));
    }

    [Fact]
    public void A_lookup_maps_benchmark_ids()
    {
        using var locator = Open();
        var run = new RunResult
        {
            Benchmarks = new[] { new BenchmarkMeasurement { Id = "Lyra.Perf.Engine.Tests.Sources.LocatorSubjects.Simple(N: 1)", Namespace = "Lyra.Perf.Engine.Tests.Sources", Type = "LocatorSubjects", Method = "Simple" } },
        };
        var lookup = locator.CreateLookup(run);
        Assert.Equal(LineOf("public int Simple()"), lookup("Lyra.Perf.Engine.Tests.Sources.LocatorSubjects.Simple(N: 1)")!.Line);
        Assert.Null(lookup("Other.Id"));
    }

    [Fact]
    public void Missing_assembly_or_pdb_gives_null()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lyra-pdb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            Assert.Null(PdbSourceLocator.TryOpen(Path.Combine(directory, "none.dll")));

            // The assembly without its PDB next to it (and no embedded PDB): null. With the PDB copied along: found.
            var copy = Path.Combine(directory, Path.GetFileName(typeof(LocatorSubjects).Assembly.Location));
            File.Copy(typeof(LocatorSubjects).Assembly.Location, copy);
            using (var withoutPdb = PdbSourceLocator.TryOpen(copy))
            {
                Assert.Null(withoutPdb);
            }

            File.Copy(Path.ChangeExtension(typeof(LocatorSubjects).Assembly.Location, ".pdb"), Path.ChangeExtension(copy, ".pdb"));
            using (var withPdb = PdbSourceLocator.TryOpen(copy))
            {
                Assert.NotNull(withPdb);
            }

            var garbage = Path.Combine(directory, "garbage.dll");
            File.WriteAllText(garbage, "not an assembly");
            Assert.Null(PdbSourceLocator.TryOpen(garbage));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
