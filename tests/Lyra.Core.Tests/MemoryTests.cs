using System.Collections.Generic;
using System.Threading.Tasks;
using Lyra.Core;
using Lyra.Core.Memory;

namespace Lyra.Core.Tests;

public class MemoryTests
{
    [Fact]
    public void Returned_objects_are_reused()
    {
        var pool = new ObjectPool<List<int>>(() => new List<int>(), l => { l.Clear(); return true; }, maxRetained: 4);
        List<int> first = pool.Rent();
        first.Add(1);
        pool.Return(first);
        List<int> second = pool.Rent();
        Assert.Same(first, second);
        Assert.Empty(second);
        Assert.Equal(1, pool.Created);
    }

    [Fact]
    public void Empty_pool_creates_and_full_pool_drops()
    {
        var pool = new ObjectPool<object>(() => new object(), maxRetained: 2);
        object a = pool.Rent(), b = pool.Rent(), c = pool.Rent();
        Assert.Equal(3, pool.Created);
        pool.Return(a);
        pool.Return(b);
        pool.Return(c); // dropped: only two are kept
        var again = new HashSet<object> { pool.Rent(), pool.Rent() };
        Assert.Equal(3, pool.Created);
        Assert.Equal(new HashSet<object> { a, b }, again);
        pool.Rent();
        Assert.Equal(4, pool.Created);
    }

    [Fact]
    public void Reset_can_refuse_an_object()
    {
        ObjectPool<ValueBuffer> pool = Pools.CreateValueBufferPool(maxRetained: 2);
        ValueBuffer big = pool.Rent();
        for (int i = 0; i <= Pools.MaxPooledBufferCapacity; i++)
        {
            big.Add(i);
        }

        pool.Return(big);
        Assert.NotSame(big, pool.Rent());
    }

    [Fact]
    public void Lease_returns_on_dispose()
    {
        ObjectPool<ValueBuffer> pool = Pools.CreateValueBufferPool();
        ValueBuffer leased;
        using (ObjectPool<ValueBuffer>.Lease lease = pool.RentLease())
        {
            leased = lease.Item;
            leased.Add(1L);
        }

        ValueBuffer next = pool.Rent();
        Assert.Same(leased, next);
        Assert.Equal(0, next.Count);
    }

    [Fact]
    public void Concurrent_rent_never_hands_one_object_to_two_renters()
    {
        var pool = new ObjectPool<int[]>(() => new int[1], maxRetained: 4);
        bool clash = false;
        Parallel.For(0, 20_000, i =>
        {
            int[] item = pool.Rent();
            if (System.Threading.Interlocked.Exchange(ref item[0], 1) != 0)
            {
                clash = true;
            }

            item[0] = 0;
            pool.Return(item);
        });
        Assert.False(clash);
    }

    [Fact]
    public void ValueBuffer_grows_and_truncates()
    {
        var buffer = new ValueBuffer(2);
        for (long i = 0; i < 10; i++)
        {
            buffer.Add(i);
        }

        Assert.Equal(10, buffer.Count);
        Assert.Equal(new Value[] { 8L, 9L }, buffer.ToArray(8));
        buffer.Truncate(3);
        Assert.Equal(new Value[] { 0L, 1L, 2L }, buffer.Items.ToArray());
    }
}
