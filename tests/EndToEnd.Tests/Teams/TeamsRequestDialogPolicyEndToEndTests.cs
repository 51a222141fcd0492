using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// The Teams request dialog offers what the policy decides, not what role globs happen to match: a role whose
/// <c>databases</c> name <c>prod</c> but whose <c>organizations</c> leave out the bot's organization must not put
/// <c>prod</c>, its permission or its open-ended duration on the form, because <c>add-access</c> there is refused.
/// </summary>
public sealed class TeamsRequestDialogPolicyEndToEndTests : TeamsEndToEndBase
{
    protected override Dictionary<string, string?> ExtraSettings => new() { ["Teams:ServiceUrl"] = Connector.ServiceUrl };

    protected override string PolicyYaml => $"""
        roles:
          prod-elsewhere:
            commands: [add-access]
            organizations: [another-organization]
            databases: [prod]
            permissions: [connect_production_branch]
          staging-reader:
            commands: [add-access]
            databases: [staging]
            permissions: [read_branch]
            max_duration: 2h
        bindings:
          - where: teams:channel:{ActivityJson.ChannelId}
            who: teams:user:{ActivityJson.UserAad}
            roles: [prod-elsewhere, staging-reader]
        """;

    [Fact]
    public async Task The_form_offers_only_what_add_access_would_be_allowed_in_the_bots_organization()
    {
        var invoke = ActivityJson.Message(Connector.ServiceUrl, "");
        invoke["type"] = "invoke";
        invoke["name"] = "task/fetch";
        invoke.Remove("text");
        invoke["value"] = new JsonObject
        {
            ["data"] = new JsonObject { ["verb"] = "pscale.access.form", ["msteams"] = new JsonObject { ["type"] = "task/fetch" } },
            ["context"] = new JsonObject { ["theme"] = "default" },
        };

        var response = await SendValidAsync(invoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!["value"]!["card"]!["content"]!;
        var inputs = card["body"]!.AsArray().Where(e => e!["id"] is not null).ToDictionary(e => e!["id"]!.GetValue<string>(), e => e!);
        Assert.Equal(["staging"], Values(inputs["database"]));
        Assert.Equal(["read_branch"], Values(inputs["permissions"]));
        Assert.Equal(["15m", "30m", "1h", "2h"], Values(inputs["duration"]));
    }

    private static List<string> Values(JsonNode input) =>
        [.. input["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>())];
}
