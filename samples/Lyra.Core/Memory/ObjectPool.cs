using System;
using System.Threading;

namespace Lyra.Core.Memory;

/// <summary>
/// A bounded, thread-safe pool of reusable objects (the same design as Microsoft.Extensions.ObjectPool's default
/// pool: one fast slot plus a small array, claimed with compare-and-swap, no locks). When the pool is empty
/// <see cref="Rent"/> creates a new object; when it is full <see cref="Return"/> drops the object.
/// </summary>
public sealed class ObjectPool<T>
    where T : class
{
    private readonly Func<T> _create;
    private readonly Func<T, bool>? _reset;
    private readonly Slot[] _slots;
    private T? _fast;

    /// <param name="create">Makes a new object when the pool is empty.</param>
    /// <param name="reset">Prepares a returned object for reuse; false drops it instead (e.g. it grew too large).</param>
    /// <param name="maxRetained">How many idle objects the pool keeps.</param>
    public ObjectPool(Func<T> create, Func<T, bool>? reset = null, int maxRetained = 0)
    {
        _create = create ?? throw new ArgumentNullException(nameof(create));
        _reset = reset;
        int retained = maxRetained > 0 ? maxRetained : Environment.ProcessorCount * 2;
        _slots = new Slot[retained - 1];
    }

    /// <summary>Total objects the pool can keep idle.</summary>
    public int MaxRetained => _slots.Length + 1;

    /// <summary>Number of objects created because the pool was empty.</summary>
    public long Created => Interlocked.Read(ref _created);

    private long _created;

    /// <summary>Takes an idle object or creates one.</summary>
    public T Rent()
    {
        T? item = _fast;
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }

        Slot[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            item = slots[i].Item;
            if (item is not null && Interlocked.CompareExchange(ref slots[i].Item, null, item) == item)
            {
                return item;
            }
        }

        Interlocked.Increment(ref _created);
        return _create();
    }

    /// <summary>Gives an object back; it must not be used afterwards.</summary>
    public void Return(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_reset is not null && !_reset(item))
        {
            return;
        }

        if (_fast is null && Interlocked.CompareExchange(ref _fast, item, null) is null)
        {
            return;
        }

        Slot[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i].Item is null && Interlocked.CompareExchange(ref slots[i].Item, item, null) is null)
            {
                return;
            }
        }

        // Full: let the GC have it.
    }

    /// <summary>Rents an object that goes back to the pool when the lease is disposed.</summary>
    public Lease RentLease() => new(this, Rent());

    /// <summary>A rented object, returned on <see cref="Dispose"/>.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly ObjectPool<T> _pool;

        internal Lease(ObjectPool<T> pool, T item)
        {
            _pool = pool;
            Item = item;
        }

        /// <summary>The rented object.</summary>
        public T Item { get; }

        /// <inheritdoc />
        public void Dispose() => _pool?.Return(Item);
    }

    private struct Slot
    {
        public T? Item;
    }
}

/// <summary>Shared pools.</summary>
public static class Pools
{
    /// <summary>Largest buffer kept; bigger ones are dropped on return so the pool does not pin memory.</summary>
    public const int MaxPooledBufferCapacity = 1024;

    /// <summary>Creates a pool of <see cref="ValueBuffer"/>s that clears them on return.</summary>
    public static ObjectPool<ValueBuffer> CreateValueBufferPool(int maxRetained = 0) =>
        new(() => new ValueBuffer(), static buffer =>
        {
            if (buffer.Capacity > MaxPooledBufferCapacity)
            {
                return false;
            }

            buffer.Clear();
            return true;
        }, maxRetained);
}
