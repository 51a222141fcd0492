using System.Net;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Teams;

/// <summary>Microsoft Teams settings (section <c>Teams</c>). Teams is off unless <see cref="Enabled"/> is set.</summary>
public sealed class TeamsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Teams";

    /// <summary>Issuer of tokens the Azure Bot Service signs.</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>Largest request body the Teams receivers read (activities and webhook calls are small).</summary>
    public const int MaxRequestBodyBytes = 256 * 1024;

    /// <summary>Serves the Bot Framework endpoint <c>/api/messages</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The bot's Microsoft App ID (the Entra app registration's client id): the audience of inbound tokens.</summary>
    public string? AppId { get; set; }

    /// <summary>The app registration's client secret, for outbound tokens. Never logged.</summary>
    public string? AppPassword { get; set; }

    /// <summary>The tenant that owns the single-tenant app registration.</summary>
    public string? AppTenantId { get; set; }

    /// <summary>Tenants whose users may talk to the bot; the app's own tenant is always included. Others are refused first.</summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>OpenID metadata of the Azure Bot Service token issuer.</summary>
    public string BotFrameworkOpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>OpenID metadata of Entra-issued tokens; <c>{tenantId}</c> is replaced by <see cref="AppTenantId"/>.</summary>
    public string EntraOpenIdMetadataUrlTemplate { get; set; } = "https://login.microsoftonline.com/{tenantId}/v2.0/.well-known/openid-configuration";

    /// <summary>Where outbound client-credential tokens are requested (the tenant id is appended).</summary>
    public string LoginAuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>The scope of outbound tokens for the Bot Connector.</summary>
    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>
    /// Development only (Microsoft 365 Agents Playground): accept requests without a token, but only from
    /// loopback and only while <see cref="AppId"/> is empty. Logged as a warning at start-up.
    /// </summary>
    public bool AllowUnauthenticatedLoopback { get; set; }

    /// <summary>Development and tests only: allow replies to a loopback <c>serviceUrl</c> (a local fake connector).</summary>
    public bool AllowLoopbackServiceUrls { get; set; }

    /// <summary>Hosts a <c>serviceUrl</c> may name (a leading <c>*.</c> matches sub-domains); empty means <see cref="DefaultServiceUrlHosts"/>.</summary>
    public List<string> AllowedServiceUrlHosts { get; set; } = [];

    /// <summary>The Bot Connector hosts of the public and government clouds.</summary>
    public static IReadOnlyList<string> DefaultServiceUrlHosts { get; } =
    [
        "smba.trafficmanager.net",
        "*.botframework.com",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary>How long a card action may run before the invoke is answered with a "still working" message (Teams waits about 5 s).</summary>
    public TimeSpan InvokeBudget { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>One attempt of a Bot Connector call; the call with its retries gets three times this.</summary>
    public TimeSpan ConnectorTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Send tables as code blocks instead of Adaptive Cards (for clients that show no cards).</summary>
    public bool PlainText { get; set; }

    /// <summary>
    /// Optional: the Bot Connector base URL of your tenant's region (e.g. <c>https://smba.trafficmanager.net/emea/</c>),
    /// used for proactive posts (approval cards, private notices) to channels and users the bot has not seen
    /// since it started. Without it, the bot posts only where it has seen an activity since start.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The outgoing-webhook mode, for teams that cannot register a bot.</summary>
    public TeamsWebhookOptions Webhook { get; set; } = new();

    /// <summary>True when the Playground development mode is really in effect.</summary>
    public bool DevelopmentModeActive => AllowUnauthenticatedLoopback && string.IsNullOrWhiteSpace(AppId);

    /// <summary>The allowed tenants, the app's own included.</summary>
    public IReadOnlySet<string> EffectiveAllowedTenants
    {
        get
        {
            var set = new HashSet<string>(AllowedTenants.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
            if (!string.IsNullOrWhiteSpace(AppTenantId))
            {
                set.Add(AppTenantId.Trim());
            }

            return set;
        }
    }

    /// <summary>The allowed <c>serviceUrl</c> hosts in effect.</summary>
    public IReadOnlyList<string> EffectiveServiceUrlHosts => AllowedServiceUrlHosts.Count > 0 ? AllowedServiceUrlHosts : DefaultServiceUrlHosts;
}

/// <summary>Outgoing-webhook settings (section <c>Teams:Webhook</c>).</summary>
public sealed class TeamsWebhookOptions
{
    /// <summary>Serves <c>POST /teams/webhook</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The base64 security token Teams shows once when the outgoing webhook is created. Never logged.</summary>
    public string? Secret { get; set; }

    /// <summary>How long a webhook request may work before answering (Teams gives five seconds).</summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(4);
}

/// <summary>Checks <see cref="TeamsOptions"/> at start-up; every message names the setting to fix.</summary>
public sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var errors = new List<string>();
        if (options.Enabled)
        {
            if (options.AllowUnauthenticatedLoopback)
            {
                if (!string.IsNullOrWhiteSpace(options.AppId))
                {
                    errors.Add("Teams:AllowUnauthenticatedLoopback works only while Teams:AppId is empty (Playground development mode); remove one of them.");
                }

                if (options.EffectiveAllowedTenants.Count == 0)
                {
                    errors.Add("Teams:AllowedTenants must name the Playground's tenant id when Teams:AllowUnauthenticatedLoopback is on.");
                }
            }
            else
            {
                Require(errors, options.AppId, "Teams:AppId", "the bot's Microsoft App ID");
                Require(errors, options.AppPassword, "Teams:AppPassword", "the app registration's client secret");
                Require(errors, options.AppTenantId, "Teams:AppTenantId", "the tenant of the single-tenant app registration");
            }

            RequireAbsoluteUrl(errors, options.BotFrameworkOpenIdMetadataUrl, "Teams:BotFrameworkOpenIdMetadataUrl");
            RequireAbsoluteUrl(errors, options.EntraOpenIdMetadataUrlTemplate.Replace("{tenantId}", "t", StringComparison.Ordinal), "Teams:EntraOpenIdMetadataUrlTemplate");
            RequireAbsoluteUrl(errors, options.LoginAuthorityHost, "Teams:LoginAuthorityHost");
            if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
            {
                RequireAbsoluteUrl(errors, options.ServiceUrl, "Teams:ServiceUrl");
            }

            if (options.ConnectorTimeout <= TimeSpan.Zero)
            {
                errors.Add("Teams:ConnectorTimeout must be longer than zero, e.g. 00:00:30.");
            }

            if (options.InvokeBudget <= TimeSpan.Zero || options.InvokeBudget > TimeSpan.FromSeconds(5))
            {
                errors.Add("Teams:InvokeBudget must be between 0 and 5 seconds (Teams waits about 5 s for card actions).");
            }
        }

        if (options.Webhook.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.Webhook.Secret))
            {
                errors.Add("Teams:Webhook:Secret is required when Teams:Webhook:Enabled is true (the security token Teams shows when you create the outgoing webhook).");
            }
            else if (!IsBase64(options.Webhook.Secret))
            {
                errors.Add("Teams:Webhook:Secret must be the base64 security token exactly as Teams showed it.");
            }

            if (options.EffectiveAllowedTenants.Count == 0)
            {
                errors.Add("Teams:AllowedTenants (or Teams:AppTenantId) must name your tenant when Teams:Webhook:Enabled is true.");
            }

            if (options.Webhook.Budget <= TimeSpan.Zero || options.Webhook.Budget >= TimeSpan.FromSeconds(5))
            {
                errors.Add("Teams:Webhook:Budget must be between 0 and 5 seconds (Teams waits five seconds for an outgoing webhook).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Require(List<string> errors, string? value, string setting, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{setting} is required when Teams:Enabled is true ({what}).");
        }
    }

    private static void RequireAbsoluteUrl(List<string> errors, string value, string setting)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !IsLoopback(uri)))
        {
            errors.Add($"{setting} must be an absolute https URL (http only on loopback, for tests).");
        }
    }

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsBase64(string value)
    {
        Span<byte> buffer = stackalloc byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }
}
