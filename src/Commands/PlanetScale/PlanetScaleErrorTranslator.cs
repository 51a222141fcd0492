using System.Globalization;
using System.Text.Json;
using PscaleBot.Commands.PlanetScale.Api;
using PscaleBot.Commands.PlanetScale.Http;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>An error answer as the translator needs it: never the request, so never the credentials.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Content">The body, possibly truncated.</param>
/// <param name="MediaType">The body's media type, if any.</param>
/// <param name="RequestId">PlanetScale's request id, if sent.</param>
/// <param name="RetryAfter">How long PlanetScale asked to wait, if it said.</param>
internal sealed record PlanetScaleHttpFailure(int StatusCode, string? Content, string? MediaType, string? RequestId, TimeSpan? RetryAfter);

/// <summary>
/// Words PlanetScale failures for the people in the channel. Every message passes through
/// <see cref="CredentialRedactor"/>, and no message quotes an HTML body or the request.
/// </summary>
internal sealed class PlanetScaleErrorTranslator(PlanetScaleOptions options)
{
    private static readonly HashSet<string> GenericMessages = new(StringComparer.OrdinalIgnoreCase)
    {
        "Not Found", "Forbidden", "Unauthorized", "Unprocessable", "Unprocessable Entity", "Bad Request", "Too Many Requests",
        "Internal Server Error", "Bad Gateway", "Service Unavailable", "Gateway Timeout",
    };

    private readonly CredentialRedactor redactor = new(options);

    /// <summary>The exception for an error answer.</summary>
    public PlanetScaleApiException FromResponse(PlanetScaleOperation operation, PlanetScaleHttpFailure failure)
    {
        var status = failure.StatusCode;
        var body = ReadBody(failure.Content, out var hasUnreadableBody);
        var code = body?.Code ?? body?.Error;

        // The SDK reads any 404 as not_found whatever the body; a 429 from a proxy is still rate limiting.
        if (hasUnreadableBody && status != 404 && status != 429)
        {
            var media = failure.MediaType is null ? "no content type" : failure.MediaType;
            var text = $"PlanetScale answered {status} with a body the bot could not read ({media}) while trying to {operation.Action}; the API might be down.";
            if (operation.IsPost && operation.CheckHint is not null)
            {
                text += $" Nothing was retried for this change — {operation.CheckHint}.";
            }

            return Create(PlanetScaleErrorKind.Malformed, text, failure, code);
        }

        return status switch
        {
            401 => Create(PlanetScaleErrorKind.Unauthorized, UnauthorizedText(body) + Said(body), failure, code),
            403 => Create(PlanetScaleErrorKind.Forbidden, ForbiddenText(operation) + Said(body), failure, code),
            404 => Create(PlanetScaleErrorKind.NotFound, NotFoundText(operation), failure, code),
            429 => Create(PlanetScaleErrorKind.RateLimited, RateLimitedText(operation, failure.RetryAfter), failure, code),
            >= 500 => Create(PlanetScaleErrorKind.ServerError, ServerErrorText(operation, status) + Said(body), failure, code),
            >= 400 => Create(PlanetScaleErrorKind.Invalid, InvalidText(operation, status, body), failure, code),
            _ => Create(PlanetScaleErrorKind.Malformed, $"PlanetScale answered {status}, which the bot did not expect, while trying to {operation.Action}.", failure, code),
        };
    }

    /// <summary>The 404 wording: the resource, or the access the bot's credentials would need.</summary>
    public static string NotFoundText(PlanetScaleOperation operation)
    {
        if (operation.Organization is null)
        {
            return "PlanetScale answered 404 to `GET /organizations`: check that PlanetScale:BaseUrl ends in /v1 (e.g. https://api.planetscale.com/v1).";
        }

        var onIt = operation.TargetsToken ? "" : " on it";
        return Sentence($"{operation.NotFoundSubject}, or the bot's credentials lack `{operation.RequiredAccess}`{onIt}.");
    }

