namespace PscaleBot.Commands.Policy;

/// <summary>
/// A name pattern from the policy file: <c>*</c> matches any run of characters (also none), <c>?</c> exactly one,
/// everything else itself. Matching ignores case (ordinal, invariant): PlanetScale names are lower-case, and an
/// approval rule such as <c>databases: ["prod*"]</c> must not be sidestepped by typing <c>PROD-main</c>.
/// Patterns are compiled once, when the policy file is loaded.
/// </summary>
public sealed class Glob
{
    private enum Shape { Any, Exact, Prefix, Pattern }

    private readonly Shape _shape;
    private readonly string _literal;

    private Glob(string pattern)
    {
        Pattern = pattern;
        if (pattern.Length > 0 && pattern.All(c => c == '*'))
        {
            _shape = Shape.Any;
            _literal = "";
        }
        else if (pattern.IndexOfAny(['*', '?']) < 0)
        {
            _shape = Shape.Exact;
            _literal = pattern;
        }
        else if (pattern.EndsWith('*') && pattern.AsSpan(0, pattern.Length - 1).IndexOfAny('*', '?') < 0)
        {
            _shape = Shape.Prefix;
            _literal = pattern[..^1];
        }
        else
        {
            _shape = Shape.Pattern;
            _literal = pattern;
        }
    }

    /// <summary>The pattern as written in the policy file.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern is <c>*</c>: it matches every name.</summary>
    public bool MatchesEverything => _shape == Shape.Any;

    /// <summary>True when the pattern has no wildcard.</summary>
    public bool IsLiteral => _shape == Shape.Exact;

    /// <summary>The characters a pattern may use besides letters and digits, per kind of name.</summary>
    internal const string NameSymbols = "-_.";

    /// <summary>Compiles a pattern; returns null and a reason when it uses characters names never contain.</summary>
    public static Glob? TryCompile(string pattern, out string? problem)
    {
        if (pattern.Length == 0)
        {
            problem = "an empty pattern matches nothing";
            return null;
        }

        foreach (var c in pattern)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || NameSymbols.Contains(c) || c is '*' or '?'))
            {
                problem = $"'{c}' is not allowed; a pattern uses letters, digits, '-', '_', '.', '*' (any run) and '?' (one character)";
                return null;
            }
        }

        problem = null;
        return new Glob(pattern);
    }

    /// <summary>Compiles a pattern already known to be valid (tests, defaults).</summary>
    public static Glob Compile(string pattern) =>
        TryCompile(pattern, out var problem) ?? throw new ArgumentException(problem, nameof(pattern));

    /// <summary>The pattern that matches everything.</summary>
    public static Glob Any { get; } = new("*");

    /// <summary>Whether <paramref name="name"/> matches, ignoring case.</summary>
    public bool IsMatch(string name) => _shape switch
    {
        Shape.Any => true,
        Shape.Exact => string.Equals(name, _literal, StringComparison.OrdinalIgnoreCase),
        Shape.Prefix => name.StartsWith(_literal, StringComparison.OrdinalIgnoreCase),
        _ => WildcardMatch(_literal, name),
    };

    /// <inheritdoc />
    public override string ToString() => Pattern;

    // Greedy two-pointer match with one backtrack point per '*': linear in practice, no regex engine, no
    // catastrophic backtracking whatever the pattern.
    private static bool WildcardMatch(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || CharEquals(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool CharEquals(char a, char b) => char.ToLowerInvariant(a) == char.ToLowerInvariant(b);
}

/// <summary>A list of patterns that matches a name when any of them does. An empty set matches nothing.</summary>
public sealed class GlobSet
{
    private readonly Glob[] _globs;

    /// <summary>Creates a set from compiled patterns.</summary>
    public GlobSet(IEnumerable<Glob> globs) => _globs = [.. globs];

    /// <summary>The set that matches nothing (deny by default).</summary>
    public static GlobSet None { get; } = new([]);

    /// <summary>The set that matches everything.</summary>
    public static GlobSet All { get; } = new([Glob.Any]);

    /// <summary>Compiles patterns already known to be valid.</summary>
    public static GlobSet Of(params string[] patterns) => new(patterns.Select(Glob.Compile));

    /// <summary>The patterns, in file order.</summary>
    public IReadOnlyList<Glob> Globs => _globs;

    /// <summary>True when the set matches nothing.</summary>
    public bool IsEmpty => _globs.Length == 0;

    /// <summary>True when some pattern is <c>*</c>.</summary>
    public bool MatchesEverything => _globs.Any(g => g.MatchesEverything);

    /// <summary>Whether any pattern matches <paramref name="name"/>.</summary>
    public bool IsMatch(string name)
    {
        foreach (var glob in _globs)
        {
            if (glob.IsMatch(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The patterns, comma-separated, for messages.</summary>
    public override string ToString() => _globs.Length == 0 ? "none" : string.Join(", ", _globs.Select(g => g.Pattern));
}
