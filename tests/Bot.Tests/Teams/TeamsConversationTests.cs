using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class TeamsConversationTests : TeamsTestBase
{
    [Fact]
    public async Task A_show_access_in_a_channel_is_answered_in_the_thread_with_a_table_card_after_a_typing_indicator()
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl);
        var id = activity["id"]!.GetValue<string>();

        var response = await SendValidAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await Connector.WaitForAsync(c => c.ActivityType == "message");
        var replyPath = $"/teams/v3/conversations/{ActivityJson.ChannelId};messageid=1699999999999/activities/{id}";
        Assert.Equal(replyPath, reply.DecodedPath);
        Assert.Contains("%3B", reply.RawPath, StringComparison.Ordinal); // ids are escaped as path segments
        var typing = Assert.Single(Connector.Calls, c => c.ActivityType == "typing");
        Assert.Equal(replyPath, typing.DecodedPath);
        Assert.Equal("application/vnd.microsoft.card.adaptive", reply.Body!["attachments"]![0]!["contentType"]!.GetValue<string>());
        var card = reply.Card!;
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Contains(card["body"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "Table");
        Assert.Equal(id, reply.Body["replyToId"]!.GetValue<string>());
        Assert.Equal(ActivityJson.BotId, reply.Body["from"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_re_delivered_activity_runs_once()
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl);

        Assert.Equal(HttpStatusCode.OK, (await SendValidAsync(activity)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendValidAsync(activity)).StatusCode);
        await SendSentinelAsync();

        Assert.Equal(2, Factory.Pipeline.Prepared.Count);
        Assert.Single(Factory.Pipeline.Prepared, r => r.DeliveryId == activity["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_group_chat_and_a_personal_chat_map_to_their_places()
    {
        await SendValidAsync(ActivityJson.Message(Connector.ServiceUrl, conversationType: "groupChat"));
        await SendValidAsync(ActivityJson.Message(Connector.ServiceUrl, "service-token show-access abc123def456", conversationType: "personal"));
        await SendSentinelAsync();

        var group = Factory.Pipeline.Prepared[0];
        Assert.Equal(["teams:chat:19:groupchat-1@thread.v2"], group.Place.Ids);
        Assert.False(group.Place.IsDirect);
        var personal = Factory.Pipeline.Prepared[1];
        Assert.Equal(["direct"], personal.Place.Ids);
        Assert.True(personal.Place.IsDirect);
        Assert.Equal("service-token show-access abc123def456", personal.Text);
    }

    [Fact]
    public async Task A_new_token_created_in_a_channel_goes_only_to_the_requesters_1_to_1_chat()
    {
        Factory.Pipeline.Respond = _ => new CommandResponse([SampleResults.CreatedToken()], OutputFormat.Human, ResponseVisibility.Private,
            Announcement: "Alice Example created service token newtok000001.");
        var activity = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token create --name ci-deploy");

        await SendValidAsync(activity);

        var secretCall = await Connector.WaitForAsync(c => c.RawBody.Contains(SampleResults.SecretValue, StringComparison.Ordinal));
        await Connector.WaitForAsync(c => c.Body?["text"]?.GetValue<string>()?.Contains("created service token", StringComparison.Ordinal) == true);
        var create = Assert.Single(Connector.Calls, c => c.DecodedPath == "/teams/v3/conversations");
        Assert.Equal("29:user-mri", create.Body!["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(LocalOpenIdServer.TenantId, create.Body["tenantId"]!.GetValue<string>());
        Assert.StartsWith("/teams/v3/conversations/a:personal-", secretCall.DecodedPath, StringComparison.Ordinal);
        Assert.DoesNotContain(Connector.Calls, c => c.DecodedPath.Contains(ActivityJson.ChannelId, StringComparison.Ordinal)
            && c.RawBody.Contains("pscale_tkn_", StringComparison.Ordinal));
        Assert.Contains(Connector.Calls, c => c.DecodedPath.Contains(ActivityJson.ChannelId, StringComparison.Ordinal)
            && c.Body?["text"]?.GetValue<string>()?.Contains("1:1 chat", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task When_the_1_to_1_chat_cannot_be_opened_the_secret_is_not_sent_anywhere()
    {
        Connector.CreateConversationStatus = 403;
        Factory.Pipeline.Respond = _ => new CommandResponse([SampleResults.CreatedToken()], OutputFormat.Human, ResponseVisibility.Private);
        var activity = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token create");

        await SendValidAsync(activity);

        var notice = await Connector.WaitForAsync(c => c.Body?["text"]?.GetValue<string>()?.Contains("couldn't reach you", StringComparison.Ordinal) == true);
        Assert.Contains("service-token delete newtok000001", notice.Body!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        await SendSentinelAsync();
        Assert.DoesNotContain(Connector.Calls, c => c.RawBody.Contains("pscale_tkn_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_token_created_in_a_personal_chat_is_answered_right_there()
    {
        Factory.Pipeline.Respond = r => r.Text.Contains("create", StringComparison.Ordinal)
            ? new CommandResponse([SampleResults.CreatedToken()], OutputFormat.Human, ResponseVisibility.Private,
                Announcement: "Alice Example created service token newtok000001.")
            : SampleResults.Public(SampleResults.Permissions());
        var activity = ActivityJson.Message(Connector.ServiceUrl, "service-token create", conversationType: "personal");

        await SendValidAsync(activity);

        var secretCall = await Connector.WaitForAsync(c => c.RawBody.Contains(SampleResults.SecretValue, StringComparison.Ordinal));
        Assert.Equal($"/teams/v3/conversations/a:personal-chat-1/activities/{activity["id"]}", secretCall.DecodedPath);
        await SendSentinelAsync();
        Assert.DoesNotContain(Connector.Calls, c => c.DecodedPath == "/teams/v3/conversations");
        Assert.DoesNotContain(Connector.Calls, c => c.Body?["text"]?.GetValue<string>()?.Contains("created service token", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_secret_warning_goes_privately_and_the_announcement_to_the_channel()
    {
        Factory.Pipeline.Respond = _ => new CommandResponse([new MessageResult("Token was successfully deleted.", MessageTone.Success)],
            OutputFormat.Human, ResponseVisibility.Public, Announcement: "Alice Example deleted token abc123def456.",
            SecretWarning: "Your message contained a service token secret; rotate it.");

        await SendValidAsync(ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token delete abc123def456"));

        var warning = await Connector.WaitForAsync(c => c.Body?["text"]?.GetValue<string>()?.Contains("rotate it", StringComparison.Ordinal) == true);
        Assert.StartsWith("/teams/v3/conversations/a:personal-", warning.DecodedPath, StringComparison.Ordinal);
        var announcement = await Connector.WaitForAsync(c => c.Body?["text"]?.GetValue<string>() == "Alice Example deleted token abc123def456.");
        Assert.Contains(ActivityJson.ChannelId, announcement.DecodedPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_is_sent_as_a_code_block_from_the_text_renderer()
    {
        Factory.Pipeline.Respond = _ => new CommandResponse([SampleResults.Permissions()], OutputFormat.Json, ResponseVisibility.Public);

        await SendValidAsync(ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token show-access abc123def456 --format json"));

        var reply = await Connector.WaitForAsync(c => c.ActivityType == "message");
        Assert.Equal("```\njson of PermissionTable\n```", reply.Body!["text"]!.GetValue<string>());
        Assert.Equal("markdown", reply.Body["textFormat"]!.GetValue<string>());
    }

    [Fact]
    public async Task Installing_the_app_sends_a_welcome_once()
    {
        var install = ActivityJson.Message(Connector.ServiceUrl, conversationType: "personal");
        install["type"] = "installationUpdate";
        install["action"] = "add";
        install.Remove("text");

        await SendValidAsync(install);
        await SendValidAsync(install);
        await SendSentinelAsync();

        var welcome = Assert.Single(Connector.Calls, c => c.Body?["text"]?.GetValue<string>()?.StartsWith("Hi! I manage PlanetScale", StringComparison.Ordinal) == true);
        Assert.Equal("/teams/v3/conversations/a:personal-chat-1/activities", welcome.DecodedPath);
        Assert.Single(Factory.Pipeline.Prepared); // the sentinel only
    }

    [Fact]
    public async Task A_serviceUrl_outside_the_allow_list_is_never_called()
    {
        await using var factory = new TeamsBotFactory(OpenId, new() { ["Teams:AllowLoopbackServiceUrls"] = "false" });
        using var client = factory.CreateClient();
        var activity = ActivityJson.Message(Connector.ServiceUrl);

        var response = await client.SendAsync(ActivityJson.Post("/api/messages", activity, OpenId.MintBotFramework(Connector.ServiceUrl)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(factory.Pipeline.Prepared);
        Assert.Empty(Connector.Calls);
    }
}

public sealed class TeamsCardActionTests : TeamsTestBase
{
    private readonly RecordingHandler handler = new();

    [Fact]
    public async Task An_action_execute_invoke_is_routed_by_verb_and_answered_with_the_invoke_body()
    {
        using var client = WithHandler();
        var invoke = ActivityJson.Invoke(Connector.ServiceUrl, "access.approve");

        var response = await client.SendAsync(ActivityJson.Post("/api/messages", invoke, OpenId.MintBotFramework(Connector.ServiceUrl)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.Equal("approved req-1", body["value"]!.GetValue<string>());
        var action = Assert.Single(handler.Actions);
        Assert.Equal($"teams:user:{ActivityJson.UserAad}", action.Caller.UserId);
        Assert.Equal("card-activity-1", action.CardActivityId);
    }

    [Fact]
    public async Task A_repeated_invoke_gets_the_first_answer_without_running_again()
    {
        using var client = WithHandler();
        var invoke = ActivityJson.Invoke(Connector.ServiceUrl, "access.approve");

        var first = await (await client.SendAsync(ActivityJson.Post("/api/messages", invoke, OpenId.MintBotFramework(Connector.ServiceUrl)))).Content.ReadAsStringAsync();
        var second = await (await client.SendAsync(ActivityJson.Post("/api/messages", invoke, OpenId.MintBotFramework(Connector.ServiceUrl)))).Content.ReadAsStringAsync();

        Assert.Equal(first, second);
        Assert.Single(handler.Actions);
    }

    [Fact]
    public async Task An_unknown_verb_gets_an_error_body_and_an_unknown_invoke_501()
    {
        using var client = WithHandler();
        var unknown = ActivityJson.Invoke(Connector.ServiceUrl, "something.else");
        var other = ActivityJson.Invoke(Connector.ServiceUrl, "x");
        other["name"] = "composeExtension/query";

        var response = await client.SendAsync(ActivityJson.Post("/api/messages", unknown, OpenId.MintBotFramework(Connector.ServiceUrl)));
        var otherResponse = await client.SendAsync(ActivityJson.Post("/api/messages", other, OpenId.MintBotFramework(Connector.ServiceUrl)));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("NotSupported", body["value"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotImplemented, otherResponse.StatusCode);
        Assert.Empty(handler.Actions);
    }

    [Fact]
    public async Task An_invoke_with_a_forged_token_runs_no_handler()
    {
        using var client = WithHandler();
        var invoke = ActivityJson.Invoke(Connector.ServiceUrl, "access.approve");

        var response = await client.SendAsync(ActivityJson.Post("/api/messages", invoke, OpenId.MintBotFramework(Connector.ServiceUrl, audience: "someone-else")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(handler.Actions);
    }

    [Fact]
    public async Task A_handler_that_overruns_the_invoke_budget_is_cancelled_and_the_invoke_still_answered()
    {
        var slow = new NeverFinishingHandler();
        using var client = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Teams:InvokeBudget", "00:00:00.200");
            b.ConfigureTestServices(s => s.AddSingleton<ITeamsCardActionHandler>(slow));
        }).CreateClient();

        var response = await client.SendAsync(ActivityJson.Post("/api/messages", ActivityJson.Invoke(Connector.ServiceUrl, "slow.work"), OpenId.MintBotFramework(Connector.ServiceUrl)));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.StartsWith("Still working", body["value"]!.GetValue<string>(), StringComparison.Ordinal);
        await slow.WasCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the handler's token was cancelled
    }

    private sealed class NeverFinishingHandler : ITeamsCardActionHandler
    {
        public TaskCompletionSource WasCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string VerbPrefix => "slow.";

        public async Task<TeamsInvokeResponse> HandleAsync(TeamsCardAction action, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                WasCancelled.TrySetResult();
            }

            return TeamsInvokeResponse.Message("never");
        }
    }

    private HttpClient WithHandler() => Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        s.AddSingleton<ITeamsCardActionHandler>(handler))).CreateClient();

    private sealed class RecordingHandler : ITeamsCardActionHandler
    {
        public List<TeamsCardAction> Actions { get; } = [];

        public string VerbPrefix => "access.";

        public Task<TeamsInvokeResponse> HandleAsync(TeamsCardAction action, CancellationToken cancellationToken)
        {
            lock (Actions)
            {
                Actions.Add(action);
            }

            return Task.FromResult(TeamsInvokeResponse.Message($"approved {action.Data.Id}"));
        }
    }
}