    /// <summary>No answer in time.</summary>
    public PlanetScaleApiException Timeout(PlanetScaleOperation operation, TimeSpan waited, string? requestId, Exception inner)
    {
        var seconds = Seconds(waited);
        var text = operation.IsPost
            ? $"PlanetScale did not answer within {seconds}; nothing was retried for this change — {operation.CheckHint}."
            : ThenCheckOrRetry($"PlanetScale did not answer within {seconds} while the bot tried to {operation.Action}", operation);
        return new PlanetScaleApiException(PlanetScaleErrorKind.Timeout, redactor.Redact(text), requestId: requestId, innerException: inner);
    }

    /// <summary>
    /// The total timeout ran out while PlanetScale's rate limit held the call back (the bot's budget, or a 429's
    /// <c>Retry-After</c>). A POST held back was never sent: the bot sends a POST once, and only with a permit.
    /// </summary>
    public PlanetScaleApiException RateLimitTimeout(PlanetScaleOperation operation, TimeSpan waited, Exception inner)
    {
        var held = $"PlanetScale's rate limit held the bot back for {Seconds(waited)} while it tried to {operation.Action}";
        var text = operation.IsPost
            ? $"{held}, so the change was not sent and nothing was changed. Try again in a minute."
            : ThenCheckOrRetry(held, operation);
        return new PlanetScaleApiException(PlanetScaleErrorKind.RateLimited, redactor.Redact(text), innerException: inner);
    }

    // A read or delete that ran out of time: how to check whether it happened, if it may have, else try again.
    private static string ThenCheckOrRetry(string sentence, PlanetScaleOperation operation) =>
        operation.CheckHint is not null ? $"{sentence}; {operation.CheckHint}." : $"{sentence}; try again in a minute.";

    /// <summary>No connection, or it broke before an answer.</summary>
    public PlanetScaleApiException Unreachable(PlanetScaleOperation operation, HttpRequestException exception)
    {
        var reason = exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "its name did not resolve",
            HttpRequestError.ConnectionError => "the connection failed",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
            _ => "the connection broke before an answer",
        };
        var text = $"The bot could not reach PlanetScale at {options.BaseUrl.Host} while trying to {operation.Action}: {reason}.";
        if (operation.IsPost && operation.CheckHint is not null)
        {
            text += $" Nothing was retried for this change — {operation.CheckHint}.";
        }

