using Microsoft.Extensions.Options;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Teams.Identity;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class EntraGroupOptionsTests
{
    private static ValidateOptionsResult Validate(EntraGroupOptions groups, TeamsOptions? teams = null) =>
        new EntraGroupOptionsValidator(Options.Create(teams ?? new TeamsOptions { AppId = "app", AppPassword = "secret", AppTenantId = "tenant" }))
            .Validate(null, groups);

    [Fact]
    public void Off_needs_nothing() =>
        Assert.True(Validate(new EntraGroupOptions { GraphBaseUrl = "nonsense" }, new TeamsOptions()).Succeeded);

    [Fact]
    public void On_needs_the_app_registration_and_says_which_settings()
    {
        var result = Validate(new EntraGroupOptions { Enabled = true }, new TeamsOptions { AppId = "app" });

        Assert.Contains("Teams:Groups:Enabled needs Teams:AppId, Teams:AppPassword and Teams:AppTenantId", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_authority_or_graph_url_off_loopback_is_refused()
    {
        var result = Validate(new EntraGroupOptions { Enabled = true, AuthorityHost = "http://127.0.0.1:5000", GraphBaseUrl = "http://graph.example.com/v1.0" });

        Assert.Contains("Teams:Groups:AuthorityHost must be an absolute https URL", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Teams:Groups:GraphBaseUrl must be an absolute https URL", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lookup_timeout_past_the_invoke_budget_is_refused() =>
        Assert.Contains("Teams:Groups:LookupTimeout", Validate(new EntraGroupOptions { Enabled = true, LookupTimeout = TimeSpan.FromSeconds(10) }).FailureMessage, StringComparison.Ordinal);
}
