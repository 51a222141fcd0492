using PscaleBot.Bot.Chat;

namespace PscaleBot.Bot.Tests.Chat;

public sealed class ActionPrefixRouterTests
{
    private static readonly ActionPrefixRouter<string> Router = new(["pscale.access.", "pscale.access.extend", "", "pscale."], h => h);

    [Theory]
    [InlineData("pscale.access.approve", "pscale.access.")]
    [InlineData("pscale.access.extend", "pscale.access.extend")]
    [InlineData("pscale.other", "pscale.")]
    public void The_longest_matching_prefix_wins(string actionId, string expected) =>
        Assert.Equal(expected, Router.Find(actionId));

    [Theory]
    [InlineData("other.access.approve")]
    [InlineData("PSCALE.access.approve")]
    public void No_handler_owns_an_unknown_id(string actionId) =>
        Assert.Null(Router.Find(actionId));
}
