using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Slack;

/// <summary>How Slack reaches the bot.</summary>
public enum SlackMode
{
    /// <summary>Slack posts signed HTTP requests to <c>/slack/commands</c> and <c>/slack/interactions</c>.</summary>
    Http,
    /// <summary>The bot opens a WebSocket to Slack with the app-level token; no public URL needed.</summary>
    SocketMode,
}

/// <summary>How tables are drawn in Block Kit.</summary>
public enum SlackTableStyle
{
    /// <summary>Slack's <c>table</c> block (one per message).</summary>
    Table,
    /// <summary>A monospace table in a mrkdwn code block, for clients or workspaces without table blocks.</summary>
    CodeBlock,
}

/// <summary>Slack settings (section <c>Slack</c>; environment variables <c>Slack__…</c>).</summary>
public sealed class SlackOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Slack";

    /// <summary>Whether the Slack adapter runs at all. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>HTTP (signed requests) or Socket Mode.</summary>
    public SlackMode Mode { get; set; } = SlackMode.Http;

    /// <summary>The app's signing secret (Basic Information page); required in HTTP mode.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The bot token <c>xoxb-…</c> for Web API calls; always required when enabled.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app-level token <c>xapp-…</c> with <c>connections:write</c>; required in Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>
    /// Workspaces (T…) the bot serves; requests from any other workspace are refused before anything runs. When
    /// neither this nor <see cref="AllowedEnterpriseIds"/> is set, the bot serves only the workspace its bot token
    /// belongs to (asked of Slack's <c>auth.test</c>), and refuses everyone while that cannot be found out.
    /// </summary>
    public List<string> AllowedTeamIds { get; set; } = [];

    /// <summary>Enterprise Grid organizations (E…) whose every workspace the bot serves.</summary>
    public List<string> AllowedEnterpriseIds { get; set; } = [];

    /// <summary>The Web API base address (tests point it at a local fake).</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>How tables are drawn.</summary>
    public SlackTableStyle TableStyle { get; set; } = SlackTableStyle.Table;

    /// <summary>
    /// Hosts a <c>response_url</c> may point at. Slack only hands out hooks.slack.com (hooks.slack-gov.com on
    /// GovSlack); anything else is refused so a payload can never steer the bot's requests elsewhere.
    /// </summary>
    public List<string> ResponseUrlHosts { get; set; } = ["hooks.slack.com", "hooks.slack-gov.com"];

    /// <summary>How long an identical change from the same person in the same place counts as a double submit.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long delivery ids (trigger ids, envelope ids, action timestamps) are remembered.</summary>
    public TimeSpan DeliveryMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long user-group memberships are cached (<c>usergroups.list</c> is Tier 2).</summary>
    public TimeSpan UserGroupCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Read every served workspace's user groups before the bot reports ready, and again before the copy expires, so
    /// commands never wait for Slack (see <c>SlackUserGroupRefresher</c>). Off, groups are read on first use.
    /// </summary>
    public bool PreloadUserGroups { get; set; } = true;

    /// <summary>Longest wait for the group lookup while Slack waits for the acknowledgement.</summary>
    public TimeSpan GroupLookupTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>One attempt of a Web API call; the call with its retries gets three times this.</summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt of a <c>response_url</c> post; a post that times out is not sent again (it may have arrived).</summary>
    public TimeSpan ResponseUrlTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries of a Web API call answered with 429.</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>Longest <c>Retry-After</c> honoured by waiting; longer ones fail the call at once.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Socket Mode: interval of client WebSocket pings.</summary>
    public TimeSpan SocketPingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Socket Mode: a socket without a pong for this long is dead and replaced.</summary>
    public TimeSpan SocketPingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Socket Mode: first reconnect delay after a failure (doubled each time, with jitter).</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Socket Mode: longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest request body accepted on the HTTP endpoints.</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>Checks at start-up that the secrets the chosen mode needs are present, naming the missing setting.</summary>
public sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.Mode == SlackMode.Http && string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            failures.Add(Missing("SigningSecret", " and Slack:Mode is Http", "the app's Basic Information page, 'Signing Secret'"));
        }

        if (string.IsNullOrWhiteSpace(options.BotToken))
        {
            failures.Add(Missing("BotToken", "", "OAuth & Permissions, 'Bot User OAuth Token' (xoxb-…)"));
        }
        else if (!options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            failures.Add("Slack:BotToken must be a bot token starting with 'xoxb-' (OAuth & Permissions, 'Bot User OAuth Token').");
        }

        if (options.Mode == SlackMode.SocketMode)
        {
            if (string.IsNullOrWhiteSpace(options.AppToken))
            {
                failures.Add(Missing("AppToken", " and Slack:Mode is SocketMode", "Basic Information, 'App-Level Tokens' with connections:write (xapp-…)"));
            }
            else if (!options.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
            {
                failures.Add("Slack:AppToken must be an app-level token starting with 'xapp-' (Basic Information, 'App-Level Tokens').");
            }
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri)
        {
            failures.Add("Slack:ApiBaseUrl must be an absolute URL such as https://slack.com/api/.");
        }

        CheckIds(failures, options.AllowedTeamIds, "AllowedTeamIds", 'T', "workspace ids such as T0123ABCD (Slack: workspace settings, or the team_id of auth.test)");
        CheckIds(failures, options.AllowedEnterpriseIds, "AllowedEnterpriseIds", 'E', "Enterprise Grid organization ids such as E0123ABCD");

        if (options.ApiTimeout <= TimeSpan.Zero || options.ResponseUrlTimeout <= TimeSpan.Zero)
        {
            failures.Add("Slack:ApiTimeout and Slack:ResponseUrlTimeout must be longer than zero, e.g. 00:00:30.");
        }

        if (options.MaxRateLimitRetries is < 0 or > 10)
        {
            failures.Add("Slack:MaxRateLimitRetries must be between 0 and 10.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckIds(List<string> failures, List<string> ids, string setting, char prefix, string what)
    {
        foreach (var id in ids)
        {
            var trimmed = id?.Trim() ?? "";
            if (trimmed.Length < 2 || trimmed[0] != prefix || !trimmed.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9')))
            {
                failures.Add($"Slack:{setting} must list {what}; '{trimmed}' is not one (environment variables Slack__{setting}__0, Slack__{setting}__1, …).");
            }
        }
    }

    private static string Missing(string setting, string when, string where) =>
        $"Slack:{setting} is required when Slack:Enabled is true{when} (environment variable Slack__{setting}; find it under {where}).";
}
