using CsCheck;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>
/// Property tests over thousands of random, grammar-built and mutated lines. They drive
/// <c>ParseUnguarded</c> (no last-resort catch), so any exception is a failure.
/// </summary>
public sealed class ParserPropertyTests
{
    private const int Iterations = 4000;

    private static readonly string[] Pieces =
    [
        "pscale", "/pscale", "@pscale", "service-token", "service-tokens", "create", "list", "show", "delete", "add-access",
        "delete-access", "show-access", "help", "whoami", "audit", "access", "approve", "deny", "revoke", "extend", "cancel",
        "--name", "--ttl", "--database", "--for", "--reason", "--break-glass", "--org", "-f", "--format", "json", "csv",
        "human", "xml", "-h", "--help", "--debug", "--dry-run", "--public", "--limit", "--", "-", "=", ",", ",,", "read_branch",
        "create_branch", "create_databases", "raed_branch", "read_branches", "manage_passwords", "database:read_branches",
        "abc123", "hnmkbklsndgi", "3600", "90m", "0", "-5", "1h30m", "99999999999999999999", "7d", "2.5h", "\"", "'", "“",
        "”", "‘", "’", "„", "«", "»", "&amp;", "&lt;", "&gt;", "&quot;", "<http://x.io|x.io>", "<mailto:a@b.io|a@b.io>",
        "<http://y.io>", "<@U1>", "<#C1|ops>", "<!here>", "<at>pscale</at>", "`", "```", "\0", "\u202E", "\u200B", "🔥",
        "حريق", "—", "–", "\uD800", "\uDC00", "#", "<", ">", "|", "prod", "--database=prod", "--ttl=2h", "--reason=\"a b\"",
        "-fjson", "-f=csv", "--debug=false", "--public=maybe", "<TOKEN_ID>", "r1", "g-7", "#r1", "-x", "--x=1", "-=",
        "--=", "\t", "\n", "\u00A0", "pscale_tkn_", "PSCALE", "-database", "-org",
    ];

    private static readonly string[] ValidLines =
    [
        "service-token create --name ci --ttl 3600",
        "service-token list -f json",
        "service-token show hnmkbklsndgi",
        "service-token delete hnmkbklsndgi",
        "service-token add-access abc123 read_branch,create_branch --database prod --for 2h --reason \"incident 4711\" --break-glass",
        "service-token delete-access abc123 delete_databases",
        "service-token show-access abc123 --org acme",
        "help add-access",
        "whoami",
        "audit --limit 50",
        "access list",
        "access approve r1",
        "access deny r1 --reason “not now”",
        "access revoke g1",
        "access extend g1 --for 1h --reason 'still digging'",
        "access cancel r1",
        "pscale service-token list --org acme.io",
    ];

    private static readonly Gen<string> AnyText = Gen.String[Gen.Char, 0, 300];

    private static readonly Gen<string> Separator = Gen.OneOfConst(" ", " ", " ", "", ",", "=", "\n", "\u00A0", "  ");

    private static readonly Gen<string> GrammarLine =
        Gen.Select(Gen.OneOfConst(Pieces), Separator).Array[0, 25]
            .Select(parts => string.Concat(parts.Select(p => p.Item1 + p.Item2)));

    private static readonly Gen<string> MutatedLine =
        Gen.Select(Gen.OneOfConst(ValidLines), Gen.Int[1, 4].SelectMany(n => Mutation.Array[n, n]))
            .Select((line, mutations) => mutations.Aggregate(line, (text, mutate) => mutate(text)));

    private static readonly Gen<string> Body = Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"], 16, 40];

    private static Gen<Func<string, string>> Mutation =>
        Gen.OneOf<Func<string, string>>(
            Gen.Int[0, 1000].Select<int, Func<string, string>>(i => s => s.Length == 0 ? s : s.Remove(i % s.Length, 1)),
            Gen.Select(Gen.Int[0, 1000], Gen.Char).Select<(int, char), Func<string, string>>(t => s => s.Insert(t.Item1 % (s.Length + 1), t.Item2.ToString())),
            Gen.Select(Gen.Int[0, 1000], Gen.OneOfConst(Pieces)).Select<(int, string), Func<string, string>>(t => s => s.Insert(t.Item1 % (s.Length + 1), t.Item2)),
            Gen.Int[0, 1000].Select<int, Func<string, string>>(i => s => s.Length < 2 ? s : Swap(s, i % (s.Length - 1))),
            Gen.Int[0, 1000].Select<int, Func<string, string>>(i => s => s[..(i % (s.Length + 1))]),
            Gen.Select(Gen.Int[0, 1000], Gen.Int[1, 30]).Select<(int, int), Func<string, string>>(t => s =>
            {
                var start = t.Item1 % (s.Length + 1);
                var length = Math.Min(t.Item2, s.Length - start);
                return s.Insert(start, s.Substring(start, length));
            }));

