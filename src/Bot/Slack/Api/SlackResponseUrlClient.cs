using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>Who sees a message posted through a <c>response_url</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlackResponseType>))]
public enum SlackResponseType
{
    /// <summary>Only the person who acted.</summary>
    [JsonStringEnumMemberName("ephemeral")]
    Ephemeral,
    /// <summary>Everyone in the conversation.</summary>
    [JsonStringEnumMemberName("in_channel")]
    InChannel,
}

/// <summary>A message for a <c>response_url</c> (or an immediate acknowledgement body), serialised as Slack expects.</summary>
/// <param name="ResponseType">Who sees it.</param>
/// <param name="Text">The fallback text.</param>
/// <param name="Blocks">Block Kit blocks, if any; written last.</param>
/// <param name="ReplaceOriginal">Replace the message the action came from; always sent explicitly.</param>
public sealed record SlackResponseMessage(
    SlackResponseType ResponseType,
    string Text,
    [property: JsonPropertyOrder(1)] IReadOnlyList<Rendering.SlackBlock>? Blocks,
    bool ReplaceOriginal = false);

/// <summary>
/// Posts to a <c>response_url</c>. Slack allows five posts per URL in thirty minutes; callers plan within that.
/// Retries follow <see cref="SlackRetryRules.ResponseUrl"/>: a 429 or a connection that never opened, nothing else.
/// Only hosts listed in <see cref="SlackOptions.ResponseUrlHosts"/> are contacted, over HTTPS (plain HTTP only to loopback).
/// </summary>
public sealed class SlackResponseUrlClient(HttpClient http, IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>Posts one message to a <c>response_url</c>; throws <see cref="SlackApiException"/> when Slack refuses it.</summary>
    public async Task PostAsync(string responseUrl, SlackResponseMessage message, CancellationToken cancellationToken)
    {
        var url = CheckedUrl(responseUrl);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(url, JsonContent.Create(message, SlackJsonContext.Default.SlackResponseMessage), cancellationToken);
        }
        catch (HttpRequestException)
        {
            throw new SlackApiException("response_url", "unreachable");
        }
        catch (TimeoutRejectedException)
        {
            // The resilience pipeline's timeout: the post may have arrived, so it was not sent again.
            throw new SlackApiException("response_url", "timeout");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            // Slack answers e.g. 404 "expired_url" or "used_url"; keep only a short code, never the URL.
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = body.Length is > 0 and <= 64 && body.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? body : $"http_{(int)response.StatusCode}";
            throw new SlackApiException("response_url", code,
                response.StatusCode == HttpStatusCode.TooManyRequests ? RetryAfterHeader.Read(response, time.GetUtcNow()) : null);
        }
    }

    /// <summary>True when <paramref name="responseUrl"/> is one the bot may post to.</summary>
    public bool IsAllowed(string? responseUrl)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url))
        {
            return false;
        }

        var hostAllowed = options.Value.ResponseUrlHosts.Any(h => string.Equals(h, url.Host, StringComparison.OrdinalIgnoreCase));
        return hostAllowed && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));
    }

    private Uri CheckedUrl(string responseUrl) =>
        IsAllowed(responseUrl) ? new Uri(responseUrl) : throw new SlackApiException("response_url", "response_url_not_allowed");
}
