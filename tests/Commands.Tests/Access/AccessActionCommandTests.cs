using PscaleBot.Commands.Access;

namespace PscaleBot.Commands.Tests.Access;

/// <summary>One button → command mapping for every platform (was SlackAccessActionHandler.CommandFor and TeamsAccessActionHandler's own).</summary>
public sealed class AccessActionCommandTests
{
    [Theory]
    [InlineData(AccessActionIds.Approve, "r-7kq2", null, "access approve r-7kq2")]
    [InlineData(AccessActionIds.Deny, "r-7kq2", null, "access deny r-7kq2")]
    [InlineData(AccessActionIds.Revoke, "g-9mzt", null, "access revoke g-9mzt")]
    [InlineData(AccessActionIds.Extend, "g-9mzt", null, "access extend g-9mzt --for 1h")]
    [InlineData(AccessActionIds.Extend, "g-9mzt", "2h", "access extend g-9mzt --for 2h")]
    [InlineData(AccessActionIds.Extend, "g-9mzt", "1h30m", "access extend g-9mzt --for 1h30m")]
    [InlineData(AccessActionIds.Extend, "g-9mzt", "2h; access revoke g-9mzt", "access extend g-9mzt --for 1h")]
    [InlineData(AccessActionIds.Approve, "r-7kq2abcdefgh", null, "access approve r-7kq2abcdefgh")]
    public void A_button_becomes_the_typed_command(string actionId, string id, string? duration, string expected) =>
        Assert.Equal(expected, AccessActionCommand.For(actionId, id, duration));

    [Theory]
    [InlineData(AccessActionIds.Approve, null)]
    [InlineData(AccessActionIds.Approve, "")]
    [InlineData(AccessActionIds.Approve, "r-7KQ2")] // upper case: a person may type it, a button never sends it
    [InlineData(AccessActionIds.Approve, "7kq2")] // no prefix
    [InlineData(AccessActionIds.Approve, " r-7kq2")]
    [InlineData(AccessActionIds.Approve, "r-7kq")] // too short
    [InlineData(AccessActionIds.Approve, "r-7kq2abcdefgh2")] // too long
    [InlineData(AccessActionIds.Approve, "r-0o1l")] // confusable characters are never generated
    [InlineData(AccessActionIds.Deny, "r-7kq2\naccess revoke g-9mzt")]
    [InlineData(AccessActionIds.Revoke, "r-7kq2")] // a request id on a grant action
    [InlineData(AccessActionIds.Approve, "g-9mzt")] // a grant id on a request action
    [InlineData("pscale.access.delete", "r-7kq2")]
    [InlineData("other", "r-7kq2")]
    public void Anything_else_is_refused(string actionId, string? id) =>
        Assert.Null(AccessActionCommand.For(actionId, id));
}
