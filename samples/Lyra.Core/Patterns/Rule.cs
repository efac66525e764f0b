using System;
using System.Collections.Generic;

namespace Lyra.Core.Patterns;

/// <summary>A rewrite rule <c>lhs -&gt; rhs</c>: where <c>lhs</c> matches, <c>rhs</c> with the bindings substituted.</summary>
public sealed class Rule
{
    /// <summary>Creates a rule.</summary>
    public Rule(Value lhs, Value rhs)
    {
        Lhs = lhs;
        Rhs = rhs;
    }

    /// <summary>The pattern.</summary>
    public Value Lhs { get; }

    /// <summary>The replacement template.</summary>
    public Value Rhs { get; }

    /// <summary>The head the pattern needs, or null when it can match any head (a blank at the top).</summary>
    public Symbol? Head =>
        Lhs.TryGetExpr(out Expr? e) && e.Head.Builtin is not (Builtin.Pattern or Builtin.Blank or Builtin.BlankSequence)
            ? e.Head
            : null;

    /// <summary>Parses <c>lhs -&gt; rhs</c>.</summary>
    public static Rule Parse(Parser parser, string text)
    {
        ArgumentNullException.ThrowIfNull(parser);
        Value rule = parser.Parse(text);
        if (!rule.TryGetExpr(out Expr? e) || e.Head.Builtin != Builtin.Rule || e.Count != 2)
        {
            throw new ParseException("Expected a rule 'lhs -> rhs'.", 0);
        }

        return new Rule(e[0], e[1]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Lhs} -> {Rhs}";
}

/// <summary>
/// An ordered list of rules, indexed by the head their pattern needs so a node is only tried against rules that
/// can match it. Earlier rules win.
/// </summary>
public sealed class RuleSet
{
    private readonly List<(int Order, Rule Rule)> _any = [];
    private readonly Dictionary<Symbol, List<(int Order, Rule Rule)>> _byHead = new(ReferenceEqualityComparer.Instance);
    private readonly List<Rule> _all = [];

    /// <summary>Creates a rule set.</summary>
    public RuleSet(IEnumerable<Rule>? rules = null)
    {
        if (rules is not null)
        {
            foreach (Rule rule in rules)
            {
                Add(rule);
            }
        }
    }

    /// <summary>Parses each text as a rule.</summary>
    public static RuleSet Parse(Parser parser, params IEnumerable<string> rules)
    {
        var set = new RuleSet();
        foreach (string text in rules)
        {
            set.Add(Rule.Parse(parser, text));
        }

        return set;
    }

    /// <summary>Number of rules.</summary>
    public int Count => _all.Count;

    /// <summary>The rules in order.</summary>
    public IReadOnlyList<Rule> Rules => _all;

    /// <summary>Appends a rule (it loses to every earlier one).</summary>
    public void Add(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var entry = (_all.Count, rule);
        _all.Add(rule);
        if (rule.Head is { } head)
        {
            if (!_byHead.TryGetValue(head, out List<(int, Rule)>? list))
            {
                _byHead.Add(head, list = []);
            }

            list.Add(entry);
        }
        else
        {
            _any.Add(entry);
        }
    }

    /// <summary>
    /// Finds the first rule whose pattern matches <paramref name="subject"/>; its bindings are left in
    /// <paramref name="bindings"/> (cleared first).
    /// </summary>
    public Rule? FindMatch(Value subject, Bindings bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        List<(int Order, Rule Rule)>? byHead = null;
        if (subject.TryGetExpr(out Expr? e))
        {
            _byHead.TryGetValue(e.Head, out byHead);
        }

        int h = 0, a = 0;
        int headCount = byHead?.Count ?? 0;
        while (h < headCount || a < _any.Count)
        {
            // Merge the two lists by original order so earlier rules keep winning.
            bool takeHead = a == _any.Count || (h < headCount && byHead![h].Order < _any[a].Order);
            Rule rule = takeHead ? byHead![h++].Rule : _any[a++].Rule;
            bindings.Clear();
            if (PatternMatcher.Match(rule.Lhs, subject, bindings))
            {
                return rule;
            }
        }

        bindings.Clear();
        return null;
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<Symbol>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(Symbol? x, Symbol? y) => ReferenceEquals(x, y);

        public int GetHashCode(Symbol obj) => obj.Id;
    }
}