    private static string Swap(string s, int i)
    {
        var chars = s.ToCharArray();
        (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
        return new string(chars);
    }

    private static void AssertWellFormed(string text)
    {
        var outcome = ServiceTokenCommandParser.ParseUnguarded(text);
        Assert.NotNull(outcome.RedactedText);
        Assert.False(SecretRedactor.ContainsTokenSecret(outcome.RedactedText), "redacted text still holds a secret");
        if (outcome.Succeeded)
        {
            Assert.Null(outcome.Error);
            return;
        }

        Assert.Null(outcome.Command);
        Assert.NotNull(outcome.Error);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Error.Message), $"empty message for: {text}");
        Assert.StartsWith("Usage: ", outcome.Error.Usage);
        Assert.True(outcome.Error.Usage.Length > "Usage: ".Length);
        Assert.False(SecretRedactor.ContainsTokenSecret(outcome.Error.Message));
    }

    [Fact]
    public void Random_text_never_throws_and_every_failure_is_explained() =>
        AnyText.Sample(AssertWellFormed, iter: Iterations, threads: 1);

    [Fact]
    public void Lines_built_from_grammar_pieces_never_throw_and_every_failure_is_explained() =>
        GrammarLine.Sample(AssertWellFormed, iter: Iterations, threads: 1);

    [Fact]
    public void Mutated_valid_lines_never_throw_and_every_failure_is_explained() =>
        MutatedLine.Sample(AssertWellFormed, iter: Iterations, threads: 1);

    [Fact]
    public void Huge_inputs_are_refused_cheaply_and_explained() =>
        Gen.Select(GrammarLine, Gen.Int[4001, 20000]).Sample((line, size) =>
        {
            var text = string.Concat(Enumerable.Repeat(line + " ", size / Math.Max(1, line.Length + 1) + 1)).PadRight(size, 'x');
            var outcome = ServiceTokenCommandParser.ParseUnguarded(text);
            Assert.False(outcome.Succeeded);
            Assert.StartsWith("the command is too long", outcome.Error!.Message);
        }, iter: 200, threads: 1);

    [Fact]
    public void A_token_secret_anywhere_is_flagged_and_never_repeated() =>
        Gen.Select(Gen.OneOf(GrammarLine, MutatedLine), Body, Gen.Int[0, 1000], Gen.OneOfConst(" ", "", "\"", "“", ",", "=", ":"))
            .Sample((line, body, at, glue) =>
            {
                var secret = SecretRedactor.TokenSecretPrefix + body;
                var position = at % (line.Length + 1);
                var text = line[..position] + glue + secret + " " + line[position..];
                var outcome = ServiceTokenCommandParser.ParseUnguarded(text);

                Assert.True(outcome.ExposedSecret, text);
                Assert.False(outcome.Succeeded, text);
                Assert.DoesNotContain(body, outcome.RedactedText, StringComparison.Ordinal);
                Assert.DoesNotContain(body, outcome.Error!.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(body, outcome.Error.Usage, StringComparison.Ordinal);
            }, iter: Iterations, threads: 1);

    [Fact]
    public void A_credential_flag_is_always_refused_and_its_value_never_repeated() =>
        Gen.Select(
                GrammarLine,
                Gen.OneOfConst(SecretRedactor.CredentialFlags.ToArray()),
                Gen.Select(Body, Body),
                Gen.OneOfConst("{0}", "\"{0} {1}\"", "“{0} {1}”", "'{0} {1}'", "\"{0} {1}"),
                Gen.Select(Gen.Bool, Gen.Int[0, 1000]))
            .Sample((line, flag, values, shape, where) =>
            {
                var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, values.Item1, values.Item2);
                var written = $" --{flag}{(where.Item1 ? "=" : " ")}{value} ";
                var cut = where.Item2 % (line.Length + 1);

                // The flag must be its own word: glued to another word ("abc--api-token") it is not a flag.
                var text = line[..cut] + written + (shape.EndsWith('"') || shape == "{0}" ? line[cut..] : string.Empty);
                var outcome = ServiceTokenCommandParser.ParseUnguarded(text);

                Assert.False(outcome.Succeeded, text);
                Assert.Contains("is refused: the bot uses its own configured credentials", outcome.Error!.Message);
                Assert.DoesNotContain(values.Item1, outcome.RedactedText, StringComparison.Ordinal);
                Assert.DoesNotContain(values.Item1, outcome.Error.Message, StringComparison.Ordinal);
                if (shape != "{0}")
                {
                    Assert.DoesNotContain(values.Item2, outcome.RedactedText, StringComparison.Ordinal);
                }
            }, iter: Iterations, threads: 1);

    [Fact]
    public void Parsing_is_deterministic() =>
        MutatedLine.Sample(text =>
        {
            var first = ServiceTokenCommandParser.ParseUnguarded(text);
            var second = ServiceTokenCommandParser.ParseUnguarded(text);
            Assert.Equal(first.Error, second.Error);
            Assert.Equal(first.RedactedText, second.RedactedText);
            Assert.Equal(first.Command?.GetType(), second.Command?.GetType());
        }, iter: 1000, threads: 1);

    [Fact]
    public void The_public_parse_matches_the_unguarded_one() =>
        GrammarLine.Sample(text =>
        {
            var guarded = new ServiceTokenCommandParser().Parse(text);
            var unguarded = ServiceTokenCommandParser.ParseUnguarded(text);
            Assert.Equal(unguarded.Error, guarded.Error);
            Assert.Equal(unguarded.ExposedSecret, guarded.ExposedSecret);
        }, iter: 1000, threads: 1);

    [Fact]
    public void Help_text_is_built_for_every_topic_the_parser_produces() =>
        Gen.Select(Gen.OneOf(GrammarLine, MutatedLine, AnyText), Gen.Int[0, 1 << 16]).Sample((line, mask) =>
        {
            if (ServiceTokenCommandParser.ParseUnguarded(line).Command is not HelpCommand help)
            {
                return;
            }

            // Any subset of commands may be allowed: the mask picks it.
            var text = new CobraHelpText().Build(help.Topic, name => ((mask >> SubCommands.All.ToList().IndexOf(name)) & 1) == 1).Text;
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.False(SecretRedactor.ContainsTokenSecret(text));
        }, iter: Iterations, threads: 1);

    [Fact]
    public void Valid_lines_parse()
    {
        foreach (var line in ValidLines)
        {
            Assert.True(ServiceTokenCommandParser.ParseUnguarded(line).Succeeded, line);
        }
    }
}
