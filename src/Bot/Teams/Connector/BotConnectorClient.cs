using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.Timeout;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Connector;

/// <summary>A Bot Connector call that failed. The message is safe to log: no tokens, no message content.</summary>
public sealed class BotConnectorException(string message, int? statusCode = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The HTTP status of the last attempt, when there was an answer.</summary>
    public int? StatusCode { get; } = statusCode;
}

/// <summary>The Bot Connector REST operations the bot uses.</summary>
internal interface IBotConnectorClient
{
    /// <summary>Replies to <see cref="ConversationReference.ActivityId"/> (or posts to the conversation when null); the new activity id if the connector returned one.</summary>
    Task<string?> SendAsync(ConversationReference to, OutgoingActivity activity, CancellationToken cancellationToken);

    /// <summary>Replaces an activity the bot sent earlier.</summary>
    Task UpdateAsync(ConversationReference to, string activityId, OutgoingActivity activity, CancellationToken cancellationToken);

    /// <summary>Opens (or finds) the 1:1 chat between the bot and <see cref="ConversationReference.User"/>; its id.</summary>
    Task<string> CreatePersonalConversationAsync(ConversationReference from, CancellationToken cancellationToken);

    /// <summary>
    /// One member of the conversation <paramref name="at"/> names, by Teams id or Entra object id, with their email and
    /// user principal name; null when Teams says they are not a member (404).
    /// </summary>
    Task<TeamsChannelAccount?> GetMemberAsync(ConversationReference at, string memberId, CancellationToken cancellationToken);
}

/// <summary>
/// Bot Connector v3 over a typed HttpClient. Retries live in the client's resilience pipeline
/// (<see cref="BotConnectorHttp.Rule"/>) and never duplicate a message.
/// </summary>
internal sealed class BotConnectorClient(
    HttpClient http,
    ServiceUrlPolicy serviceUrls,
    IBotConnectorTokenSource tokens) : IBotConnectorClient
{
    /// <summary>Attempts of one call, the first included.</summary>
    internal const int MaxAttempts = 3;

    public async Task<string?> SendAsync(ConversationReference to, OutgoingActivity activity, CancellationToken cancellationToken)
    {
        var path = to.ActivityId is null
            ? $"v3/conversations/{Escape(to.ConversationId)}/activities"
            : $"v3/conversations/{Escape(to.ConversationId)}/activities/{Escape(to.ActivityId)}";
        var body = Address(to, activity) with { ReplyToId = to.ActivityId };
        using var response = await SendWithRetriesAsync(HttpMethod.Post, to.ServiceUrl, path, Json(body), cancellationToken);
        return await ReadIdAsync(response, cancellationToken);
    }

    public async Task UpdateAsync(ConversationReference to, string activityId, OutgoingActivity activity, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Escape(to.ConversationId)}/activities/{Escape(activityId)}";
        using var _ = await SendWithRetriesAsync(HttpMethod.Put, to.ServiceUrl, path, Json(Address(to, activity) with { Id = activityId }), cancellationToken);
    }

    public async Task<string> CreatePersonalConversationAsync(ConversationReference from, CancellationToken cancellationToken)
    {
        var request = new CreateConversationRequest(
            IsGroup: false,
            Bot: new ChannelAccount { Id = from.Bot.Id, Name = from.Bot.Name },
            Members: [new ChannelAccount { Id = from.User.Id }],
            TenantId: from.TenantId,
            ChannelData: new TeamsChannelData { Tenant = new IdAndName { Id = from.TenantId } });
        using var response = await SendWithRetriesAsync(HttpMethod.Post, from.ServiceUrl, "v3/conversations", Json(request), cancellationToken);
        var created = await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.ResourceResponse, cancellationToken);
        return string.IsNullOrWhiteSpace(created?.Id)
            ? throw new BotConnectorException("The connector created a conversation but returned no id.", (int)response.StatusCode)
            : created.Id;
    }

    public async Task<TeamsChannelAccount?> GetMemberAsync(ConversationReference at, string memberId, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Escape(at.ConversationId)}/members/{Escape(memberId)}";
        try
        {
            using var response = await SendWithRetriesAsync(HttpMethod.Get, at.ServiceUrl, path, null, cancellationToken);
            return await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.TeamsChannelAccount, cancellationToken);
        }
        catch (BotConnectorException ex) when (ex.StatusCode == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (JsonException ex)
        {
            throw new BotConnectorException("The Bot Connector answered a member lookup with something that is not a member.", null, ex);
        }
    }

    private static JsonContent Json<T>(T body) => JsonContent.Create(body, (JsonTypeInfo<T>)TeamsJsonContext.Default.GetTypeInfo(typeof(T))!);

    private static OutgoingActivity Address(ConversationReference to, OutgoingActivity activity) => activity with
    {
        // Some channels reject an activity without from ("Activity.From field is required").
        From = new ChannelAccount { Id = to.Bot.Id, Name = to.Bot.Name },
        Recipient = new ChannelAccount { Id = to.User.Id, Name = to.User.Name },
        Conversation = new ConversationAccount { Id = to.ConversationId },
    };

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpMethod method, string serviceUrl, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        if (!serviceUrls.IsAllowed(serviceUrl, out var baseUri) || baseUri is null)
        {
            throw new BotConnectorException("Refusing to call a serviceUrl that is not an allowed Bot Connector host.");
        }

        var target = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/" + path);
        using var request = new HttpRequestMessage(method, target) { Content = content };
        if (serviceUrls.SendsToken(baseUri))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new BotConnectorException($"The Bot Connector could not be reached ({ex.HttpRequestError}).", null, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new BotConnectorException($"The Bot Connector did not answer {method} {Resource(path)} in time.", null, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        throw new BotConnectorException($"The Bot Connector answered {status} to {method} {Resource(path)}.", status);
    }

    // "v3/conversations/…": the conversation id stays out of logs.
    private static string Resource(string path) => $"{path.Split('/')[0]}/{path.Split('/')[1]}/…";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static async Task<string?> ReadIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Real Teams answers 201 {id}; the Playground sometimes 202 with no body.
        if (response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        try
        {
            var resource = await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.ResourceResponse, cancellationToken);
            return string.IsNullOrWhiteSpace(resource?.Id) ? null : resource.Id;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
