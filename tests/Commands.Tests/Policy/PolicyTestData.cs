using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Policy;

/// <summary>Callers, places and commands shared by the policy tests.</summary>
internal static class PolicyTestData
{
    /// <summary>The bot's default organization in these tests: the only one a role without <c>organizations:</c> allows.</summary>
    public const string DefaultOrganization = "acme";

    public static PolicyEvaluator Evaluator(string yaml, string? defaultOrganization = DefaultOrganization)
    {
        var result = PolicyFileLoader.Parse(yaml);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return new PolicyEvaluator(result.Document!, defaultOrganization);
    }

    public static ChatIdentity Slack(string user, params string[] groups) =>
        new(ChatPlatform.Slack, $"slack:user:{user}", [.. groups.Select(g => $"slack:usergroup:{g}")], user);

    public static ChatIdentity Teams(string user) => new(ChatPlatform.Teams, $"teams:user:{user}", [], user);

    public static ChatIdentity ShellUser { get; } = new(ChatPlatform.Shell, "shell:user:alice", [], "alice");

    public static ChatPlace Channel(string id, string name) => new([$"slack:channel:{id}"], IsDirect: false, name);

    public static ChatPlace TeamsChannel(string channel, string team) =>
        new([$"teams:channel:{channel}", $"teams:team:{team}"], IsDirect: false, "General");

    public static ChatPlace Direct { get; } = new(["direct"], IsDirect: true, "direct message");

    public static AddAccessCommand AddAccess(string? database, string duration, params string[] permissions) =>
        new(CommonOptions.Default, "tok1", permissions, database, Duration(duration));

    public static AddAccessCommand BreakGlass(string? database, string duration, params string[] permissions) =>
        AddAccess(database, duration, permissions) with { BreakGlass = true };

    public static DeleteAccessCommand DeleteAccess(string? database, params string[] permissions) =>
        new(CommonOptions.Default, "tok1", permissions, database);

    public static BotCommand List => new ListTokensCommand(CommonOptions.Default);

    public static BotCommand Delete => new DeleteTokenCommand(CommonOptions.Default, "tok1");

    public static BotCommand Create => new CreateTokenCommand(CommonOptions.Default, "ci", null);

    public static BotCommand Help => new HelpCommand(CommonOptions.Default, null);

    public static BotCommand WhoAmI => new WhoAmICommand(CommonOptions.Default);

    /// <summary>One line per decision, so a table can state the whole expected outcome exactly.</summary>
    public static string Describe(PolicyDecision decision) => decision switch
    {
        PolicyDecision.Allowed a => $"allowed: {string.Join(", ", a.Roles)}",
        PolicyDecision.NeedsApproval n =>
            $"approval: {string.Join(", ", n.Roles)} (rule of {n.Requirement.Role}, {n.Requirement.RequiredApprovals} approvals, max {PolicyDuration.Format(n.Requirement.MaxDuration)})",
        PolicyDecision.Denied d => $"denied: {d.Reason}" + (d.Alternative is null ? "" : $" | {d.Alternative}"),
        _ => throw new InvalidOperationException(),
    };

    private static TimeSpan? Duration(string text) =>
        text.Length == 0 ? null : PolicyDuration.TryParse(text, out var d) ? d : throw new ArgumentException(text);
}
