using System.Net;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class TeamsAuthenticationTests : TeamsTestBase
{
    [Fact]
    public async Task A_valid_bot_framework_token_runs_the_command_and_the_reply_reaches_the_connector()
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl);
        var response = await SendValidAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = activity["id"]!.GetValue<string>();
        var reply = await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + id, StringComparison.Ordinal));
        var request = Assert.Single(Factory.Pipeline.Prepared);
        Assert.Equal("service-token show-access abc123def456", request.Text);
        Assert.Equal($"teams:user:{ActivityJson.UserAad}", request.Caller.UserId);
        Assert.Equal($"teams:tenant:{LocalOpenIdServer.TenantId}", request.Caller.TenantId);
        Assert.Equal([$"teams:channel:{ActivityJson.ChannelId}", $"teams:team:{ActivityJson.TeamId}"], request.Place.Ids);
        Assert.False(request.Place.IsDirect);
        Assert.Equal("Bearer " + FakeTokenSource.Token, reply.Authorization);
    }

    [Fact]
    public async Task A_valid_entra_token_of_our_tenant_is_accepted()
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl);
        var response = await SendAsync(activity, OpenId.MintEntra(Connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Connector.WaitForAsync(c => c.ActivityType == "message");
        Assert.Single(Factory.Pipeline.Prepared);
    }

    [Theory]
    [MemberData(nameof(ForgedTokens.All), MemberType = typeof(ForgedTokens))]
    public async Task Every_invalid_request_gets_401_and_runs_nothing(Forgery forgery)
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl);
        using var request = ForgedTokens.Request(forgery, OpenId, Connector.ServiceUrl, activity);
        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var sentinel = await SendSentinelAsync();
        Assert.Equal(sentinel, Assert.Single(Factory.Pipeline.Prepared).DeliveryId);
        Assert.DoesNotContain(Connector.Calls, c => c.DecodedPath.Contains(activity["id"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_signed_by_a_key_published_after_start_is_accepted_once_metadata_is_refreshed()
    {
        await SendSentinelAsync();
        var rotated = OpenId.Publish("bf-key-2", ["msteams"], entra: false);
        var activity = ActivityJson.Message(Connector.ServiceUrl);

        // IdentityModel may refresh in the background, so Teams' own re-delivery is what lands the message.
        HttpStatusCode status = HttpStatusCode.Unauthorized;
        for (var attempt = 0; attempt < 20 && status != HttpStatusCode.OK; attempt++)
        {
            var response = await SendAsync(activity, OpenId.MintBotFramework(Connector.ServiceUrl, key: rotated));
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(OpenId.MetadataRequests >= 2);
    }

    [Fact]
    public async Task Head_is_answered_200_for_the_playground_probe()
    {
        var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/messages"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
