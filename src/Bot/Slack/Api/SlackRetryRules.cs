using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>
/// How the Slack clients retry. Every Web API method is a POST, so a write (<c>chat.postMessage</c>) is retried
/// only when Slack cannot have acted on it: a 429 (whose <c>Retry-After</c> is honoured) or a connection that never
/// opened. The read methods may be sent twice and are also retried after 5xx and timeouts. A <c>response_url</c>
/// post is a write.
/// </summary>
public static class SlackRetryRules
{
    /// <summary>Timeouts of a Web API call by default (<see cref="SlackOptions.ApiTimeout"/>): 30 s an attempt, as HttpClient allowed before.</summary>
    public static HttpTimeouts WebApiTimeouts { get; } = HttpTimeouts.OfAttempt(new SlackOptions().ApiTimeout);

    // Methods that only read: sending one twice changes nothing.
    private static readonly HashSet<string> ReadMethods = new(StringComparer.Ordinal)
    {
        "users.info", "usergroups.list", "usergroups.users.list", "conversations.info",
    };

    /// <summary>The rule for Web API calls.</summary>
    public static SafeRetryRule WebApi(SlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Write(options) with { IsIdempotent = IsReadMethod };
    }

    /// <summary>The rule for <c>response_url</c> posts: never idempotent.</summary>
    public static SafeRetryRule ResponseUrl(SlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Write(options);
    }

    /// <summary>True for a Web API read method (<c>…/users.info</c>).</summary>
    public static bool IsReadMethod(HttpRequestMessage request) =>
        request?.RequestUri is { IsAbsoluteUri: true } uri && ReadMethods.Contains(uri.Segments[^1]);

    private static SafeRetryRule Write(SlackOptions options) => new()
    {
        IsIdempotent = static _ => false,
        Refusals = SafeRetryRule.TooManyRequestsOnly,
        MaxRetryAttempts = options.MaxRateLimitRetries,
        // Slack always names Retry-After on a 429; one second is its usual answer when it does not.
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxRetryAfter = options.MaxRetryAfter,
    };
}
