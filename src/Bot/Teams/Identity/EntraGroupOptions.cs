using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Teams.Identity;

/// <summary>
/// Entra ID group lookups for <c>teams:group:&lt;object id&gt;</c> bindings (section <c>Teams:Groups</c>). Uses the
/// bot's own app registration (<c>Teams:AppId</c>, <c>Teams:AppPassword</c>, <c>Teams:AppTenantId</c>), which needs
/// the Microsoft Graph application permission <c>GroupMember.Read.All</c> with admin consent.
/// </summary>
public sealed class EntraGroupOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Teams:Groups";

    /// <summary>Look callers' groups up in Microsoft Graph. Off, <c>teams:group:</c> bindings match nobody.</summary>
    public bool Enabled { get; set; }

    /// <summary>Microsoft Graph's base URL, version included.</summary>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>The app-only scope for Graph.</summary>
    public string GraphScope { get; set; } = "https://graph.microsoft.com/.default";

    /// <summary>Where app-only tokens are requested (the tenant id is appended). MSAL requires https.</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>How long a user's groups are served from memory before Graph is asked again.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a command waits for a lookup; after that the last known groups (or none) apply.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);
}

/// <summary>Checks <see cref="EntraGroupOptions"/> at start-up; every message names the setting to fix.</summary>
public sealed class EntraGroupOptionsValidator(IOptions<TeamsOptions> teams) : IValidateOptions<EntraGroupOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EntraGroupOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        var app = teams.Value;
        if (string.IsNullOrWhiteSpace(app.AppId) || string.IsNullOrWhiteSpace(app.AppPassword) || string.IsNullOrWhiteSpace(app.AppTenantId))
        {
            errors.Add("Teams:Groups:Enabled needs Teams:AppId, Teams:AppPassword and Teams:AppTenantId: groups are read from Microsoft Graph with the bot's app registration.");
        }

        if (!Uri.TryCreate(options.GraphBaseUrl, UriKind.Absolute, out var graph)
            || (graph.Scheme != Uri.UriSchemeHttps && !TeamsOptionsValidator.IsLoopback(graph)))
        {
            errors.Add("Teams:Groups:GraphBaseUrl must be an absolute https URL such as https://graph.microsoft.com/v1.0 (http only on loopback, for tests).");
        }

        if (!Uri.TryCreate(options.AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add("Teams:Groups:AuthorityHost must be an absolute https URL such as https://login.microsoftonline.com (MSAL refuses anything else).");
        }

        if (string.IsNullOrWhiteSpace(options.GraphScope))
        {
            errors.Add("Teams:Groups:GraphScope must name the Graph scope, e.g. https://graph.microsoft.com/.default.");
        }

        if (options.CacheDuration <= TimeSpan.Zero)
        {
            errors.Add("Teams:Groups:CacheDuration must be longer than zero, e.g. 00:05:00.");
        }

        if (options.LookupTimeout <= TimeSpan.Zero || options.LookupTimeout > TimeSpan.FromSeconds(4))
        {
            errors.Add("Teams:Groups:LookupTimeout must be between 0 and 4 seconds (card actions must answer within 5 s), e.g. 00:00:01.5.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
