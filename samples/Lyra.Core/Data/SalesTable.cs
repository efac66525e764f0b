using System;

namespace Lyra.Core.Data;

/// <summary>Per-group aggregate of <see cref="SalesTable.Summarize"/>.</summary>
public readonly record struct GroupSummary(Symbol Group, int Rows, long Units, Value Revenue, Value LargestOrder);

/// <summary>
/// A column-oriented table of orders: a region (interned symbol), units (integer) and unit price (real). Grouping
/// uses the symbols' dense ids as array indexes: interning turns a hash lookup per row into an array access.
/// </summary>
public sealed class SalesTable
{
    private readonly Symbol[] _region;
    private readonly Value[] _units;
    private readonly Value[] _price;

    /// <summary>Creates a table from columns of equal length.</summary>
    public SalesTable(Symbol[] region, Value[] units, Value[] price)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(price);
        if (units.Length != region.Length || price.Length != region.Length)
        {
            throw new ArgumentException("Columns must have the same length.");
        }

        _region = region;
        _units = units;
        _price = price;
    }

    /// <summary>Number of rows.</summary>
    public int Rows => _region.Length;

    /// <summary>Makes <paramref name="rows"/> deterministic pseudo-random orders over <paramref name="regions"/> regions.</summary>
    public static SalesTable Generate(SymbolTable symbols, int rows, int regions, int seed)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var random = new Random(seed);
        var names = new Symbol[regions];
        for (int i = 0; i < regions; i++)
        {
            names[i] = symbols.Intern("region" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var region = new Symbol[rows];
        var units = new Value[rows];
        var price = new Value[rows];
        for (int i = 0; i < rows; i++)
        {
            // A skewed mix: low region numbers are busier.
            region[i] = names[(int)(regions * random.NextDouble() * random.NextDouble())];
            units[i] = Value.FromInteger(1 + random.Next(50));
            price[i] = Value.FromReal(Math.Round(0.5 + (random.NextDouble() * 99.5), 2));
        }

        return new SalesTable(region, units, price);
    }

    /// <summary>
    /// Groups the orders whose unit price is at least <paramref name="minimumPrice"/> by region: row count, units,
    /// revenue (units × price) and the largest single order. Groups come back in symbol-id order; empty ones are left out.
    /// </summary>
    public GroupSummary[] Summarize(SymbolTable symbols, Value minimumPrice)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): grouping allocates its accumulators, so it is slowed by a timed wait.
            long start = Slowdown.EnterTimed();
            try
            {
                return SummarizeCore(symbols, minimumPrice);
            }
            finally
            {
                Slowdown.ExitTimed(start);
            }
        }

        return SummarizeCore(symbols, minimumPrice);
    }

    private GroupSummary[] SummarizeCore(SymbolTable symbols, Value minimumPrice)
    {
        int slots = symbols.Count;
        var rows = new int[slots];
        var units = new long[slots];
        var revenue = new Value[slots];
        var largest = new Value[slots];
        for (int i = 0; i < _region.Length; i++)
        {
            Value price = _price[i];
            if (price < minimumPrice)
            {
                continue;
            }

            int id = _region[i].Id;
            Value order = _units[i] * price;
            if (rows[id]++ == 0)
            {
                revenue[id] = order;
                largest[id] = order;
            }
            else
            {
                revenue[id] += order;
                if (order > largest[id])
                {
                    largest[id] = order;
                }
            }

            units[id] += _units[i].AsInteger;
        }

        int groups = 0;
        foreach (int count in rows)
        {
            groups += count > 0 ? 1 : 0;
        }

        var result = new GroupSummary[groups];
        for (int id = 0, n = 0; id < slots; id++)
        {
            if (rows[id] > 0)
            {
                result[n++] = new GroupSummary(symbols[id], rows[id], units[id], revenue[id], largest[id]);
            }
        }

        return result;
    }
}
