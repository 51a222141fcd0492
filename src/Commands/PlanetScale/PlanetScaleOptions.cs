using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>How the bot reaches PlanetScale (section <c>PlanetScale</c>; environment <c>PlanetScale__…</c>).</summary>
public sealed class PlanetScaleOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "PlanetScale";

    /// <summary>The API root, including <c>/v1</c>.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.planetscale.com/v1");

    /// <summary>Organization used when a command has no <c>--org</c>.</summary>
    [Required(ErrorMessage = "PlanetScale:DefaultOrganization is required: the organization used when a command has no --org.")]
    public string DefaultOrganization { get; set; } = "";

    /// <summary>Service token id, sent as <c>Authorization: &lt;id&gt;:&lt;token&gt;</c> with <see cref="ServiceToken"/>.</summary>
    public string? ServiceTokenId { get; set; }

    /// <summary>Service token secret.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>OAuth access token, sent as <c>Bearer</c>; used when no service token is configured.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of a whole call, retries included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Use the embedded sandbox instead of the real API (default in Development and in the shell without credentials).</summary>
    public bool UseSandbox { get; set; }

    /// <summary>Retries after the first attempt of a GET or DELETE that got 429, 5xx, a timeout or no connection. POSTs are never retried.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay; it doubles per retry, with jitter, unless PlanetScale sends <c>Retry-After</c>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c> the bot waits for; a longer one ends the call as rate-limited instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The most pages (of 100 items) one list call follows before it stops and reports the API as misbehaving.</summary>
    [Range(1, 10_000)]
    public int MaxPages { get; set; } = 100;

    /// <summary>On a 404, ask <c>GET /organizations</c> whether the organization is visible, to word the error precisely (the CLI's trick).</summary>
    public bool DiagnoseNotFound { get; set; } = true;

    /// <summary>
    /// How long an answer to a read (list, show, show-access) is reused for identical reads with the same credential.
    /// Any change made through the bot drops the organization's entries at once. Zero turns the cache off.
    /// </summary>
    public TimeSpan ReadCacheTtl { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How old a cached answer may be and still be shown while the rate budget has no permit free for reads
    /// (revocations and changes go first); such an answer says how old it is. Zero never shows an answer past its TTL.
    /// </summary>
    public TimeSpan ReadCacheMaxStale { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The bot's own budget per credential, mirroring PlanetScale's limit: it waits rather than drawing 429s.
    /// Zero turns the budget off (only for a sandbox whose rate limit is off).
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "PlanetScale:RequestsPerMinute must be between 0 (off) and 1000000 (PlanetScale allows 600).")]
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// The share of each window (in percent of <see cref="RequestsPerMinute"/>, rounded down) that users' reads and
    /// changes may always take while revocations wait, so a command still gets an answer during a revocation storm;
    /// revocations keep at least the rest. Zero serves revocations strictly first.
    /// </summary>
    [Range(0, 50, ErrorMessage = "PlanetScale:UserSharePercent must be between 0 (revocations strictly first) and 50 (revocations keep at least half of the rate limit).")]
    public int UserSharePercent { get; set; } = DefaultUserSharePercent;

    /// <summary>The default of <see cref="UserSharePercent"/>: revocations keep at least 95 % of the rate limit.</summary>
    public const int DefaultUserSharePercent = 5;

    /// <summary>True when any credential setting is given, complete or not.</summary>
    public bool HasAnyCredentialSetting =>
        !string.IsNullOrWhiteSpace(ServiceTokenId) || !string.IsNullOrWhiteSpace(ServiceToken) || !string.IsNullOrWhiteSpace(AccessToken);

    /// <summary>True when a complete credential is configured (both halves of a service token, or an access token).</summary>
    public bool HasCredentials =>
        (!string.IsNullOrWhiteSpace(ServiceTokenId) && !string.IsNullOrWhiteSpace(ServiceToken))
        || !string.IsNullOrWhiteSpace(AccessToken);
}
