using System;

namespace Lyra.Core.Numerics;

/// <summary>
/// A univariate polynomial with numeric <see cref="Value"/> coefficients (lowest degree first). Evaluation by Horner's
/// rule stays exact for integer coefficients at integer points.
/// </summary>
public sealed class Polynomial
{
    private readonly Value[] _coefficients;

    /// <summary>Creates c₀ + c₁x + … (copied; trailing zeros dropped).</summary>
    public Polynomial(params ReadOnlySpan<Value> coefficients)
    {
        int length = coefficients.Length;
        while (length > 1 && coefficients[length - 1].IsInteger && coefficients[length - 1].AsInteger == 0)
        {
            length--;
        }

        _coefficients = length == 0 ? [Value.FromInteger(0)] : coefficients[..length].ToArray();
        foreach (Value c in _coefficients)
        {
            if (!c.IsNumber)
            {
                throw new ArgumentException("Coefficients must be numbers.", nameof(coefficients));
            }
        }
    }

    /// <summary>The degree (0 for a constant, including zero).</summary>
    public int Degree => _coefficients.Length - 1;

    /// <summary>The coefficients, lowest degree first.</summary>
    public ReadOnlySpan<Value> Coefficients => _coefficients;

    /// <summary>The product of two polynomials.</summary>
    public static Polynomial operator *(Polynomial left, Polynomial right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var product = new Value[left._coefficients.Length + right._coefficients.Length - 1];
        product.AsSpan().Fill(Value.FromInteger(0));
        for (int i = 0; i < left._coefficients.Length; i++)
        {
            for (int j = 0; j < right._coefficients.Length; j++)
            {
                product[i + j] = Value.Add(product[i + j], Value.Multiply(left._coefficients[i], right._coefficients[j]));
            }
        }

        return new Polynomial(product);
    }

    /// <summary>The value at <paramref name="x"/> (Horner's rule; allocation-free).</summary>
    public Value Evaluate(Value x)
    {
        if (!x.IsNumber)
        {
            throw new ArgumentException("The point must be a number.", nameof(x));
        }

        Value result = Horner(x);
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): the same evaluation again on a fraction of calls.
            for (int r = Slowdown.Enter(); r > 0; r--)
            {
                Horner(x);
            }

            Slowdown.Exit();
        }

        return result;
    }

    private Value Horner(Value x)
    {
        Value result = _coefficients[^1];
        for (int i = _coefficients.Length - 2; i >= 0; i--)
        {
            result = Value.Add(Value.Multiply(result, x), _coefficients[i]);
        }

        return result;
    }
}
