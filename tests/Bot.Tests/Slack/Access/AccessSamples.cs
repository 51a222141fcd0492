using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Tests.Slack.Access;

public static class AccessSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static ApprovalRequirement Requirement(string? slackChannel = "slack:channel:C0ADMINS") => new(
        "oncall",
        ["slack:user:U0BOSS", "slack:usergroup:S0LEADS", "role:db-admin"],
        2,
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(4),
        ReasonRequired: true,
        BreakGlassAllowed: true,
        slackChannel is null ? new Dictionary<ChatPlatform, string>() : new Dictionary<ChatPlatform, string> { [ChatPlatform.Slack] = slackChannel },
        TimeSpan.FromMinutes(30),
        OnCallAutoApprove: false);

    public static AccessRequest Request(string id = "r-7kq2", string? reason = "INC-7 replica lag") => new(
        id,
        AccessRequestKind.Grant,
        new AccessTarget("acme", "an4lyt1csro0", "prod", ["read_branch", "connect_production_branch"]),
        TimeSpan.FromHours(2),
        reason,
        new AccessRequester("slack:user:U0ALICE", "alice", ChatPlatform.Slack, "slack:channel:C0ONCALL"),
        Requirement(),
        Now,
        Now.AddMinutes(30),
        AccessRequestState.Pending,
        []);

    public static AccessGrant Grant(string id = "g-9mzt") => new(
        id,
        new AccessTarget("acme", "an4lyt1csro0", "prod", ["read_branch"]),
        ["read_branch"],
        new AccessRequester("slack:user:U0ALICE", "alice", ChatPlatform.Slack, "slack:channel:C0ONCALL"),
        "INC-7",
        "r-7kq2",
        Requirement(),
        [new AccessApproval("slack:user:U0BOSS", "boss", Now)],
        false,
        Now,
        Now.AddHours(2));

    public static IReadOnlyList<AccessAction> Buttons(string id) =>
    [
        new(AccessActionIds.Approve, "Approve", id, $"access approve {id}"),
        new(AccessActionIds.Deny, "Deny", id, $"access deny {id}"),
    ];
}
