using Lyra.Core;
using Lyra.Core.Caching;

namespace Lyra.Core.Tests;

public class CachingTests
{
    [Fact]
    public void Least_recently_used_entry_is_evicted()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGet("a", out _)); // a is now the most recent
        cache.Set("c", 3);                     // evicts b

        Assert.True(cache.ContainsKey("a"));
        Assert.False(cache.ContainsKey("b"));
        Assert.True(cache.TryGet("c", out int c));
        Assert.Equal(3, c);
        Assert.Equal(2, cache.Count);
        Assert.Equal(1, cache.Evictions);
    }

    [Fact]
    public void Set_replaces_and_refreshes()
    {
        var cache = new LruCache<int, string>(2);
        cache.Set(1, "one");
        cache.Set(2, "two");
        cache.Set(1, "uno");
        cache.Set(3, "three"); // evicts 2, not the refreshed 1
        Assert.True(cache.TryGet(1, out string? one));
        Assert.Equal("uno", one);
        Assert.False(cache.ContainsKey(2));
    }

    [Fact]
    public void Counters_and_clear()
    {
        var cache = new LruCache<int, int>(4);
        Assert.Equal(10, cache.GetOrAdd(5, k => k * 2));
        Assert.Equal(10, cache.GetOrAdd(5, k => -1));
        Assert.Equal(1, cache.Hits);
        Assert.Equal(1, cache.Misses);
        cache.Clear();
        Assert.Equal(0, cache.Count);
        cache.Set(1, 1);
        Assert.True(cache.ContainsKey(1));
    }

    [Fact]
    public void Eviction_order_holds_over_many_operations()
    {
        var cache = new LruCache<int, int>(3);
        for (int i = 0; i < 100; i++)
        {
            cache.Set(i, i);
        }

        Assert.Equal(3, cache.Count);
        Assert.True(cache.ContainsKey(97) && cache.ContainsKey(98) && cache.ContainsKey(99));
        Assert.Equal(97, cache.Evictions);
    }

    [Fact]
    public void Cached_evaluator_answers_structurally_equal_expressions_from_the_cache()
    {
        var table = new SymbolTable();
        var parser = new Parser(table);
        var cached = new CachedEvaluator(new Evaluator(table), capacity: 8);
        Value first = cached.Evaluate(parser.Parse("Sum[i^2, {i, 1, 100}]"));
        Value second = cached.Evaluate(parser.Parse("Sum[i^2, {i, 1, 100}]"));

        Assert.Equal(Value.FromInteger(338350), first);
        Assert.Equal(first, second);
        // Fails on purpose when Lyra.Core is built with -p:LyraInjectRegression=true (the cache never hits).
        Assert.Equal(1, cached.Cache.Hits);
    }
}
