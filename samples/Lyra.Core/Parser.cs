using System;
using System.Globalization;
using Lyra.Core.Memory;

namespace Lyra.Core;

/// <summary>
/// Reads Lyra source into values. Accepts FullForm (<c>Plus[x, Times[2, y]]</c>) and infix arithmetic
/// (<c>x + 2*y^2 - z/3</c>, which becomes <c>Plus[x, Times[2, Power[y, 2]], Times[-1, Times[z, Power[3, -1]]]]</c>),
/// lists <c>{a, b}</c>, rules <c>lhs -&gt; rhs</c> and patterns: <c>x_</c> is <c>Pattern[x, Blank[]]</c>,
/// <c>x_Integer</c> is <c>Pattern[x, Blank[Integer]]</c>, <c>x__</c> is <c>Pattern[x, BlankSequence[]]</c>,
/// <c>_</c> is <c>Blank[]</c>. Identifiers are interned from the text span, so known names allocate nothing.
/// </summary>
/// <remarks>Not thread-safe (it reuses one argument stack): use one parser per thread.</remarks>
public sealed class Parser
{
    private readonly SymbolTable _symbols;
    private readonly WellKnownSymbols _known;
    private readonly ValueBuffer _stack = new(32);

    /// <summary>Creates a parser that interns into <paramref name="symbols"/>.</summary>
    public Parser(SymbolTable symbols)
    {
        _symbols = symbols ?? throw new ArgumentNullException(nameof(symbols));
        _known = symbols.Known;
    }

    /// <summary>Parses one expression; the whole text must be consumed.</summary>
    public Value Parse(ReadOnlySpan<char> text)
    {
        if (Slowdown.Enabled)
        {
            // LYRA_CORE_SLOWDOWN (see Slowdown): parsing allocates the tree, so it is slowed by a timed wait.
            long start = Slowdown.EnterTimed();
            try
            {
                return ParseCore(text);
            }
            finally
            {
                Slowdown.ExitTimed(start);
            }
        }

        return ParseCore(text);
    }

    private Value ParseCore(ReadOnlySpan<char> text)
    {
        _stack.Clear();
        var state = new State(this, text);
        Value result = state.ParseRule();
        if (state.Current.Kind != TokenKind.End)
        {
            throw new ParseException($"Unexpected '{state.Text(state.Current).ToString()}'.", state.Current.Start);
        }

        return result;
    }

    /// <summary>Parses one expression.</summary>
    public Value Parse(string text) => Parse((text ?? throw new ArgumentNullException(nameof(text))).AsSpan());