        // The inner exception is kept for operators; HttpRequestException never carries request headers.
        return new PlanetScaleApiException(PlanetScaleErrorKind.Unreachable, redactor.Redact(text), innerException: exception);
    }

    /// <summary>A failure below the HTTP layer that fits no other kind (e.g. a bug in a handler).</summary>
    public PlanetScaleApiException Unexpected(PlanetScaleOperation operation, Exception exception)
    {
        var text = $"The call to PlanetScale failed unexpectedly while the bot tried to {operation.Action} ({exception.GetType().Name}).";
        if (operation.IsPost && operation.CheckHint is not null)
        {
            text += $" Nothing was retried for this change — {operation.CheckHint}.";
        }

        var keep = exception is Refit.ApiExceptionBase ? null : exception;
        return new PlanetScaleApiException(PlanetScaleErrorKind.Unreachable, redactor.Redact(text), innerException: keep);
    }

    /// <summary>A success answer whose body could not be read.</summary>
    public PlanetScaleApiException Unreadable(PlanetScaleOperation operation, string detail, int? statusCode, string? requestId, Exception? inner = null)
    {
        var text = $"PlanetScale's answer to \"{operation.Action}\" could not be read: {detail}.";
        if (operation.IsPost && operation.CheckHint is not null)
        {
            text += $" The change may have happened — {operation.CheckHint}.";
        }

        return new PlanetScaleApiException(PlanetScaleErrorKind.Malformed, redactor.Redact(text), statusCode, requestId: requestId, innerException: inner);
    }

    /// <summary>A redirect to another host, which the client refuses so the credentials stay with PlanetScale.</summary>
    public PlanetScaleApiException RedirectRefused(PlanetScaleOperation operation, CrossHostRedirectException exception) =>
        new(PlanetScaleErrorKind.Malformed,
            redactor.Redact($"PlanetScale answered \"{operation.Action}\" with a redirect to another host ({exception.TargetHost}); the bot does not follow it, so its credentials stay private. Check PlanetScale:BaseUrl."),
            exception.StatusCode);

    /// <summary>Seconds for people: "30 s".</summary>
    public static string Seconds(TimeSpan span) =>
        Math.Ceiling(span.TotalSeconds).ToString("0", CultureInfo.InvariantCulture) + " s";

    private PlanetScaleApiException Create(PlanetScaleErrorKind kind, string text, PlanetScaleHttpFailure failure, string? code) =>
        new(kind, redactor.Redact(text), failure.StatusCode, code is null ? null : redactor.Quote(code, 64), failure.RequestId);

    private string UnauthorizedText(PlanetScaleErrorBody? body)
    {
        var usesServiceToken = !string.IsNullOrWhiteSpace(options.ServiceTokenId) && !string.IsNullOrWhiteSpace(options.ServiceToken);
        if (string.Equals(body?.Error, "invalid_token", StringComparison.OrdinalIgnoreCase) || (!usesServiceToken && !string.IsNullOrWhiteSpace(options.AccessToken)))
        {
            return "PlanetScale rejected the bot's OAuth access token (401): it is invalid or has expired. An operator must set a fresh PlanetScale:AccessToken.";
        }

        return usesServiceToken
            ? "PlanetScale rejected the bot's service token (401): it is invalid, expired or was deleted. An operator must check PlanetScale:ServiceTokenId and PlanetScale:ServiceToken."
            : "PlanetScale rejected the bot's request (401): no PlanetScale credentials are configured. An operator must set PlanetScale:ServiceTokenId and PlanetScale:ServiceToken.";
    }

    private static string ForbiddenText(PlanetScaleOperation operation) =>
        operation.RequiredAccess is null
            ? $"PlanetScale refused to let the bot {operation.Action} (403)."
            : $"PlanetScale refused to let the bot {operation.Action} (403): the bot's credentials lack `{operation.RequiredAccess}`.";

    private static string RateLimitedText(PlanetScaleOperation operation, TimeSpan? retryAfter)
    {
        var wait = retryAfter is { } delay && delay > TimeSpan.Zero ? $"Try again in {Seconds(delay)}." : "Try again in a minute.";
        var text = $"PlanetScale is rate-limiting the bot (429; it allows 600 requests a minute) while it tried to {operation.Action}. {wait}";
        return operation.IsPost ? text + " Nothing was retried for this change." : text;
    }

    private static string ServerErrorText(PlanetScaleOperation operation, int status)
    {
        var text = $"PlanetScale had a server error ({status}) while the bot tried to {operation.Action}.";
        return operation.IsPost && operation.CheckHint is not null
            ? text + $" Nothing was retried for this change — {operation.CheckHint}."
            : text + " Try again in a few minutes.";
    }

    private string InvalidText(PlanetScaleOperation operation, int status, PlanetScaleErrorBody? body)
    {
        var message = redactor.Quote(body?.Message ?? body?.ErrorDescription);
        var code = body?.Code is { Length: > 0 } c ? $" {redactor.Quote(c, 64)}" : "";
        var detail = message.Length > 0 ? message : "the request was invalid";
        return $"PlanetScale rejected the request to {operation.Action} ({status}{code}): {detail}";
    }

    private string Said(PlanetScaleErrorBody? body)
    {
        var message = redactor.Quote(body?.Message ?? body?.ErrorDescription);
        return message.Length == 0 || GenericMessages.Contains(message) ? "" : $" PlanetScale said: \"{message}\"";
    }

    private static PlanetScaleErrorBody? ReadBody(string? content, out bool unreadable)
    {
        unreadable = false;
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                unreadable = true;
                return null;
            }

            return document.RootElement.Deserialize<PlanetScaleErrorBody>(PlanetScaleJson.Options);
        }
        catch (JsonException)
        {
            unreadable = true;
            return null;
        }
    }

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
