using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Execution.Fakes;

/// <summary>
/// A deny-by-default policy for the tests: a rule binds a user (or <c>*</c>) in a place to a role with
/// commands and databases; a role may require approval for add-access.
/// </summary>
public sealed class RulePolicy : IAuthorizationPolicy
{
    private readonly List<Rule> rules = [];

    public RulePolicy Allow(string place, string who, string role, IReadOnlyList<string> commands, IReadOnlyList<string>? databases = null, ApprovalRequirement? approval = null)
    {
        rules.Add(new Rule(place, who, role, commands, databases ?? ["*"], approval));
        return this;
    }

    public PolicyDecision Authorize(ChatIdentity caller, ChatPlace place, BotCommand command, string organization)
    {
        var mine = Matching(caller, place).ToList();
        if (mine.Count == 0)
        {
            return new PolicyDecision.Denied($"you have no role in {place.DisplayName}", null);
        }

        var byCommand = mine.Where(r => r.Commands.Contains("*") || r.Commands.Contains(command.PolicyName)).ToList();
        if (byCommand.Count == 0)
        {
            var allowed = mine.SelectMany(r => r.Commands).Distinct().ToList();
            return new PolicyDecision.Denied($"`{command.PolicyName}` is not allowed here", $"You may run: {string.Join(", ", allowed)}.");
        }

        var database = command switch
        {
            AddAccessCommand a => a.Database,
            DeleteAccessCommand d => d.Database,
            _ => null,
        };
        var byDatabase = byCommand.Where(r => database is null || r.Databases.Contains("*") || r.Databases.Contains(database)).ToList();
        if (byDatabase.Count == 0)
        {
            return new PolicyDecision.Denied($"database {database} is not allowed here", $"Databases you may use: {string.Join(", ", byCommand.SelectMany(r => r.Databases).Distinct())}.");
        }

        if (byDatabase.All(r => r.Approval is not null) && command is AddAccessCommand)
        {
            return new PolicyDecision.NeedsApproval([.. byDatabase.Select(r => r.Role)], byDatabase[0].Approval!);
        }

        return new PolicyDecision.Allowed([.. byDatabase.Where(r => r.Approval is null || command is not AddAccessCommand).Select(r => r.Role)]);
    }

    /// <summary>Users whose roles carry <c>manage_bot_token: true</c>.</summary>
    public HashSet<string> BotTokenManagers { get; } = [];

    public bool MayManageBotToken(ChatIdentity caller, ChatPlace place, BotCommand command, string organization) =>
        BotTokenManagers.Contains(caller.UserId) && Authorize(caller, place, command, organization) is PolicyDecision.Allowed;

    public IReadOnlyList<string> RolesFor(ChatIdentity caller, ChatPlace place) => [.. Matching(caller, place).Select(r => r.Role).Distinct()];

    public bool AllowsSubCommand(ChatIdentity caller, ChatPlace place, string policyName) =>
        Matching(caller, place).Any(r => r.Commands.Contains("*") || r.Commands.Contains(policyName));

    public bool IsApprover(ChatIdentity approver, ChatPlace place, ApprovalRequirement requirement) =>
        requirement.Approvers.Contains(approver.UserId);

    private IEnumerable<Rule> Matching(ChatIdentity caller, ChatPlace place) =>
        rules.Where(r => place.Ids.Contains(r.Place) && (r.Who == "*" || caller.AllIds.Contains(r.Who)));

    private sealed record Rule(string Place, string Who, string Role, IReadOnlyList<string> Commands, IReadOnlyList<string> Databases, ApprovalRequirement? Approval);
}
