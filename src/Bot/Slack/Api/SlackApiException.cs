namespace PscaleBot.Bot.Slack.Api;

/// <summary>
/// A Slack Web API call that failed: <c>ok:false</c> with Slack's error code, a rate limit that outlasted
/// the retries, or a transport failure. The message never contains a token.
/// </summary>
public sealed class SlackApiException(string method, string error, TimeSpan? retryAfter = null, Exception? innerException = null)
    : Exception($"Slack {method} failed: {error}", innerException)
{
    /// <summary>The method called (<c>chat.postMessage</c>).</summary>
    public string Method { get; } = method;

    /// <summary>Slack's error code (<c>channel_not_found</c>, <c>ratelimited</c>), or <c>http_&lt;status&gt;</c>/<c>unreachable</c>.</summary>
    public string Error { get; } = error;

    /// <summary>How long Slack asked to wait, for <c>ratelimited</c>.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>True for errors no retry can fix: the token is wrong, revoked or the workspace is gone.</summary>
    public bool IsUnrecoverable => Error is "not_authed" or "invalid_auth" or "account_inactive" or "token_revoked"
        or "token_expired" or "user_removed_from_team" or "team_disabled" or "no_permission" or "missing_scope" or "not_allowed_token_type";

    /// <summary>True when Slack is rate limiting the caller.</summary>
    public bool IsRateLimited => Error == "ratelimited";
}
