using System;

namespace Lyra.Core;

/// <summary>Kinds of <see cref="Token"/>.</summary>
public enum TokenKind : byte
{
#pragma warning disable CS1591 // names say it
    End,
    Identifier,
    Integer,
    Real,
    Blank,
    BlankSequence,
    LeftBracket,
    RightBracket,
    Comma,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Arrow,
#pragma warning restore CS1591
}

/// <summary>A token: its kind and where it is in the text.</summary>
public readonly record struct Token(TokenKind Kind, int Start, int Length)
{
    /// <summary>Index just past the token.</summary>
    public int End => Start + Length;
}

/// <summary>
/// Splits Lyra source into tokens without allocating: identifiers (<c>[A-Za-z$][A-Za-z0-9$]*</c>), integers,
/// reals (<c>1.5</c>, <c>2e-3</c>), blanks (<c>_</c>, <c>__</c>), brackets, commas, operators and <c>-&gt;</c>.
/// </summary>
public ref struct Lexer
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;

    /// <summary>Starts at the beginning of <paramref name="text"/>.</summary>
    public Lexer(ReadOnlySpan<char> text)
    {
        _text = text;
        _position = 0;
    }

    /// <summary>The text of a token.</summary>
    public readonly ReadOnlySpan<char> TextOf(Token token) => _text.Slice(token.Start, token.Length);

    /// <summary>Reads the next token; <see cref="TokenKind.End"/> at the end (and after it).</summary>
    public Token Next()
    {
        ReadOnlySpan<char> text = _text;
        int i = _position;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i >= text.Length)
        {
            _position = i;
            return new Token(TokenKind.End, i, 0);
        }

        int start = i;
        char c = text[i];
        TokenKind kind;
        if (IsIdentifierStart(c))
        {
            i++;
            while (i < text.Length && IsIdentifierPart(text[i]))
            {
                i++;
            }

            kind = TokenKind.Identifier;
        }
        else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
        {
            kind = TokenKind.Integer;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[i] == '.')
            {
                kind = TokenKind.Real;
                i++;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }

            if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
            {
                int exponent = i + 1;
                if (exponent < text.Length && (text[exponent] == '+' || text[exponent] == '-'))
                {
                    exponent++;
                }

                if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
                {
                    kind = TokenKind.Real;
                    i = exponent;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }
            }
        }
        else
        {
            i++;
            switch (c)
            {
                case '_':
                    kind = TokenKind.Blank;
                    if (i < text.Length && text[i] == '_')
                    {
                        kind = TokenKind.BlankSequence;
                        i++;
                    }

                    break;
                case '[': kind = TokenKind.LeftBracket; break;
                case ']': kind = TokenKind.RightBracket; break;
                case ',': kind = TokenKind.Comma; break;
                case '(': kind = TokenKind.LeftParen; break;
                case ')': kind = TokenKind.RightParen; break;
                case '{': kind = TokenKind.LeftBrace; break;
                case '}': kind = TokenKind.RightBrace; break;
                case '+': kind = TokenKind.Plus; break;
                case '*': kind = TokenKind.Star; break;
                case '/': kind = TokenKind.Slash; break;
                case '^': kind = TokenKind.Caret; break;
                case '-':
                    kind = TokenKind.Minus;
                    if (i < text.Length && text[i] == '>')
                    {
                        kind = TokenKind.Arrow;
                        i++;
                    }

                    break;
                default:
                    throw new ParseException($"Unexpected character '{c}'.", start);
            }
        }

        _position = i;
        return new Token(kind, start, i - start);
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '$';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '$';
}

/// <summary>Malformed Lyra source.</summary>
public sealed class ParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public ParseException(string message, int position)
        : base($"{message} (at {position})") => Position = position;

    /// <summary>Zero-based character index of the problem.</summary>
    public int Position { get; }
}
