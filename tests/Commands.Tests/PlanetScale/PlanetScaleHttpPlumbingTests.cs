using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class PlanetScaleHttpPlumbingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_service_token_is_sent_as_id_colon_secret_without_a_scheme()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("organizations.json");

        await harness.Service.ListOrganizationsAsync(None);

        Assert.Equal($"{PlanetScaleClientHarness.ServiceTokenId}:{PlanetScaleClientHarness.ServiceTokenSecret}",
            Assert.Single(harness.Handler.Requests).Authorization);
    }

    [Fact]
    public async Task An_oauth_access_token_is_sent_as_bearer()
    {
        using var harness = PlanetScaleClientHarness.Create(s =>
        {
            s["PlanetScale:ServiceTokenId"] = null;
            s["PlanetScale:ServiceToken"] = null;
            s["PlanetScale:AccessToken"] = "oauth-access-token-value-123456";
        });
        harness.Handler.ThenFixture("organizations.json");

        await harness.Service.ListOrganizationsAsync(None);

        Assert.Equal("Bearer oauth-access-token-value-123456", Assert.Single(harness.Handler.Requests).Authorization);
    }

    [Fact]
    public async Task The_service_token_wins_when_both_credentials_are_configured()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:AccessToken"] = "oauth-access-token-value-123456");
        harness.Handler.ThenFixture("organizations.json");

        await harness.Service.ListOrganizationsAsync(None);

        Assert.StartsWith(PlanetScaleClientHarness.ServiceTokenId + ":", Assert.Single(harness.Handler.Requests).Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_accept_json_and_name_the_bot_in_the_user_agent()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("organizations.json");

        await harness.Service.ListOrganizationsAsync(None);

        var request = Assert.Single(harness.Handler.Requests);
        Assert.Equal("application/json", request.Accept);
        Assert.Matches(@"^pscale-bot/\d+\.\d+\.\d+[A-Za-z0-9.\-]*$", request.UserAgent);
    }

    [Theory]
    [InlineData("https://api.planetscale.test/v1", "https://api.planetscale.test/v1/organizations/acme/service-tokens/abc123def456")]
    [InlineData("https://api.planetscale.test/v1/", "https://api.planetscale.test/v1/organizations/acme/service-tokens/abc123def456")]
    [InlineData("https://proxy.internal.test/planetscale/v1", "https://proxy.internal.test/planetscale/v1/organizations/acme/service-tokens/abc123def456")]
    public async Task The_base_url_path_is_kept(string baseUrl, string expected)
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:BaseUrl"] = baseUrl);
        harness.Handler.ThenFixture("token-get.json");

        await harness.Service.GetTokenAsync("acme", "abc123def456", None);

        Assert.Equal(expected, Assert.Single(harness.Handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_refused_and_never_followed()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenStatus(HttpStatusCode.Found, r => r.Headers.Location = new Uri("https://collector.evil.test/steal"))
            .ThenFixture("token-get.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetTokenAsync("acme", "abc123def456", None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Equal(
            "PlanetScale answered \"fetch token `abc123def456` in organization `acme`\" with a redirect to another host (collector.evil.test); the bot does not follow it, so its credentials stay private. Check PlanetScale:BaseUrl.",
            error.Message);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task A_redirect_within_the_api_host_is_followed_with_credentials()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenStatus(HttpStatusCode.TemporaryRedirect, r => r.Headers.Location = new Uri("/v1/organizations/acme/service-tokens/abc123def456?moved=1", UriKind.Relative))
            .ThenFixture("token-get.json");

        var token = await harness.Service.GetTokenAsync("acme", "abc123def456", None);

        Assert.Equal("abc123def456", token.Id);
        var followed = harness.Handler.Requests[1];
        Assert.Equal("https://api.planetscale.test/v1/organizations/acme/service-tokens/abc123def456?moved=1", followed.Uri.AbsoluteUri);
        Assert.NotNull(followed.Authorization);
    }

    [Fact]
    public async Task Request_ids_of_every_attempt_are_recorded_into_the_call_context()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler
            .ThenJson(HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.Add("X-Request-Id", "req-attempt-1"))
            .ThenJson(HttpStatusCode.OK, ScriptedPlanetScaleHandler.Fixture("organizations.json"), r => r.Headers.Add("X-Request-Id", "req-attempt-2"));

        using var scope = PlanetScaleCallContext.Begin();
        await harness.RunWithClockAsync(() => harness.Service.ListOrganizationsAsync(None));

        Assert.Equal(["req-attempt-1", "req-attempt-2"], scope.Context.RequestIds);
    }

    [Fact]
    public async Task A_request_id_that_does_not_look_like_one_is_not_recorded()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, ScriptedPlanetScaleHandler.Fixture("organizations.json"),
            r => r.Headers.TryAddWithoutValidation("X-Request-Id", "<script>alert(1)</script>"));

        using var scope = PlanetScaleCallContext.Begin();
        await harness.Service.ListOrganizationsAsync(None);

        Assert.Empty(scope.Context.RequestIds);
    }

    [Fact]
    public async Task Logs_at_trace_level_never_contain_the_credentials()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.ServiceUnavailable, "{}").ThenFixture("organizations.json");

        await harness.RunWithClockAsync(() => harness.Service.ListOrganizationsAsync(None));

        var records = harness.Logs.GetSnapshot();
        // The check must see the per-attempt HTTP log lines, or it would prove nothing. IHttpClientFactory's default
        // loggers are removed: their trace line redacts header values in the text but not in its structured state.
        Assert.Equal(
            ["PlanetScale GET /v1/organizations answered 503", "PlanetScale GET /v1/organizations answered 200"],
            records.Where(r => r.Category == "PscaleBot.Commands.PlanetScale.Http").Select(r => r.Message.Split(" in ")[0]));
        Assert.DoesNotContain(records, r => (r.Category ?? "").StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var text = record.Message + string.Join(";", record.StructuredState?.Select(kv => kv.Value) ?? []);
            Assert.DoesNotContain(PlanetScaleClientHarness.ServiceTokenSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("pscale_tkn_", text, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string?, string> InvalidSettings => new()
    {
        { "PlanetScale:ServiceToken", null, "PlanetScale:ServiceTokenId and PlanetScale:ServiceToken must be set together" },
        { "PlanetScale:ServiceTokenId", "pscale_tkn_swapped", "PlanetScale:ServiceTokenId and PlanetScale:ServiceToken are swapped" },
        { "PlanetScale:BaseUrl", "http://api.planetscale.com/v1", "PlanetScale:BaseUrl must use https" },
        { "PlanetScale:BaseUrl", "https://api.planetscale.com/", "PlanetScale:BaseUrl must include the API version path" },
        { "PlanetScale:DefaultOrganization", "", "PlanetScale:DefaultOrganization is required" },
        { "PlanetScale:AttemptTimeout", "00:01:00", "PlanetScale:AttemptTimeout must not be longer than PlanetScale:TotalTimeout" },
        { "PlanetScale:ServiceToken", "pscale_tkn_with space", "PlanetScale:ServiceToken contains whitespace" },
        { "PlanetScale:UserSharePercent", "60", "PlanetScale:UserSharePercent must be between 0" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_settings_stop_the_app_at_start_naming_the_setting(string key, string? value, string expected)
    {
        using var harness = PlanetScaleClientHarness.Create(s => s[key] = value);

        var error = Assert.Throws<OptionsValidationException>(() => harness.Provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PlanetScaleClientHarness.ServiceTokenSecret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_credentials_stop_the_app_unless_the_sandbox_is_used()
    {
        using var noCredentials = PlanetScaleClientHarness.Create(s =>
        {
            s["PlanetScale:ServiceTokenId"] = null;
            s["PlanetScale:ServiceToken"] = null;
        });
        var error = Assert.Throws<OptionsValidationException>(() => noCredentials.Provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("PlanetScale credentials are missing: set PlanetScale:ServiceTokenId and PlanetScale:ServiceToken", error.Message, StringComparison.Ordinal);

        using var sandbox = PlanetScaleClientHarness.Create(s =>
        {
            s["PlanetScale:ServiceTokenId"] = null;
            s["PlanetScale:ServiceToken"] = null;
            s["PlanetScale:UseSandbox"] = "true";
            s["PlanetScale:BaseUrl"] = "http://127.0.0.1:5123/v1";
        });
        sandbox.Provider.GetRequiredService<IStartupValidator>().Validate();
    }
}
