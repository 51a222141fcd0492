using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>
/// Issue 9: <c>who: "*"</c> means anyone from a tenant the bot serves. Teams registers its allowed tenants with the
/// policy, as Slack registers its workspaces, so a caller from another tenant is never matched by the wildcard.
/// </summary>
public sealed class TeamsTenantPolicyTests : TeamsTestBase
{
    private const string Yaml = """
        roles:
          viewer:
            commands: [list]
            organizations: ["*"]
        bindings:
          - where: teams:channel:19:shared@thread.tacv2
            who: "*"
            roles: [viewer]
        """;

    private static readonly ChatPlace Shared = new(["teams:channel:19:shared@thread.tacv2"], false, "shared");

    [Fact]
    public void Anyone_in_the_policy_matches_the_allowed_tenant_and_never_another_tenant()
    {
        var lists = Factory.Services.GetServices<ITenantAllowList>().ToList();
        var parsed = PolicyFileLoader.Parse(Yaml);
        Assert.True(parsed.IsValid, string.Join(Environment.NewLine, parsed.Errors));
        var policy = new PolicyEvaluator(parsed.Document!, "acme", lists);
        var list = new ListTokensCommand(CommonOptions.Default);

        Assert.IsType<PolicyDecision.Allowed>(policy.Authorize(From(LocalOpenIdServer.TenantId), Shared, list, "acme"));
        Assert.IsType<PolicyDecision.Denied>(policy.Authorize(From("ffffffff-0000-0000-0000-000000000000"), Shared, list, "acme"));
        Assert.IsType<PolicyDecision.Denied>(policy.Authorize(From(null), Shared, list, "acme"));
        Assert.Empty(policy.RolesFor(From("ffffffff-0000-0000-0000-000000000000"), Shared));
    }

    private static ChatIdentity From(string? tenant) =>
        new(ChatPlatform.Teams, "teams:user:00000000-0000-0000-0000-00000000abcd", [], "Someone",
            tenant is null ? null : $"teams:tenant:{tenant}");
}