    private ref struct State
    {
        private readonly Parser _parser;
        private Lexer _lexer;

        public State(Parser parser, ReadOnlySpan<char> text)
        {
            _parser = parser;
            _lexer = new Lexer(text);
            Current = _lexer.Next();
        }

        public Token Current { get; private set; }

        public readonly ReadOnlySpan<char> Text(Token token) => _lexer.TextOf(token);

        // rule := sum ('->' rule)?
        public Value ParseRule()
        {
            Value left = ParseSum();
            if (Current.Kind != TokenKind.Arrow)
            {
                return left;
            }

            Advance();
            Value right = ParseRule();
            return Expr.Own(_parser._known.Rule, [left, right]);
        }

        // sum := product (('+' | '-') product)*
        private Value ParseSum()
        {
            Value first = ParseProduct();
            if (Current.Kind is not (TokenKind.Plus or TokenKind.Minus))
            {
                return first;
            }

            ValueBuffer stack = _parser._stack;
            int mark = stack.Count;
            stack.Add(first);
            while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
            {
                bool negate = Current.Kind == TokenKind.Minus;
                Advance();
                Value term = ParseProduct();
                stack.Add(negate ? Negate(term) : term);
            }

            return Collect(_parser._known.Plus, mark);
        }

        // product := unary (('*' | '/') unary)*
        private Value ParseProduct()
        {
            Value first = ParseUnary();
            if (Current.Kind is not (TokenKind.Star or TokenKind.Slash))
            {
                return first;
            }

            ValueBuffer stack = _parser._stack;
            int mark = stack.Count;
            stack.Add(first);
            while (Current.Kind is TokenKind.Star or TokenKind.Slash)
            {
                bool divide = Current.Kind == TokenKind.Slash;
                Advance();
                Value factor = ParseUnary();
                stack.Add(divide ? Expr.Own(_parser._known.Power, [factor, Value.FromInteger(-1)]) : factor);
            }

            return Collect(_parser._known.Times, mark);
        }

        // unary := '-' unary | power
        private Value ParseUnary()
        {
            if (Current.Kind == TokenKind.Minus)
            {
                Advance();
                return Negate(ParseUnary());
            }

            return ParsePower();
        }

        // power := call ('^' unary)?   (right-associative through unary)
        private Value ParsePower()
        {
            Value baseValue = ParseCall();
            if (Current.Kind != TokenKind.Caret)
            {
                return baseValue;
            }

            Advance();
            Value exponent = ParseUnary();
            return Expr.Own(_parser._known.Power, [baseValue, exponent]);
        }

        // call := primary ('[' args ']')?
        private Value ParseCall()
        {
            Value primary = ParsePrimary();
            if (Current.Kind != TokenKind.LeftBracket)
            {
                return primary;
            }

            if (!primary.TryGetSymbol(out Symbol? head))
            {
                throw new ParseException("Only a symbol can be applied to arguments.", Current.Start);
            }

            Advance();
            return ParseArguments(head, TokenKind.RightBracket);
        }

        private Value ParseArguments(Symbol head, TokenKind close)
        {
            ValueBuffer stack = _parser._stack;
            int mark = stack.Count;
            if (Current.Kind != close)
            {
                while (true)
                {
                    stack.Add(ParseRule());
                    if (Current.Kind == TokenKind.Comma)
                    {
                        Advance();
                        continue;
                    }

                    break;
                }
            }

            Expect(close);
            Value[] args = stack.ToArray(mark);
            stack.Truncate(mark);
            return Expr.Own(head, args);
        }

        private Value ParsePrimary()
        {
            Token token = Current;
            switch (token.Kind)
            {
                case TokenKind.Integer:
                    Advance();
                    if (!long.TryParse(Text(token), NumberStyles.None, CultureInfo.InvariantCulture, out long integer))
                    {
                        return Value.FromReal(double.Parse(Text(token), NumberStyles.Float, CultureInfo.InvariantCulture));
                    }

                    return Value.FromInteger(integer);
                case TokenKind.Real:
                    Advance();
                    return Value.FromReal(double.Parse(Text(token), NumberStyles.Float, CultureInfo.InvariantCulture));
                case TokenKind.Identifier:
                    Advance();
                    Symbol name = _parser._symbols.Intern(Text(token));
                    if (Current.Kind is TokenKind.Blank or TokenKind.BlankSequence && Current.Start == token.End)
                    {
                        return Expr.Own(_parser._known.Pattern, [Value.FromSymbol(name), ParseBlank()]);
                    }

                    return Value.FromSymbol(name);
                case TokenKind.Blank:
                case TokenKind.BlankSequence:
                    return ParseBlank();
                case TokenKind.LeftParen:
                    Advance();
                    Value inner = ParseRule();
                    Expect(TokenKind.RightParen);
                    return inner;
                case TokenKind.LeftBrace:
                    Advance();
                    return ParseArguments(_parser._known.List, TokenKind.RightBrace);
                case TokenKind.End:
                    throw new ParseException("Unexpected end of input.", token.Start);
                default:
                    throw new ParseException($"Unexpected '{Text(token).ToString()}'.", token.Start);
            }
        }

        // blank := ('_' | '__') identifier?   (the head constraint must touch the blank)
        private Value ParseBlank()
        {
            Token blank = Current;
            Symbol head = blank.Kind == TokenKind.Blank ? _parser._known.Blank : _parser._known.BlankSequence;
            Advance();
            if (Current.Kind == TokenKind.Identifier && Current.Start == blank.End)
            {
                Symbol constraint = _parser._symbols.Intern(Text(Current));
                Advance();
                return Expr.Own(head, [Value.FromSymbol(constraint)]);
            }

            return Expr.Own(head, []);
        }

        private Value Negate(Value value) =>
            value.IsNumber ? Value.Negate(value) : Expr.Own(_parser._known.Times, [Value.FromInteger(-1), value]);

        private Value Collect(Symbol head, int mark)
        {
            ValueBuffer stack = _parser._stack;
            Value[] args = stack.ToArray(mark);
            stack.Truncate(mark);
            return Expr.Own(head, args);
        }

        private void Expect(TokenKind kind)
        {
            if (Current.Kind != kind)
            {
                throw new ParseException($"Expected {kind}, found {Current.Kind}.", Current.Start);
            }

            Advance();
        }

        private void Advance() => Current = _lexer.Next();
    }
}
