using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class PlanetScaleErrorMappingTests
{
    private const string NotFoundBody = """{"code":"not_found","message":"Not Found"}""";
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string, string> NotFoundWordingPerOperation => new()
    {
        { "list", "Organization `acme` was not found, or the bot's credentials lack `read_service_tokens` on it." },
        { "create", "Organization `acme` was not found, or the bot's credentials lack `write_service_tokens` on it." },
        { "get", "Token `abc123def456` was not found in organization `acme`, or the bot's credentials lack `read_service_tokens`." },
        { "delete", "Token `abc123def456` was not found in organization `acme`, or the bot's credentials lack `delete_service_tokens`." },
        { "access", "Token `abc123def456` was not found in organization `acme`, or the bot's credentials lack `read_service_tokens`." },
        { "grants", "Token `abc123def456` was not found in organization `acme`, or the bot's credentials lack `read_service_tokens`." },
        { "add-access", "Token `abc123def456` or database `prod` was not found in organization `acme`, or the bot's credentials lack `write_service_tokens`." },
        { "add-org-access", "Token `abc123def456` was not found in organization `acme`, or the bot's credentials lack `write_service_tokens`." },
        { "delete-access", "Token `abc123def456` or database `prod` was not found in organization `acme`, or the bot's credentials lack `write_service_tokens`." },
        { "databases", "Organization `acme` was not found, or the bot's credentials lack `read_databases` on it." },
        { "organizations", "PlanetScale answered 404 to `GET /organizations`: check that PlanetScale:BaseUrl ends in /v1 (e.g. https://api.planetscale.com/v1)." },
    };

    [Theory]
    [MemberData(nameof(NotFoundWordingPerOperation))]
    public async Task A_404_names_the_resource_and_the_access_each_operation_needs(string operation, string expected)
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.NotFound, NotFoundBody, r => r.Headers.Add("X-Request-Id", "req-404-1"));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => Invoke(harness.Service, operation));

        Assert.Equal(PlanetScaleErrorKind.NotFound, error.Kind);
        Assert.Equal(expected, error.Message);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("not_found", error.ApiCode);
        Assert.Equal("req-404-1", error.RequestId);
    }

    [Fact]
    public async Task A_404_with_an_html_body_is_still_not_found()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.Then(() => Html(HttpStatusCode.NotFound));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetTokenAsync("acme", "abc123def456", None));

        Assert.Equal(PlanetScaleErrorKind.NotFound, error.Kind);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnosis_of_a_404_when_the_organization_is_visible_says_the_credentials_work()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:DiagnoseNotFound"] = "true");
        harness.Handler.ThenJson(HttpStatusCode.NotFound, NotFoundBody).ThenFixture("organizations.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetTokenAsync("acme", "abc123def456", None));

        Assert.Equal(PlanetScaleErrorKind.NotFound, error.Kind);
        Assert.Equal(
            "Token `abc123def456` was not found in organization `acme`, or the bot's credentials lack `read_service_tokens`. (The bot can see organization `acme`, so its credentials work.)",
            error.Message);
        Assert.Equal("/v1/organizations", harness.Handler.Requests[1].Uri.AbsolutePath);
    }

    [Fact]
    public async Task Diagnosis_of_a_404_on_an_organization_call_blames_the_missing_access_when_the_organization_is_visible()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:DiagnoseNotFound"] = "true");
        harness.Handler.ThenJson(HttpStatusCode.NotFound, NotFoundBody).ThenFixture("organizations.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Equal("Organization `acme` is visible to the bot, so its credentials lack `read_service_tokens` on it.", error.Message);
    }

    [Fact]
    public async Task Diagnosis_of_a_404_for_an_invisible_organization_suggests_the_closest_visible_one()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:DiagnoseNotFound"] = "true");
        harness.Handler.ThenJson(HttpStatusCode.NotFound, NotFoundBody).ThenFixture("organizations.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetTokenAsync("acmee", "abc123def456", None));

        Assert.Equal(PlanetScaleErrorKind.NotFound, error.Kind);
        Assert.Equal(
            "Organization `acmee` is not among the organizations the bot's credentials can see. Did you mean `acme`? Check --org (or PlanetScale:DefaultOrganization) and that the bot's token belongs to that organization.",
            error.Message);
    }

    [Fact]
    public async Task Diagnosis_of_a_404_that_finds_bad_credentials_reports_them()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:DiagnoseNotFound"] = "true");
        harness.Handler.ThenJson(HttpStatusCode.NotFound, NotFoundBody)
            .ThenJson(HttpStatusCode.Unauthorized, """{"code":"unauthorized","message":"Unauthorized"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetTokenAsync("acme", "abc123def456", None));

        Assert.Equal(PlanetScaleErrorKind.Unauthorized, error.Kind);
        Assert.Equal(
            "PlanetScale rejected the bot's service token (401): it is invalid, expired or was deleted. An operator must check PlanetScale:ServiceTokenId and PlanetScale:ServiceToken.",
            error.Message);
    }

    [Fact]
    public async Task Diagnosis_that_itself_fails_keeps_the_plain_404_wording()
    {
        using var harness = PlanetScaleClientHarness.Create(s =>
        {
            s["PlanetScale:DiagnoseNotFound"] = "true";
            s["PlanetScale:MaxRetryAttempts"] = "0";
        });
        harness.Handler.ThenJson(HttpStatusCode.NotFound, NotFoundBody).Then(() => Html(HttpStatusCode.BadGateway));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetTokenAsync("acme", "abc123def456", None));

        Assert.Equal("Token `abc123def456` was not found in organization `acme`, or the bot's credentials lack `read_service_tokens`.", error.Message);
    }

    [Fact]
    public async Task A_401_with_a_service_token_tells_the_operator_which_settings_to_check()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.Unauthorized, """{"code":"unauthorized","message":"Unauthorized"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Equal(PlanetScaleErrorKind.Unauthorized, error.Kind);
        Assert.Equal(
            "PlanetScale rejected the bot's service token (401): it is invalid, expired or was deleted. An operator must check PlanetScale:ServiceTokenId and PlanetScale:ServiceToken.",
            error.Message);
        Assert.Equal("unauthorized", error.ApiCode);
    }

    [Fact]
    public async Task A_401_with_the_oauth_invalid_token_body_asks_for_a_fresh_access_token()
    {
        using var harness = PlanetScaleClientHarness.Create(s =>
        {
            s["PlanetScale:ServiceTokenId"] = null;
            s["PlanetScale:ServiceToken"] = null;
            s["PlanetScale:AccessToken"] = "oauth-access-token-value-123456";
        });
        harness.Handler.ThenJson(HttpStatusCode.Unauthorized,
            """{"error":"invalid_token","error_description":"The access token is invalid","state":"unauthorized"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Equal(PlanetScaleErrorKind.Unauthorized, error.Kind);
        Assert.Equal(
            "PlanetScale rejected the bot's OAuth access token (401): it is invalid or has expired. An operator must set a fresh PlanetScale:AccessToken. PlanetScale said: \"The access token is invalid\"",
            error.Message);
        Assert.Equal("invalid_token", error.ApiCode);
    }

    [Fact]
    public async Task A_403_names_the_missing_access_and_quotes_a_specific_message()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.Forbidden, """{"code":"forbidden","message":"You may only grant accesses you hold"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None));

        Assert.Equal(PlanetScaleErrorKind.Forbidden, error.Kind);
        Assert.Equal(
            "PlanetScale refused to let the bot add access to token `abc123def456` on database `prod` in organization `acme` (403): the bot's credentials lack `write_service_tokens`. PlanetScale said: \"You may only grant accesses you hold\"",
            error.Message);
    }

    [Fact]
    public async Task A_403_with_the_generic_message_does_not_repeat_it()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.Forbidden, """{"code":"forbidden","message":"Forbidden"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.DeleteTokenAsync("acme", "abc123def456", None));

        Assert.Equal(
            "PlanetScale refused to let the bot delete token `abc123def456` in organization `acme` (403): the bot's credentials lack `delete_service_tokens`.",
            error.Message);
    }

    [Fact]
    public async Task A_422_quotes_what_planetscale_found_invalid()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.UnprocessableEntity, """{"code":"unprocessable","message":"Access read_brnch is not a valid access"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["read_brnch"], None));

        Assert.Equal(PlanetScaleErrorKind.Invalid, error.Kind);
        Assert.Equal(
            "PlanetScale rejected the request to add access to token `abc123def456` on database `prod` in organization `acme` (422 unprocessable): Access read_brnch is not a valid access",
            error.Message);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task A_400_without_a_message_still_reads_as_a_sentence()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.BadRequest, """{"code":"invalid_params"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.CreateTokenAsync("acme", "x", null, None));

        Assert.Equal(PlanetScaleErrorKind.Invalid, error.Kind);
        Assert.Equal("PlanetScale rejected the request to create a service token in organization `acme` (400 invalid_params): the request was invalid", error.Message);
    }

    [Fact]
    public async Task A_non_json_error_body_is_malformed_and_never_quoted()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:MaxRetryAttempts"] = "0");
        harness.Handler.Then(() => Html(HttpStatusCode.BadGateway));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Equal(
            "PlanetScale answered 502 with a body the bot could not read (text/html) while trying to list the service tokens of organization `acme`; the API might be down.",
            error.Message);
        Assert.Equal(502, error.StatusCode);
    }

    [Fact]
    public async Task A_success_answer_that_is_not_json_is_malformed()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.Then(() => Html(HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetTokenAsync("acme", "abc123def456", None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Equal(
            "PlanetScale's answer to \"fetch token `abc123def456` in organization `acme`\" could not be read: its JSON did not have the shape the bot expects.",
            error.Message);
    }

    [Fact]
    public async Task A_500_with_json_is_a_server_error_and_a_post_tells_how_to_check()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.InternalServerError, """{"code":"internal_error","message":"Internal Server Error"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None));

        Assert.Equal(PlanetScaleErrorKind.ServerError, error.Kind);
        Assert.Equal(
            "PlanetScale had a server error (500) while the bot tried to add access to token `abc123def456` on database `prod` in organization `acme`. Nothing was retried for this change — run `show-access abc123def456` to check whether it happened.",
            error.Message);
    }

    [Fact]
    public async Task A_429_with_a_long_retry_after_is_not_waited_for_and_says_when_to_try_again()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.TooManyRequests, """{"code":"rate_limited","message":"Too Many Requests"}""",
            r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(120)));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Equal(PlanetScaleErrorKind.RateLimited, error.Kind);
        Assert.Equal(
            "PlanetScale is rate-limiting the bot (429; it allows 600 requests a minute) while it tried to list the service tokens of organization `acme`. Try again in 120 s.",
            error.Message);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task Messages_never_carry_credentials_even_when_planetscale_echoes_them()
    {
        using var harness = PlanetScaleClientHarness.Create();
        var echoed = $"bad header {PlanetScaleClientHarness.ServiceTokenId}:{PlanetScaleClientHarness.ServiceTokenSecret} and pscale_tkn_OTHERSECRET99";
        harness.Handler.ThenJson(HttpStatusCode.UnprocessableEntity, $$"""{"code":"unprocessable","message":"{{echoed}}"}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.CreateTokenAsync("acme", "x", null, None));

        Assert.DoesNotContain(PlanetScaleClientHarness.ServiceTokenSecret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("OTHERSECRET99", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PlanetScaleClientHarness.ServiceTokenSecret, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_failure_below_http_is_worded_and_keeps_no_refit_exception()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.Then((_, _) => throw new InvalidOperationException("handler bug"));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.CreateTokenAsync("acme", "x", null, None));

        Assert.Equal(PlanetScaleErrorKind.Unreachable, error.Kind);
        Assert.Equal(
            "The call to PlanetScale failed unexpectedly while the bot tried to create a service token in organization `acme` (InvalidOperationException). Nothing was retried for this change — run `list` to check whether the token was created.",
            error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    private static HttpResponseMessage Html(HttpStatusCode status) => new(status)
    {
        Content = new StringContent("<html><body><h1>502 Bad Gateway</h1><script>x</script></body></html>", Encoding.UTF8, "text/html"),
    };

    private static Task Invoke(IPlanetScaleService service, string operation) => operation switch
    {
        "list" => service.ListTokensAsync("acme", None),
        "create" => service.CreateTokenAsync("acme", "n", null, None),
        "get" => service.GetTokenAsync("acme", "abc123def456", None),
        "delete" => service.DeleteTokenAsync("acme", "abc123def456", None),
        "access" => service.GetAccessAsync("acme", "abc123def456", None),
        "grants" => service.GetGrantsAsync("acme", "abc123def456", None),
        "add-access" => service.AddAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None),
        "add-org-access" => service.AddAccessAsync("acme", "abc123def456", null, ["create_databases"], None),
        "delete-access" => service.DeleteAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None),
        "databases" => service.ListDatabasesAsync("acme", None),
        "organizations" => service.ListOrganizationsAsync(None),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
