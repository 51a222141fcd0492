using CsCheck;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class DatabaseNameSuggesterTests
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
        Assert.Equal(expected, DatabaseNameSuggester.Suggest(typed, Databases));

    [Theory]
    [InlineData("prod")]
    [InlineData("warehouse")]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("   ")]
    public void Suggests_nothing_for_an_exact_match_or_a_name_too_far_from_all(string typed) =>
        Assert.Null(DatabaseNameSuggester.Suggest(typed, Databases));

    [Fact]
    public void Suggests_nothing_when_there_are_no_databases() =>
        Assert.Null(DatabaseNameSuggester.Suggest("prod", []));

    [Fact]
    public void Ties_go_to_the_longest_shared_prefix_then_to_ordinal_order()
    {
        Assert.Equal("abcx", DatabaseNameSuggester.Suggest("abcd", ["zbcd", "abcx"]));
        Assert.Equal("db-a", DatabaseNameSuggester.Suggest("db-c", ["db-b", "db-a"]));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ab", "ba", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void Distance_is_the_optimal_string_alignment_distance(string a, string b, int expected) =>
        Assert.Equal(expected, PscaleBot.Commands.Text.EditDistance.Between(a, b, 10));

    [Fact]
    public void Distance_is_symmetric_and_never_exceeds_the_longer_length()
    {
        Gen.Select(Gen.String[Gen.Char['a', 'd'], 0, 8], Gen.String[Gen.Char['a', 'd'], 0, 8])
            .Sample((a, b) =>
            {
                var forward = PscaleBot.Commands.Text.EditDistance.Between(a, b, 20);
                return forward == PscaleBot.Commands.Text.EditDistance.Between(b, a, 20)
                       && forward <= Math.Max(a.Length, b.Length)
                       && (forward == 0) == (a == b);
            });
    }
}
