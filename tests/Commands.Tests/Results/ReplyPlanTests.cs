using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Results;

/// <summary>Secret routing, decided once for every chat platform (each platform has one thin mapping test).</summary>
public sealed class ReplyPlanTests
{
    private static readonly ChatPlace Channel = new(["slack:channel:C1"], IsDirect: false, "#ops");
    private static readonly ChatPlace Direct = new(["direct"], IsDirect: true, "a DM");
    private static readonly MessageResult Done = new("done", MessageTone.Success);

    private static TokenTable Created() => new("acme", TokenTableKind.Created,
        [new ServiceToken("abc", null, DateTimeOffset.UnixEpoch, null, null, new TokenSecret("pscale_tkn_X"))]);

    private static CommandResponse Response(CommandResult result, ResponseVisibility visibility = ResponseVisibility.Private, string? announcement = null, string? warning = null) =>
        new([result], OutputFormat.Human, visibility, announcement, warning);

    [Theory]
    [InlineData(ResponseVisibility.Private)]
    [InlineData(ResponseVisibility.Public)]
    public void A_secret_goes_to_the_requester_only_whatever_was_asked(ResponseVisibility visibility)
    {
        var part = Assert.Single(ReplyPlan.For(Response(Created(), visibility), Channel).Parts);
        Assert.Equal(new ReplyPart(ReplyContent.Results, ReplyAudience.RequesterOnly), part);
        Assert.True(part.HoldsSecret);
    }

    [Fact]
    public void A_secret_beside_an_announcement_still_goes_to_the_requester_only_and_the_announcement_holds_none()
    {
        var plan = ReplyPlan.For(Response(Created(), ResponseVisibility.Public, announcement: "alice created abc"), Channel);
        Assert.Equal(
            [new ReplyPart(ReplyContent.Results, ReplyAudience.RequesterOnly), new ReplyPart(ReplyContent.Announcement, ReplyAudience.Place)],
            plan.Parts);
        Assert.Single(plan.Parts, p => p.HoldsSecret);
    }

    [Fact]
    public void Answers_are_private_by_default_and_in_the_place_with_public()
    {
        Assert.Equal(ReplyAudience.Requester, Assert.Single(ReplyPlan.For(Response(Done), Channel).Parts).Audience);
        Assert.Equal(ReplyAudience.Place, Assert.Single(ReplyPlan.For(Response(Done, ResponseVisibility.Public), Channel).Parts).Audience);
    }

    [Fact]
    public void Errors_are_private_and_never_announced()
    {
        var error = new ErrorResult("no", null, null, ErrorCategory.Api);
        var part = Assert.Single(ReplyPlan.For(Response(error, ResponseVisibility.Public, announcement: "x"), Channel).Parts);
        Assert.Equal(new ReplyPart(ReplyContent.Results, ReplyAudience.Requester), part);
    }

    [Fact]
    public void The_secret_warning_comes_first_privately_then_the_answer_then_the_announcement()
    {
        var plan = ReplyPlan.For(Response(Done, announcement: "alice deleted abc", warning: "You pasted a secret."), Channel);
        Assert.Equal(
            [
                new ReplyPart(ReplyContent.SecretWarning, ReplyAudience.Requester),
                new ReplyPart(ReplyContent.Results, ReplyAudience.Requester),
                new ReplyPart(ReplyContent.Announcement, ReplyAudience.Place),
            ],
            plan.Parts);
        Assert.True(plan.Announces);
    }

    [Fact]
    public void Nothing_is_announced_in_a_direct_chat()
    {
        var plan = ReplyPlan.For(Response(Done, announcement: "alice deleted abc"), Direct);
        Assert.False(plan.Announces);
        Assert.Equal(plan, ReplyPlan.For(Response(Done, announcement: "alice deleted abc"), directPlace: true), new PartsComparer());
    }

    private sealed class PartsComparer : IEqualityComparer<ReplyPlan>
    {
        public bool Equals(ReplyPlan? x, ReplyPlan? y) => x!.Parts.SequenceEqual(y!.Parts);

        public int GetHashCode(ReplyPlan obj) => obj.Parts.Count;
    }
}
