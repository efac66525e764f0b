// Stand-ins for the synthetic suite's benchmark methods, so the gate's PDB lookup (source file and line per
// benchmark) does real work in the judge benchmark: 20 types x 5 methods, 10 parameter values each = 1,000 benchmarks.
// Not benchmarks themselves (no [Benchmark] attribute): BenchmarkDotNet never runs them.
#pragma warning disable CA1822
namespace Lyra.Perf.Engine.Benchmarks.Targets;

public class Target00
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target01
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target02
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target03
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target04
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target05
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target06
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target07
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target08
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target09
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target10
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target11
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target12
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target13
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target14
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target15
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target16
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target17
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target18
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}

public class Target19
{
    public int Method0(int n) => n + 0;

    public int Method1(int n) => n + 1;

    public int Method2(int n) => n + 2;

    public int Method3(int n) => n + 3;

    public int Method4(int n) => n + 4;
}
