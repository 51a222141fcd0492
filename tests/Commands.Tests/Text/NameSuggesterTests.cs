using CsCheck;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Tests.Text;

public sealed class NameSuggesterTests
{
    private static readonly string[] Databases = ["prod", "production-eu", "staging", "analytics", "billing-db"];

    [Theory]
    [InlineData("prd", "prod")]
    [InlineData("prdo", "prod")]
    [InlineData("stagign", "staging")]
    [InlineData("stageing", "staging")]
    [InlineData("analitycs", "analytics")]
    [InlineData("PROD", "prod")]
    [InlineData("billing_db", "billing-db")]
    [InlineData("production-us", "production-eu")]
    public void Suggests_the_closest_existing_name(string typed, string expected) =>
        Assert.Equal(expected, NameSuggester.Closest(typed, Databases));

    [Theory]
    [InlineData("prod")]
    [InlineData("warehouse")]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("   ")]
    public void Suggests_nothing_for_an_exact_match_or_a_name_too_far_from_all(string typed) =>
        Assert.Null(NameSuggester.Closest(typed, Databases));

    [Fact]
    public void Suggests_nothing_when_there_are_no_databases() =>
        Assert.Null(NameSuggester.Closest("prod", []));

    [Fact]
    public void Ties_go_to_the_longest_shared_prefix_then_to_ordinal_order()
    {
        Assert.Equal("abcx", NameSuggester.Closest("abcd", ["zbcd", "abcx"]));
        Assert.Equal("db-a", NameSuggester.Closest("db-c", ["db-b", "db-a"]));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ab", "ba", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void Distance_is_the_optimal_string_alignment_distance(string a, string b, int expected) =>
        Assert.Equal(expected, EditDistance.Between(a, b, 10));

    [Fact]
    public void Distance_is_symmetric_and_never_exceeds_the_longer_length()
    {
        Gen.Select(Gen.String[Gen.Char['a', 'd'], 0, 8], Gen.String[Gen.Char['a', 'd'], 0, 8])
            .Sample((a, b) =>
            {
                var forward = EditDistance.Between(a, b, 20);
                return forward == EditDistance.Between(b, a, 20)
                       && forward <= Math.Max(a.Length, b.Length)
                       && (forward == 0) == (a == b);
            });
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(8, 2)]
    [InlineData(11, 2)]
    [InlineData(12, 3)]
    [InlineData(64, 3)]
    public void The_allowance_is_a_quarter_of_the_length_from_one_to_three(int length, int edits) =>
        Assert.Equal(edits, NameSuggester.AllowedEdits(length));

    [Theory]
    [InlineData("sh", null)] // two edits from show: too many for two letters
    [InlineData("shw", "show")]
    [InlineData("delete_access", "delete-access")] // dash and underscore are the same character
    [InlineData("show-acc", "show-access")] // too far by edits, but it begins only one candidate
    [InlineData("dele", null)] // begins two candidates
    [InlineData("  lsit ", "list")]
    public void Command_words(string typed, string? expected) =>
        Assert.Equal(expected, NameSuggester.Closest(typed, ["create", "list", "show", "delete", "add-access", "delete-access", "show-access"]));

    [Theory]
    [InlineData("permision", "permissions")]
    [InlineData("databses", "databases")]
    [InlineData("on-call", "oncall")]
    [InlineData("version", null)]
    public void Policy_keys_and_roles(string typed, string? expected) =>
        Assert.Equal(expected, NameSuggester.Closest(typed, ["roles", "bindings", "oncall", "permissions", "databases"]));

    [Fact]
    public void A_name_typed_exactly_needs_no_suggestion_even_when_another_is_close() =>
        Assert.Null(NameSuggester.Closest("db-a", ["db-b", "db-a"]));

    [Fact]
    public void Names_longer_than_the_limit_get_no_suggestion() =>
        Assert.Null(NameSuggester.Closest(new string('a', NameSuggester.MaxComparedLength + 1), [new string('a', NameSuggester.MaxComparedLength)]));

    [Fact]
    public void The_answer_does_not_depend_on_the_order_of_the_candidates()
    {
        Gen.Select(Gen.String[Gen.Char['a', 'c'], 1, 5], Gen.String[Gen.Char['a', 'c'], 1, 5].Array[0, 6], Gen.Int)
            .Sample((typed, names, seed) =>
            {
                var random = new Random(seed);
                var shuffled = names.OrderBy(_ => random.Next()).ToArray();
                return NameSuggester.Closest(typed, names) == NameSuggester.Closest(typed, shuffled);
            });
    }
}
