using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Teams.Identity;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// <c>who: teams:group:&lt;object id&gt;</c> over real HTTP: the bot gets an app-only token from a loopback Entra through
/// MSAL, reads the caller's transitive groups from a loopback Graph, and the policy matches a group the caller is in
/// only through another group.
/// </summary>
public sealed class TeamsEntraGroupEndToEndTests : TeamsEndToEndBase
{
    private const string DbaGroup = "6f0e1a2b-0000-4000-8000-00000000d0ba";
    private const string OnCallGroup = "6f0e1a2b-0000-4000-8000-0000000000c1";
    private const string Secret = "graph-client-secret-value";

    private FakeEntraServer entra = null!;

    /// <summary>Only the DBA group is bound; the caller is in the on-call group, which is a member of the DBA group.</summary>
    protected override string PolicyYaml => $"""
        roles:
          operator:
            commands: [list, show, show-access]
            databases: ["*"]
            permissions: ["*"]
        bindings:
          - where: teams:channel:{ActivityJson.ChannelId}
            who: teams:group:{DbaGroup}
            roles: [operator]
        """;

    protected override Dictionary<string, string?> ExtraSettings => new()
    {
        ["Teams:AppPassword"] = Secret,
        ["Teams:Groups:Enabled"] = "true",
        ["Teams:Groups:GraphBaseUrl"] = entra.GraphBaseUrl,
        ["Teams:Groups:AuthorityHost"] = entra.BaseUrl,
    };

    protected override async Task StartDependenciesAsync()
    {
        entra = await FakeEntraServer.StartAsync();
        entra.ExpectedClientSecret = Secret;
        entra.GroupMembers[OnCallGroup] = [ActivityJson.UserAad];
        entra.GroupMembers[DbaGroup] = [OnCallGroup, "some-other-user"];
        entra.GroupMembers["6f0e1a2b-0000-4000-8000-000000000001"] = ["some-other-user"];
    }

    protected override ValueTask StopDependenciesAsync() => entra.DisposeAsync();

    protected override void ConfigureBotServices(IServiceCollection services) =>
        services.AddHttpClient(EntraGroupExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(entra.CreateTrustingHandler);

    [Fact]
    public async Task A_user_bound_only_through_a_nested_group_may_run_the_command_and_whoami_lists_the_groups()
    {
        var reply = await AskAsync("service-token list");

        Assert.DoesNotContain("Not allowed", reply.RawBody, StringComparison.Ordinal);
        var ids = new SortedSet<string>(TableRows(reply.Card!).Select(r => r[0]), StringComparer.Ordinal);
        Assert.Equal(await Sandbox.TokenIdsAsync(), ids);
        Assert.Contains($"POST /{LocalOpenIdServer.TenantId}/oauth2/v2.0/token", entra.Requests);

        var whoami = await AskAsync("whoami");
        Assert.Contains($"teams:group:{DbaGroup}", whoami.RawBody, StringComparison.Ordinal);
        Assert.Contains($"teams:group:{OnCallGroup}", whoami.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("6f0e1a2b-0000-4000-8000-000000000001", whoami.RawBody, StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), e => e.Command.Contains("list", StringComparison.Ordinal) && e.Decision == "allowed");
        Assert.False(Bot.LogsContain(Secret));
        Assert.False(Bot.LogsContain(FakeEntraServer.AccessToken));
    }

    [Fact]
    public async Task When_graph_fails_the_group_does_not_apply_and_the_denial_says_the_groups_could_not_be_read()
    {
        entra.GraphStatus = 503;

        var notice = await AskAsync("service-token list");

        // The sentence comes first, then the refusal, both as replies to the command.
        Assert.Contains("Your Entra ID groups could not be read just now", notice.RawBody, StringComparison.Ordinal);
        var refusal = await Connector.WaitForAsync(c => c != notice && c.DecodedPath == notice.DecodedPath);
        Assert.Contains("Not allowed", refusal.RawBody, StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), e => e.Command.Contains("list", StringComparison.Ordinal) && e.Decision == "denied");
        Assert.True(Bot.LogsContain("Microsoft Graph (transitiveMemberOf)"));
        Assert.False(Bot.LogsContain(Secret));
    }
}
