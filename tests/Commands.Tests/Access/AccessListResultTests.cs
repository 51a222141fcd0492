using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results.Tables;

namespace PscaleBot.Commands.Tests.Access;

public sealed class AccessListResultTests
{
    private static readonly DateTimeOffset Now = AccessStoreTests.T0;

    // The clock is a year off on purpose: "in 30m" must count from when the list was read.
    private static string Text(AccessListResult result) => TableViewText.Render(TableViews.For(result), Now.AddYears(1));

    [Fact]
    public void Rows_render_as_a_pscale_style_table_requests_first()
    {
        var request = AccessStoreTests.Request("r-7kq2") with { Approvals = [new AccessApproval("slack:user:UBOB", "Bob", Now)] };
        request = request with { Requirement = request.Requirement with { RequiredApprovals = 2 } };
        var grant = AccessStoreTests.Grant("g-4m9x", Now.AddMinutes(90)) with { Reason = "INC-42" };
        var result = new AccessListResult([AccessListRow.From(grant, Now), AccessListRow.From(request, Now)], Now);

        var expected = string.Join("\n",
            "  ID       STATUS        REQUESTER   TOKEN   DATABASE   PERMISSIONS                 UNTIL                             NOTE",
            " -------- ------------- ----------- ------- ---------- --------------------------- --------------------------------- --------",
            "  r-7kq2   pending 1/2   Alice       tok     prod       connect_production_branch   2026-11-28 03:30 UTC (in 30m)     INC",
            "  g-4m9x   active        Alice       tok     prod       connect_production_branch   2026-11-28 04:30 UTC (in 1h30m)   INC-42");
        Assert.Equal(expected, Text(result));
    }

    [Fact]
    public void An_overdue_grant_shows_its_failed_attempts_and_last_error()
    {
        var grant = AccessStoreTests.Grant("g-4m9x", Now.AddMinutes(-5)) with { RevokeAttempts = 2, LastError = "PlanetScale answered 503" };
        var row = AccessListRow.From(grant, Now);
        Assert.Equal("overdue (2 failed revoke attempt(s))", row.Status);
        Assert.Equal("PlanetScale answered 503", row.Note);
        Assert.Contains("(5m ago)", Text(new AccessListResult([row], Now)), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_to_show_is_said_in_words()
    {
        Assert.Equal("No pending access requests or active grants.", Text(new AccessListResult([], Now)));
    }

    [Theory]
    [InlineData(120, "2h")]
    [InlineData(90, "1h30m")]
    [InlineData(45, "45m")]
    [InlineData(1500, "1d1h")]
    public void Durations_read_as_people_type_them(int minutes, string expected) =>
        Assert.Equal(expected, AccessText.Duration(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void Approvers_are_reached_in_the_rules_request_channel_else_where_the_request_was_made()
    {
        var requester = new AccessRequester("slack:user:UALICE", "Alice", ChatPlatform.Slack, "slack:channel:CASKED");
        var rule = AccessStoreTests.Rule with { RequestChannels = new Dictionary<ChatPlatform, string> { [ChatPlatform.Slack] = "slack:channel:CAPPROVE" } };
        Assert.Equal("slack:channel:CAPPROVE", AccessText.Approvers(rule, requester).ConversationId);
        Assert.Equal("slack:channel:CASKED", AccessText.Approvers(AccessStoreTests.Rule, requester).ConversationId);
        Assert.Equal("slack:channel:CASKED", AccessText.Approvers(null, requester with { Platform = ChatPlatform.Slack }).ConversationId);
    }
}
