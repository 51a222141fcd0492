using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Tests.Teams.Access;

internal static class AccessSamples
{
    public const string AdminsChannel = "19:admins@thread.tacv2";
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    public static readonly AccessRequester Requester = new($"teams:user:{ActivityJson.UserAad}", "Alice Example", ChatPlatform.Teams, $"teams:channel:{ActivityJson.ChannelId}");

    public static ApprovalRequirement Requirement(int approvals = 1) => new(
        "oncall", ["teams:user:00000000-0000-0000-0000-0000000000b2", "role:db-admin"], approvals, TimeSpan.FromHours(1), TimeSpan.FromHours(4),
        true, false, new Dictionary<ChatPlatform, string> { [ChatPlatform.Teams] = $"teams:channel:{AdminsChannel}" }, TimeSpan.FromMinutes(30), false);

    public static AccessRequest Request(string id = "r-7kq2", AccessRequestState state = AccessRequestState.Pending, params AccessApproval[] approvals) => new(
        id, AccessRequestKind.Grant, new AccessTarget("acme", "ci7deploy0a1", "prod", ["read_branch", "connect_production_branch"]),
        TimeSpan.FromHours(2), "INC-42 hot fix", Requester, Requirement(), Now, Now.AddMinutes(30), state, approvals);

    public static AccessRequest Approved(string id = "r-7kq2") =>
        Request(id, AccessRequestState.Approved, new AccessApproval("teams:user:b2", "Bob Approver", Now.AddMinutes(3))) with { DecidedAt = Now.AddMinutes(3), DecidedBy = "teams:user:b2" };

    public static AccessGrant Grant() => new(
        "g-9xyz", new AccessTarget("acme", "ci7deploy0a1", "prod", ["read_branch"]), ["read_branch"], Requester, "INC-42", "r-7kq2",
        Requirement(), [], false, Now, Now.AddHours(1));

    public static JsonObject Execute(JsonObject card, string verb) =>
        card["actions"]!.AsArray().Single(a => a!["verb"]!.GetValue<string>() == verb)!.AsObject();
}
