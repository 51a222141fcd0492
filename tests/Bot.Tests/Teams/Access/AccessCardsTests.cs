using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Bot.Teams.Access;
using PscaleBot.Commands.Access;
using static PscaleBot.Bot.Tests.Teams.Access.AccessSamples;

namespace PscaleBot.Bot.Tests.Teams.Access;

public sealed class AccessCardsTests
{
    [Fact]
    public void Each_settled_state_says_who_and_when()
    {
        var at = Now.AddMinutes(3);
        Assert.Equal("Approved by Bob Approver at 2026-11-28 18:03 UTC", AccessCards.Outcome(Approved(), null));
        Assert.Equal("Denied by Carol at 2026-11-28 18:03 UTC: not during the freeze",
            AccessCards.Outcome(Request().MoveTo(AccessRequestState.Denied, "teams:user:c3", at, "not during the freeze"), "Carol"));
        Assert.Equal("Cancelled by Alice Example at 2026-11-28 18:03 UTC", AccessCards.Outcome(Request().MoveTo(AccessRequestState.Cancelled, Requester.UserId, at), null));
        Assert.Equal("Expired unanswered at 2026-11-28 18:03 UTC", AccessCards.Outcome(Request().MoveTo(AccessRequestState.Expired, AccessActors.System, at), null));
    }

    [Fact]
    public void A_pending_card_has_buttons_and_a_settled_one_has_none()
    {
        var pending = TeamsWire.Json(AccessCards.Pending(Request(), AccessCards.RequestActions("r-7kq2")));
        var settled = TeamsWire.Json(AccessCards.Settled(Approved(), null));

        Assert.Equal(2, pending["actions"]!.AsArray().Count);
        Assert.Equal("1.5", pending["version"]!.GetValue<string>());
        Assert.Contains("access approve r-7kq2", pending.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(settled["actions"]);
        Assert.Contains("Approved by Bob Approver", settled["fallbackText"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_partly_approved_request_shows_its_progress()
    {
        var partly = Request(approvals: new AccessApproval("teams:user:b2", "Bob Approver", Now)) with { Requirement = Requirement(2) };

        var card = TeamsWire.Json(AccessCards.Pending(partly, AccessCards.RequestActions(partly.Id)));

        Assert.Contains("Approved so far by Bob Approver; 1 of 2 approvals.", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_card_tells_approvers_why_on_call_auto_approval_was_skipped()
    {
        const string Note = "PagerDuty could not be reached, so on-call auto-approval was skipped.";

        var card = TeamsWire.Json(AccessCards.Pending(Request(), AccessCards.RequestActions("r-7kq2"), Note));

        var block = Assert.Single(card["body"]!.AsArray(), b => b!["text"]?.GetValue<string>() == Note)!;
        Assert.Equal("warning", block["color"]!.GetValue<string>(), ignoreCase: true);
        Assert.EndsWith(Note, card["fallbackText"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("auto-approval", TeamsWire.Json(AccessCards.Pending(Request(), AccessCards.RequestActions("r-7kq2"))).ToJsonString(), StringComparison.Ordinal);
    }
}
