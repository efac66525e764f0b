using BenchmarkDotNet.Attributes;

namespace E2E.Suite;

[GenericTypeArguments(typeof(int))]
[GenericTypeArguments(typeof(string))]
public class Generic<T>
{
    private readonly List<T?> _items = new();

    [Benchmark]
    public int Fill()
    {
        _items.Clear();
        for (var i = 0; i < 64; i++)
        {
            _items.Add(default);
        }

        return _items.Count;
    }
}
