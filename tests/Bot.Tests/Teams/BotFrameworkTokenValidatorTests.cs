using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Teams.Auth;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>Lifetime checks run on the injected clock, with Bot Framework's five-minute skew.</summary>
public sealed class BotFrameworkTokenValidatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2031, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
    private LocalOpenIdServer openId = null!;
    private readonly FakeTimeProvider clock = new(Now);

    public async Task InitializeAsync() => openId = await LocalOpenIdServer.StartAsync();

    public async Task DisposeAsync() => await openId.DisposeAsync();

    private BotFrameworkTokenValidator Validator()
    {
        var options = new TeamsOptions
        {
            AppId = LocalOpenIdServer.AppId,
            AppTenantId = LocalOpenIdServer.TenantId,
            BotFrameworkOpenIdMetadataUrl = openId.BotFrameworkMetadataUrl,
            EntraOpenIdMetadataUrlTemplate = openId.EntraMetadataTemplate,
        };
        return new BotFrameworkTokenValidator(new OpenIdMetadataSource(new SimpleHttpClientFactory()), new StaticMonitor(options), clock);
    }

    private static Activity Activity(string serviceUrl = ServiceUrl) =>
        TeamsWire.Parse(ActivityJson.Message(serviceUrl));

    [Theory]
    [InlineData(-4, true)]   // expired four minutes ago: inside the skew
    [InlineData(-6, false)]  // six minutes ago: outside
    [InlineData(30, true)]
    public async Task Expiry_is_judged_on_the_injected_clock_with_five_minutes_skew(int expiresInMinutes, bool valid)
    {
        var issued = Now.UtcDateTime.AddMinutes(expiresInMinutes - 60);
        var token = openId.MintBotFramework(ServiceUrl, now: issued, lifetime: TimeSpan.FromMinutes(60));

        var check = await Validator().ValidateAsync("Bearer " + token, Activity(), default);

        Assert.Equal(valid, check.IsValid);
    }

    [Fact]
    public async Task A_token_not_valid_yet_is_refused()
    {
        var token = openId.MintBotFramework(ServiceUrl, now: Now.UtcDateTime.AddMinutes(10));

        Assert.False((await Validator().ValidateAsync("Bearer " + token, Activity(), default)).IsValid);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer")]
    [InlineData("HTTPS://SMBA.trafficmanager.net/amer/")]
    public async Task The_serviceurl_claim_matches_ignoring_case_and_a_trailing_slash(string activityServiceUrl)
    {
        var token = openId.MintBotFramework(ServiceUrl, now: Now.UtcDateTime);

        Assert.True((await Validator().ValidateAsync("Bearer " + token, Activity(activityServiceUrl), default)).IsValid);
    }

    [Fact]
    public async Task An_entra_token_passes_on_the_entra_keys_and_not_on_the_bot_framework_keys()
    {
        var good = openId.MintEntra(ServiceUrl, now: Now.UtcDateTime);
        var wrongKey = openId.MintEntra(ServiceUrl, now: Now.UtcDateTime, key: openId.BotFrameworkKey);

        Assert.True((await Validator().ValidateAsync("Bearer " + good, Activity(), default)).IsValid);
        Assert.False((await Validator().ValidateAsync("Bearer " + wrongKey, Activity(), default)).IsValid);
    }

    private sealed class SimpleHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
