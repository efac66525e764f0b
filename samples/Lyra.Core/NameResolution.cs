using System;
using System.Collections.Generic;
using System.Globalization;

namespace Lyra.Core;

/// <summary>
/// Binds the arguments of a call written as text, <c>f[x, 2, alpha, 0.5]</c>: identifiers are looked up in an
/// environment, numbers are read; the result is the argument array. Two environments are offered so they can be
/// compared: symbol-keyed (the name is interned from the text span; no allocation per lookup) and string-keyed
/// (a key string is built from the text for each lookup, the usual approach without interning). Unbound names
/// resolve to <see cref="Value"/> Null in both.
/// </summary>
public static class NameResolution
{
    /// <summary>Resolves the arguments of <paramref name="call"/> against a symbol-keyed scope.</summary>
    public static Value[] ResolveArguments(ReadOnlySpan<char> call, SymbolTable symbols, Scope scope)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(scope);
        var result = new Value[CountArguments(call)];
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): the allocation-free binding pass runs again on a fraction of calls.
            try
            {
                for (int r = Slowdown.Enter(); r >= 0; r--)
                {
                    Bind(call, symbols, scope, result);
                }
            }
            finally
            {
                Slowdown.Exit();
            }

            return result;
        }

        Bind(call, symbols, scope, result);
        return result;
    }

    private static void Bind(ReadOnlySpan<char> call, SymbolTable symbols, Scope scope, Value[] result)
    {
        var lexer = new Lexer(call);
        SkipHead(ref lexer);
        for (int i = 0; i < result.Length; i++)
        {
            Token token = lexer.Next();
            ReadOnlySpan<char> text = lexer.TextOf(token);
            result[i] = token.Kind switch
            {
                TokenKind.Identifier => symbols.TryGet(text, out Symbol? symbol) && scope.TryGet(symbol, out Value value) ? value : default,
                _ => ReadNumber(token, text),
            };
            lexer.Next(); // ',' or ']'
        }
    }

    /// <summary>Resolves the arguments of <paramref name="call"/> against a string-keyed environment.</summary>
    public static Value[] ResolveArguments(ReadOnlySpan<char> call, Dictionary<string, Value> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): this path allocates a key per name, so it is slowed by a timed wait.
            long start = Slowdown.EnterTimed();
            try
            {
                return Resolve(call, environment);
            }
            finally
            {
                Slowdown.ExitTimed(start);
            }
        }

        return Resolve(call, environment);
    }

    private static Value[] Resolve(ReadOnlySpan<char> call, Dictionary<string, Value> environment)
    {
        var result = new Value[CountArguments(call)];
        var lexer = new Lexer(call);
        SkipHead(ref lexer);
        for (int i = 0; i < result.Length; i++)
        {
            Token token = lexer.Next();
            ReadOnlySpan<char> text = lexer.TextOf(token);
            result[i] = token.Kind switch
            {
                TokenKind.Identifier => environment.TryGetValue(new string(text), out Value value) ? value : default,
                _ => ReadNumber(token, text),
            };
            lexer.Next();
        }

        return result;
    }

    private static int CountArguments(ReadOnlySpan<char> call)
    {
        int open = call.IndexOf('[');
        if (open < 0 || call[^1] != ']')
        {
            throw new ParseException("Expected 'head[arguments]'.", 0);
        }

        ReadOnlySpan<char> inside = call[(open + 1)..^1];
        return inside.IsWhiteSpace() ? 0 : inside.Count(',') + 1;
    }

    private static void SkipHead(ref Lexer lexer)
    {
        if (lexer.Next().Kind != TokenKind.Identifier || lexer.Next().Kind != TokenKind.LeftBracket)
        {
            throw new ParseException("Expected 'head[arguments]'.", 0);
        }
    }

    private static Value ReadNumber(Token token, ReadOnlySpan<char> text)
    {
        return token.Kind switch
        {
            TokenKind.Integer when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long integer) => Value.FromInteger(integer),
            TokenKind.Integer or TokenKind.Real => Value.FromReal(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => throw new ParseException($"Expected a name or a number, found '{text.ToString()}'.", token.Start),
        };
    }
}
