using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// The access request dialog over real HTTP: the "Request access" button's <c>task/fetch</c> opens a form listing the
/// sandbox's tokens and what the policy allows; a <c>task/submit</c> with a problem shows it next to its field; a
/// correct one runs <c>add-access</c> as the submitter, and the request reaches the approvers' channel as a typed one does.
/// </summary>
public sealed class TeamsRequestDialogEndToEndTests : TeamsApprovalEndToEndBase
{
    private const string FormVerb = "pscale.access.form";

    protected override Dictionary<string, string?> ExtraSettings => new() { ["Teams:ServiceUrl"] = Connector.ServiceUrl };

    [Fact]
    public async Task Fetch_opens_the_form_with_the_tokens_and_what_the_policy_allows()
    {
        var task = await TaskAsync("task/fetch", new JsonObject());

        Assert.Equal("continue", task["type"]!.GetValue<string>());
        Assert.Equal("Request database access", task["value"]!["title"]!.GetValue<string>());
        var card = task["value"]!["card"]!["content"]!.AsObject();
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        var inputs = card["body"]!.AsArray().Where(e => e!["id"] is not null).ToDictionary(e => e!["id"]!.GetValue<string>(), e => e!);
        Assert.Equal(["token", "database", "permissions", "duration", "reason"], inputs.Keys);
        // Every token but the bot's own credential, which nobody may be granted through a form.
        Assert.Equal((await Sandbox.TokenIdsAsync()).Where(t => t != Bot.Sandbox.ServiceTokenId), new SortedSet<string>(Values(inputs["token"]), StringComparer.Ordinal));
        Assert.Equal(["prod"], Values(inputs["database"]));
        Assert.Equal(["connect_production_branch"], Values(inputs["permissions"]));
        Assert.Equal(["15m", "30m", "1h", "2h", "4h"], Values(inputs["duration"]));
    }

    [Fact]
    public async Task A_submit_with_a_problem_shows_it_in_the_form_and_a_correct_one_files_the_request_for_the_approvers()
    {
        var wrong = await TaskAsync("task/submit", new JsonObject { ["token"] = Token, ["database"] = "prod", ["permissions"] = "", ["duration"] = "8h", ["reason"] = "INC-42" });

        Assert.Equal("continue", wrong["type"]!.GetValue<string>());
        var text = wrong["value"]!["card"]!["content"]!.ToJsonString();
        Assert.Contains("Pick at least one permission.", text, StringComparison.Ordinal);
        Assert.Contains("Pick a duration of at most 4h.", text, StringComparison.Ordinal);
        Assert.Contains("INC-42", text, StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditAsync(), e => e.Command.Contains("add-access", StringComparison.Ordinal));

        var sent = await TaskAsync("task/submit", new JsonObject
        {
            ["token"] = Token, ["database"] = "prod", ["permissions"] = "connect_production_branch", ["duration"] = "1h", ["reason"] = "INC-42 \"hot\" fix",
        });

        Assert.Equal("message", sent["type"]!.GetValue<string>());
        Assert.StartsWith($"Sent: service-token add-access {Token} connect_production_branch --database prod --for 1h --reason \"INC-42 'hot' fix\"", sent["value"]!.GetValue<string>(), StringComparison.Ordinal);
        var posted = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities", StringComparison.Ordinal) && c.Card is not null);
        Assert.Contains("Alice Example", posted.RawBody, StringComparison.Ordinal);
        Assert.Contains("connect_production_branch", posted.RawBody, StringComparison.Ordinal);
        var filed = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.Contains(ActivityJson.ChannelId, StringComparison.Ordinal) && c.RawBody.Contains("filed", StringComparison.Ordinal));
        Assert.EndsWith("/activities", filed.DecodedPath, StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), e => e.UserId == $"teams:user:{ActivityJson.UserAad}" && e.Command.Contains("add-access", StringComparison.Ordinal) && e.Decision == "needs-approval");
        Assert.DoesNotContain("connect_production_branch", (await Sandbox.GrantsByResourceAsync(Token)).GetValueOrDefault("prod") ?? []);
    }

    [Fact]
    public async Task Someone_whose_roles_cannot_request_access_is_told_so_in_the_dialog()
    {
        var invoke = Invoke("task/fetch", new JsonObject());
        invoke["from"] = new JsonObject { ["id"] = "29:stranger", ["name"] = "Eve", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000e1" };

        var task = await ReadTaskAsync(invoke);

        Assert.Contains("None of your roles in dbops may request access", task["value"]!["card"]!["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_access_from_the_command_menu_answers_with_the_button_that_opens_the_dialog()
    {
        var reply = await AskAsync("request access");

        var button = reply.Card!["actions"]![0]!;
        Assert.Equal("Action.Submit", button["type"]!.GetValue<string>());
        Assert.Equal("task/fetch", button["data"]!["msteams"]!["type"]!.GetValue<string>());
        Assert.Equal(FormVerb, button["data"]!["verb"]!.GetValue<string>());
    }

    [Fact]
    public async Task Whoami_carries_the_request_access_button()
    {
        var reply = await AskAsync("whoami");

        Assert.Equal("task/fetch", reply.Card!["actions"]![0]!["data"]!["msteams"]!["type"]!.GetValue<string>());
    }

    private JsonObject Invoke(string name, JsonObject data)
    {
        var invoke = ActivityJson.Message(Connector.ServiceUrl, "");
        invoke["type"] = "invoke";
        invoke["name"] = name;
        invoke.Remove("text");
        data["verb"] = FormVerb;
        data["msteams"] = new JsonObject { ["type"] = "task/fetch" };
        invoke["value"] = new JsonObject { ["data"] = data, ["context"] = new JsonObject { ["theme"] = "default" } };
        return invoke;
    }

    private Task<JsonObject> TaskAsync(string name, JsonObject data) => ReadTaskAsync(Invoke(name, data));

    private async Task<JsonObject> ReadTaskAsync(JsonObject invoke)
    {
        var response = await SendValidAsync(invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!.AsObject();
    }

    private static List<string> Values(JsonNode input) =>
        [.. input["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>())];
}
