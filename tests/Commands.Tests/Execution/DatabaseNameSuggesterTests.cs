using PscaleBot.Commands.Execution;

namespace PscaleBot.Commands.Tests.Execution;

public sealed class DatabaseNameSuggesterTests
{
    private static readonly string[] Databases = ["analytics", "prod", "prod-eu", "staging"];

    [Theory]
    [InlineData("prdo", "prod")]
    [InlineData("Prod", "prod")]
    [InlineData("stagin", "staging")]
    [InlineData("prod-us", "prod-eu")]
    [InlineData("analitycs", "analytics")]
    [InlineData("billing", null)]
    [InlineData("x", null)]
    public void Suggests_the_closest_name_only_when_it_is_a_likely_typo(string typed, string? expected)
    {
        Assert.Equal(expected, DatabaseNameSuggester.Closest(typed, Databases));
    }

    [Fact]
    public void A_swap_of_neighbours_is_one_edit()
    {
        Assert.Equal(1, DatabaseNameSuggester.Distance("prdo", "prod"));
        Assert.Equal(3, DatabaseNameSuggester.Distance("kitten", "sitting"));
    }
}
