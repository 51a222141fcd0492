using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>The pieces under the parser: platform-neutral normalisation, word splitting, durations, spelling suggestions.</summary>
public sealed class LexicalTests
{
    [Theory]
    [InlineData("`list`", "list")]
    [InlineData("```\nlist\n```", "list")]
    [InlineData("a\u00A0b\u3000c", "a b c")]
    [InlineData("a\u200Bb\u200E\uFEFF", "ab")]
    [InlineData("a\0b\tc\r\nd", "a b c  d")]
    public void Normalize_undoes_what_any_client_does(string input, string expected) =>
        Assert.Equal(expected, ChatTextNormalizer.Normalize(input));

    // Platform markup is the adapters' job (SlackCommandTextTests, BotMentionTextTests): the core
    // gets text decoded once and must not decode it again, or a typed "&lt;" would become "<".
    [Theory]
    [InlineData("&lt;")]
    [InlineData("&amp;lt;")]
    [InlineData("a &amp; b")]
    [InlineData("<TOKEN_ID>")]
    [InlineData("<http://x.io|x.io>")]
    [InlineData("<at>pscale</at>")]
    public void Normalize_leaves_platform_markup_and_entities_alone(string input) =>
        Assert.Equal(input, ChatTextNormalizer.Normalize(input));

    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("\"a b\" c", new[] { "a b", "c" })]
    [InlineData("'a b' c", new[] { "a b", "c" })]
    [InlineData("“a b” ‘c d’", new[] { "a b", "c d" })]
    [InlineData("„a b“ «c d»", new[] { "a b", "c d" })]
    [InlineData("“a b\" \"c d”", new[] { "a b", "c d" })]
    [InlineData("don't stop", new[] { "don't", "stop" })]
    [InlineData("don’t stop", new[] { "don’t", "stop" })]
    [InlineData("'it's fine'", new[] { "it's fine" })]
    [InlineData("\"say 'hi' now\"", new[] { "say 'hi' now" })]
    [InlineData("\"say \"hi\" now\"", new[] { "say \"hi", "now\"" })] // nested same quotes: closes at the first closer before a space
    [InlineData("--reason=\"a b\"", new[] { "--reason=a b" })]
    [InlineData("\"a\"b", new[] { "ab" })]
    [InlineData("\"\"", new[] { "" })]
    [InlineData("—database x", new[] { "--database", "x" })]
    [InlineData("–-database x", new[] { "--database", "x" })]
    [InlineData("a—b", new[] { "a—b" })]
    [InlineData("", new string[0])]
    public void Tokenize_splits_like_a_forgiving_shell(string input, string[] expected)
    {
        var line = CommandLineTokenizer.Tokenize(input);
        Assert.Null(line.UnclosedQuote);
        Assert.Equal(expected, line.Words.Select(w => w.Text));
    }

    [Fact]
    public void Quoted_words_are_marked_so_they_are_never_flags()
    {
        var words = CommandLineTokenizer.Tokenize("\"--x\" --y=\"a b\" z").Words;
        Assert.Equal([true, false, false], words.Select(w => w.Quoted));
    }

    [Theory]
    [InlineData("\"abc", '"')]
    [InlineData("x “abc", '“')]
    [InlineData("'abc", '\'')]
    [InlineData("a \"b\" \"c", '"')]
    public void Tokenize_reports_the_unclosed_quote(string input, char quote) =>
        Assert.Equal(quote, CommandLineTokenizer.Tokenize(input).UnclosedQuote);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("3600", 3600)]
    [InlineData("45s", 45)]
    [InlineData("90m", 5400)]
    [InlineData("2h", 7200)]
    [InlineData("7d", 604800)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d2h3m4s", 93784)]
    [InlineData("2H", 7200)]
    [InlineData("2147483647", 2147483647)]
    [InlineData("0001", 1)]
    public void Durations_in_seconds_or_units(string value, long seconds)
    {
        Assert.True(DurationParser.TryParse(value, "--ttl", out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("", "invalid duration `` for `--for`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    [InlineData("h", "invalid duration `h` for `--for`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    [InlineData("1w", "invalid duration `1w` for `--for`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    [InlineData("PT1H", "invalid duration `PT1H` for `--for`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    [InlineData("٣", "invalid duration `٣` for `--for`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    [InlineData("0s", "`--for` must be longer than zero")]
    [InlineData("-0", "`--for` must be positive, not `-0`")]
    [InlineData("2147483648", "`--for` is too long: at most 2147483647 seconds (about 68 years)")]
    [InlineData("24856d", "`--for` is too long: at most 2147483647 seconds (about 68 years)")]
    [InlineData("99999999999999999999d99999999999999999999h99999999999999999999m99999999999999999999s", "`--for` is too long: at most 2147483647 seconds (about 68 years)")]
    public void Bad_durations(string value, string message)
    {
        Assert.False(DurationParser.TryParse(value, "--for", out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("read_branch", "read_branch", 0)]
    [InlineData("raed_branch", "read_branch", 1)]
    [InlineData("read_brnach", "read_branch", 1)]
    [InlineData("read_branc", "read_branch", 1)]
    [InlineData("xread_branch", "read_branch", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("ca", "abc", 3)]
    public void Damerau_levenshtein_distance(string a, string b, int expected) =>
        Assert.Equal(expected, PscaleBot.Commands.Text.EditDistance.Between(a, b));

    [Theory]
    [InlineData("lst", "list")]
    [InlineData("LIST", "list")]
    [InlineData("delete_acess", "delete-access")]
    [InlineData("show-acc", "show-access")]
    [InlineData("sh", null)]
    [InlineData("zzzzzz", null)]
    [InlineData("", null)]
    public void Closest_word(string input, string? expected) =>
        Assert.Equal(expected, PscaleBot.Commands.Text.NameSuggester.Closest(input, ["create", "list", "show", "delete", "add-access", "delete-access", "show-access"]));

    [Fact]
    public void Very_long_words_get_no_suggestion() =>
        Assert.Null(PscaleBot.Commands.Text.NameSuggester.Closest(new string('a', 65), ["a"]));
}
