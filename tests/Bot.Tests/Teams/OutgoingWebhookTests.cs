using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Teams.Webhook;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class OutgoingWebhookTests : TeamsTestBase
{
    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, Func<byte[], string?> sign)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/teams/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (sign(body) is { } header)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        return await Client.SendAsync(request);
    }

    private static JsonObject WebhookActivity(string text = "<at>pscale</at> service-token show-access abc123def456")
    {
        var activity = ActivityJson.Message("https://smba.trafficmanager.net/amer/", text);
        activity.Remove("entities"); // outgoing webhooks name the webhook, not a bot
        return activity;
    }

    [Fact]
    public async Task A_signed_read_is_answered_synchronously_with_the_card()
    {
        var response = await PostAsync(WebhookActivity(), body => OutgoingWebhookSignature.Sign(body, TeamsBotFactory.WebhookSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("message", reply["type"]!.GetValue<string>());
        Assert.Equal("1.5", reply["attachments"]![0]!["content"]!["version"]!.GetValue<string>());
        Assert.Equal("service-token show-access abc123def456", Assert.Single(Factory.Pipeline.Prepared).Text);
        Assert.Equal(1, Factory.Pipeline.Executions);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("wrong-key")]
    [InlineData("wrong-scheme")]
    [InlineData("tampered-body")]
    [InlineData("not-base64")]
    public async Task A_request_without_a_valid_hmac_gets_401_and_runs_nothing(string forgery)
    {
        var otherKey = Convert.ToBase64String(new byte[32]);
        var response = await PostAsync(WebhookActivity(), body => forgery switch
        {
            "none" => null,
            "wrong-key" => OutgoingWebhookSignature.Sign(body, otherKey),
            "wrong-scheme" => "Bearer " + OutgoingWebhookSignature.Sign(body, TeamsBotFactory.WebhookSecret)[5..],
            "tampered-body" => OutgoingWebhookSignature.Sign([.. body, (byte)' '], TeamsBotFactory.WebhookSecret),
            _ => "HMAC !!!not base64!!!",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Factory.Pipeline.Prepared);
    }

    [Fact]
    public async Task A_mutating_command_is_refused_with_a_pointer_to_the_bot()
    {
        var response = await PostAsync(WebhookActivity("<at>pscale</at> service-token delete abc123def456"),
            body => OutgoingWebhookSignature.Sign(body, TeamsBotFactory.WebhookSecret));

        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("only answer read-only commands", reply["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("`delete`", reply["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, Factory.Pipeline.Executions);
    }

    [Fact]
    public async Task A_secret_is_never_put_in_a_webhook_reply()
    {
        Factory.Pipeline.Respond = _ => new CommandResponse([SampleResults.CreatedToken()], OutputFormat.Human, ResponseVisibility.Private);

        var response = await PostAsync(WebhookActivity("<at>pscale</at> service-token show abc123def456"),
            body => OutgoingWebhookSignature.Sign(body, TeamsBotFactory.WebhookSecret));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("pscale_tkn_", text, StringComparison.Ordinal);
        Assert.Contains("was not shown", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenant_is_refused_even_with_a_valid_signature()
    {
        var activity = WebhookActivity();
        activity["channelData"]!["tenant"]!["id"] = "ffffffff-0000-0000-0000-000000000000";

        var response = await PostAsync(activity, body => OutgoingWebhookSignature.Sign(body, TeamsBotFactory.WebhookSecret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Factory.Pipeline.Prepared);
    }

    [Fact]
    public void The_signature_is_hmac_sha256_of_the_raw_body_with_the_decoded_secret()
    {
        var body = "{\"type\":\"message\"}"u8.ToArray();
        var key = Convert.FromBase64String(TeamsBotFactory.WebhookSecret);
        var expected = "HMAC " + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, body));

        Assert.True(OutgoingWebhookSignature.IsValid(expected, body, TeamsBotFactory.WebhookSecret));
        Assert.False(OutgoingWebhookSignature.IsValid(expected, [], TeamsBotFactory.WebhookSecret));
    }
}

public sealed class TeamsPlaygroundModeTests : TeamsTestBase
{
    protected override Dictionary<string, string?> Overrides => new()
    {
        ["Teams:AppId"] = "",
        ["Teams:AppPassword"] = "",
        ["Teams:AppTenantId"] = "",
        ["Teams:AllowUnauthenticatedLoopback"] = "true",
        ["Teams:AllowedTenants:0"] = LocalOpenIdServer.TenantId,
    };

    [Fact]
    public async Task Unauthenticated_loopback_requests_are_accepted_and_replies_carry_no_token()
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl);

        var response = await SendAsync(activity, bearer: null, remoteIp: "127.0.0.1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await Connector.WaitForAsync(c => c.ActivityType == "message");
        Assert.Equal("", reply.Authorization);
        Assert.Single(Factory.Pipeline.Prepared);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("10.0.0.5")]
    public async Task Unauthenticated_requests_from_elsewhere_are_refused(string remoteIp)
    {
        var response = await SendAsync(ActivityJson.Message(Connector.ServiceUrl), bearer: null, remoteIp: remoteIp);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Factory.Pipeline.Prepared);
    }

    [Fact]
    public async Task Other_tenants_are_refused_even_in_playground_mode()
    {
        var response = await SendAsync(ActivityJson.Message(Connector.ServiceUrl, tenant: "ffffffff-0000-0000-0000-000000000000"), bearer: null, remoteIp: "127.0.0.1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
