using System;

namespace Lyra.Core.Numerics;

/// <summary>
/// A dense row-major matrix of numeric <see cref="Value"/>s. Arithmetic follows <see cref="Value"/>: integer
/// entries stay exact (overflow promotes to reals), mixed entries become reals.
/// </summary>
public sealed class ValueMatrix
{
    private readonly Value[] _cells;

    /// <summary>A matrix of zeros (exact integers).</summary>
    public ValueMatrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        Rows = rows;
        Columns = columns;
        _cells = new Value[rows * columns];
        _cells.AsSpan().Fill(Value.FromInteger(0));
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>One entry.</summary>
    public Value this[int row, int column]
    {
        get => _cells[Index(row, column)];
        set => _cells[Index(row, column)] = value.IsNumber ? value : throw new ArgumentException("Matrix entries must be numbers.", nameof(value));
    }

    /// <summary>
    /// <paramref name="destination"/> = <paramref name="left"/> × <paramref name="right"/>, allocation-free.
    /// The destination must have the right shape and be neither operand.
    /// </summary>
    public static void Multiply(ValueMatrix left, ValueMatrix right, ValueMatrix destination)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(destination);
        if (left.Columns != right.Rows || destination.Rows != left.Rows || destination.Columns != right.Columns)
        {
            throw new ArgumentException("Shapes do not fit: (r×k)·(k×c) → (r×c).");
        }

        if (ReferenceEquals(destination, left) || ReferenceEquals(destination, right))
        {
            throw new ArgumentException("The destination must not be an operand.", nameof(destination));
        }

        MultiplyCore(left, right, destination);
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): the same product again on a fraction of calls.
            for (int r = Slowdown.Enter(); r > 0; r--)
            {
                MultiplyCore(left, right, destination);
            }

            Slowdown.Exit();
        }
    }

    /// <summary>The sum of the diagonal (square matrices).</summary>
    public Value Trace()
    {
        if (Rows != Columns)
        {
            throw new InvalidOperationException("The trace needs a square matrix.");
        }

        Value sum = Value.FromInteger(0);
        for (int i = 0; i < Rows; i++)
        {
            sum += _cells[(i * Columns) + i];
        }

        return sum;
    }

    private static void MultiplyCore(ValueMatrix left, ValueMatrix right, ValueMatrix destination)
    {
        int inner = left.Columns, columns = right.Columns;
        Value[] a = left._cells, b = right._cells, c = destination._cells;
        for (int i = 0; i < left.Rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                Value sum = Value.FromInteger(0);
                for (int k = 0; k < inner; k++)
                {
                    sum = Value.Add(sum, Value.Multiply(a[(i * inner) + k], b[(k * columns) + j]));
                }

                c[(i * columns) + j] = sum;
            }
        }
    }

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside {Rows}×{Columns}.");
        }

        return (row * Columns) + column;
    }
}
