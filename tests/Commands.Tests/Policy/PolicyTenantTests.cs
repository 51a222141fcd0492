using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using static PscaleBot.Commands.Tests.Policy.PolicyTestData;

namespace PscaleBot.Commands.Tests.Policy;

/// <summary>Issue 9, finding 13: <c>who: "*"</c> means anyone from a served tenant, never a user from another organization.</summary>
public sealed class PolicyTenantTests
{
    private const string Yaml = """
        roles:
          viewer:
            commands: [list]
            organizations: ["*"]
        bindings:
          - where: slack:channel:CSHARED
            who: "*"
            roles: [viewer]
          - where: slack:channel:CSHARED
            who: slack:user:UPARTNER
            roles: [viewer]
        """;

    private static readonly ChatPlace Shared = Channel("CSHARED", "shared");

    private static PolicyEvaluator Serving(string team)
    {
        var result = PolicyFileLoader.Parse(Yaml);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return new PolicyEvaluator(result.Document!, "acme", [new OnlyTeam(team)]);
    }

    private static ChatIdentity From(string user, string team) => Slack(user) with { TenantId = $"slack:team:{team}" };

    [Fact]
    public void Anyone_matches_users_of_the_served_workspace()
    {
        var policy = Serving("T0ACME");
        Assert.IsType<PolicyDecision.Allowed>(policy.Authorize(From("UALICE", "T0ACME"), Shared, List, "acme"));
    }

    [Fact]
    public void Anyone_never_matches_a_user_of_another_workspace()
    {
        var policy = Serving("T0ACME");

        var decision = policy.Authorize(From("UMALLORY", "T0OTHERCO"), Shared, List, "acme");

        Assert.IsType<PolicyDecision.Denied>(decision);
        Assert.Empty(policy.RolesFor(From("UMALLORY", "T0OTHERCO"), Shared));
    }

    [Fact]
    public void A_user_named_by_id_still_matches_wherever_their_workspace_is()
    {
        // Naming someone is a deliberate decision of the policy's owner; only the wildcard is narrowed.
        var policy = Serving("T0ACME");
        Assert.Equal(["viewer"], policy.RolesFor(From("UPARTNER", "T0OTHERCO"), Shared));
    }

    [Fact]
    public void Without_tenant_lists_anyone_keeps_matching_everyone()
    {
        Assert.Equal(["viewer"], Evaluator(Yaml).RolesFor(From("UMALLORY", "T0OTHERCO"), Shared));
    }

    private sealed class OnlyTeam(string team) : ITenantAllowList
    {
        public bool Allows(ChatIdentity caller) => caller.TenantId == $"slack:team:{team}";
    }
}
