using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Rotation;

/// <summary><c>service-token rotate</c> and <c>service-token stale</c> as typed.</summary>
public sealed class RotationParserTests
{
    private static readonly ServiceTokenCommandParser Parser = new();

    [Theory]
    [InlineData("service-token rotate ci7deploy0a1", 3600, false)]
    [InlineData("service-token rotate ci7deploy0a1 --grace 15m", 900, false)]
    [InlineData("pscale service-token rotate ci7deploy0a1 --grace=5m", 300, false)]
    [InlineData("service-token rotate ci7deploy0a1 --cancel", 3600, true)]
    public void Rotate_reads_the_token_the_grace_and_cancel(string text, int graceSeconds, bool cancel)
    {
        var outcome = Parser.Parse(text);
        var command = Assert.IsType<RotateTokenCommand>(outcome.Command);
        Assert.Equal("ci7deploy0a1", command.TokenId);
        Assert.Equal(TimeSpan.FromSeconds(graceSeconds), command.Grace);
        Assert.Equal(cancel, command.Cancel);
        Assert.Equal("rotate", command.PolicyName);
        Assert.True(command.IsMutating);
        Assert.Null(command.Scope);
    }

    [Theory]
    [InlineData("service-token rotate", "missing TOKEN_ID")]
    [InlineData("service-token rotate ci7deploy0a1 --grace 31d", "`--grace` is too long")]
    [InlineData("service-token rotate ci7deploy0a1 --grace soon", "--grace")]
    [InlineData("service-token rotate ci7deploy0a1 --cancel --grace 1h", "`--cancel` stops a scheduled deletion")]
    [InlineData("service-token rotate ci7deploy0a1 extra", "too many arguments")]
    public void Rotate_mistakes_are_named(string text, string expected)
    {
        var outcome = Parser.Parse(text);
        Assert.Null(outcome.Command);
        Assert.Contains(expected, outcome.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("service-token rotate", outcome.Error.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("service-token stale", 90)]
    [InlineData("service-token stale --unused-for 30d", 30)]
    [InlineData("service-token stale --unused-for=7d --format csv", 7)]
    public void Stale_reads_the_cut_off(string text, int days)
    {
        var command = Assert.IsType<StaleTokensCommand>(Parser.Parse(text).Command);
        Assert.Equal(TimeSpan.FromDays(days), command.UnusedFor);
        Assert.Equal("stale", command.PolicyName);
        Assert.False(command.IsMutating);
    }

    [Fact]
    public void Policies_may_name_both()
    {
        Assert.Contains("rotate", SubCommands.Changes);
        Assert.Contains("stale", SubCommands.Reads);
    }
}
