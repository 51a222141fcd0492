using System.Net;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Refit;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>
/// The Web API as the bot uses it: supplies the right token, turns <c>ok:false</c>, exhausted rate limits
/// and transport failures into <see cref="SlackApiException"/>, and never puts a token in an error.
/// </summary>
public sealed class SlackApiClient(ISlackWebApi api, IOptions<SlackOptions> options)
{
    private string BotToken => options.Value.BotToken ?? throw new SlackApiException("config", "Slack:BotToken is not configured");

    /// <summary>Posts a message to a channel; returns its timestamp.</summary>
    public async Task<string> PostMessageAsync(string channel, string text, IReadOnlyList<Rendering.SlackBlock>? blocks, CancellationToken cancellationToken)
    {
        var response = await CallAsync("chat.postMessage", () => api.PostMessageAsync(
            new ChatPostMessageRequest { Channel = channel, Text = text, Blocks = blocks }, BotToken, cancellationToken));
        return response.Ts ?? "";
    }

    /// <summary>Posts a message only <paramref name="user"/> sees.</summary>
    public Task PostEphemeralAsync(string channel, string user, string text, IReadOnlyList<Rendering.SlackBlock>? blocks, CancellationToken cancellationToken) =>
        CallAsync("chat.postEphemeral", () => api.PostEphemeralAsync(
            new ChatPostEphemeralRequest { Channel = channel, User = user, Text = text, Blocks = blocks }, BotToken, cancellationToken));

    /// <summary>Replaces a message the bot posted.</summary>
    public Task UpdateAsync(string channel, string ts, string text, IReadOnlyList<Rendering.SlackBlock>? blocks, CancellationToken cancellationToken) =>
        CallAsync("chat.update", () => api.UpdateAsync(
            new ChatUpdateRequest { Channel = channel, Ts = ts, Text = text, Blocks = blocks }, BotToken, cancellationToken));

    /// <summary>One user.</summary>
    public async Task<SlackUser> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("users.info", () => api.UsersInfoAsync(new() { ["user"] = userId }, BotToken, cancellationToken));
        return response.User ?? throw new SlackApiException("users.info", "malformed_response");
    }

    /// <summary>Every enabled user group of the workspace with its members.</summary>
    public async Task<IReadOnlyList<SlackUsergroup>> ListUsergroupsWithUsersAsync(string? teamId, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["include_users"] = "true", ["include_disabled"] = "false" };
        if (!string.IsNullOrEmpty(teamId))
        {
            // Needed with org-wide (Enterprise Grid) tokens, harmless otherwise.
            form["team_id"] = teamId;
        }

        var response = await CallAsync("usergroups.list", () => api.UsergroupsListAsync(form, BotToken, cancellationToken));
        return response.Usergroups;
    }

    /// <summary>The members of one user group.</summary>
    public async Task<IReadOnlyList<string>> ListUsergroupUsersAsync(string usergroupId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("usergroups.users.list", () => api.UsergroupsUsersListAsync(
            new() { ["usergroup"] = usergroupId }, BotToken, cancellationToken));
        return response.Users;
    }

    /// <summary>One conversation.</summary>
    public async Task<SlackConversation> GetConversationAsync(string channelId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("conversations.info", () => api.ConversationsInfoAsync(
            new() { ["channel"] = channelId }, BotToken, cancellationToken));
        return response.Channel ?? throw new SlackApiException("conversations.info", "malformed_response");
    }

    /// <summary>The workspace (and Grid organization) the bot token belongs to.</summary>
    public Task<AuthTestResponse> AuthTestAsync(CancellationToken cancellationToken) =>
        CallAsync("auth.test", () => api.AuthTestAsync(BotToken, cancellationToken));

    /// <summary>Opens a modal for <paramref name="triggerId"/>.</summary>
    public Task OpenViewAsync(string triggerId, Rendering.SlackView view, CancellationToken cancellationToken) =>
        CallAsync("views.open", () => api.ViewsOpenAsync(new ViewsOpenRequest(triggerId, view), BotToken, cancellationToken));

    /// <summary>Sets <paramref name="userId"/>'s App Home tab.</summary>
    public Task PublishHomeAsync(string userId, Rendering.SlackView view, CancellationToken cancellationToken) =>
        CallAsync("views.publish", () => api.ViewsPublishAsync(new ViewsPublishRequest(userId, view), BotToken, cancellationToken));

    /// <summary>The link to one message.</summary>
    public async Task<string> PermalinkAsync(string channel, string messageTs, CancellationToken cancellationToken)
    {
        var response = await CallAsync("chat.getPermalink", () => api.PermalinkAsync(
            new() { ["channel"] = channel, ["message_ts"] = messageTs }, BotToken, cancellationToken));
        return response.Permalink ?? throw new SlackApiException("chat.getPermalink", "malformed_response");
    }

    /// <summary>The bot's direct-message conversation with <paramref name="userId"/> (D…).</summary>
    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("conversations.open", () => api.ConversationsOpenAsync(new() { ["users"] = userId }, BotToken, cancellationToken));
        return response.Channel?.Id is { Length: > 0 } id ? id : throw new SlackApiException("conversations.open", "malformed_response");
    }

    /// <summary>Reserves an upload of <paramref name="length"/> bytes: where to send them, and the file's id.</summary>
    public async Task<(Uri UploadUrl, string FileId)> ReserveUploadAsync(string fileName, long length, CancellationToken cancellationToken)
    {
        var response = await CallAsync("files.getUploadURLExternal", () => api.FilesUploadUrlAsync(
            new() { ["filename"] = fileName, ["length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture) }, BotToken, cancellationToken));
        return Uri.TryCreate(response.UploadUrl, UriKind.Absolute, out var url) && !string.IsNullOrEmpty(response.FileId)
            && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
            ? (url, response.FileId)
            : throw new SlackApiException("files.getUploadURLExternal", "malformed_response");
    }

    /// <summary>Shares an uploaded file in <paramref name="channelId"/> (a DM when it is a user id) with a comment.</summary>
    public Task CompleteUploadAsync(string fileId, string title, string channelId, string comment, CancellationToken cancellationToken) =>
        CallAsync("files.completeUploadExternal", () => api.FilesCompleteUploadAsync(
            new()
            {
                ["files"] = System.Text.Json.JsonSerializer.Serialize<IReadOnlyList<SlackFileRef>>([new SlackFileRef(fileId, title)], SlackJsonContext.Default.IReadOnlyListSlackFileRef),
                ["channel_id"] = channelId,
                ["initial_comment"] = comment,
            },
            BotToken,
            cancellationToken));

    /// <summary>A fresh Socket Mode URL, opened with the app-level token.</summary>
    public async Task<Uri> OpenSocketModeConnectionAsync(CancellationToken cancellationToken)
    {
        var appToken = options.Value.AppToken ?? throw new SlackApiException("config", "Slack:AppToken is not configured");
        var response = await CallAsync("apps.connections.open", () => api.OpenConnectionAsync(appToken, cancellationToken));
        return Uri.TryCreate(response.Url, UriKind.Absolute, out var url) && url.Scheme is "wss" or "ws"
            ? url
            : throw new SlackApiException("apps.connections.open", "malformed_response");
    }

    private static async Task<T> CallAsync<T>(string method, Func<Task<T>> call)
        where T : SlackApiResponse
    {
        T response;
        try
        {
            response = await call();
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = ex.Headers.RetryAfter?.Delta;
            throw new SlackApiException(method, "ratelimited", retryAfter);
        }
        catch (ApiException ex) when (ex.InnerException is System.Text.Json.JsonException)
        {
            throw new SlackApiException(method, "malformed_response");
        }
        catch (ApiException ex)
        {
            // Refit's message can echo the request; only the status is kept.
            throw new SlackApiException(method, $"http_{(int)ex.StatusCode}");
        }
        catch (ApiRequestException ex) when (TransportError(ex.InnerException) is { } error)
        {
            // Refit 16 wraps what HttpClient threw before any answer; its message would echo the request.
            throw new SlackApiException(method, error);
        }
        catch (Exception ex) when (TransportError(ex) is { } error)
        {
            throw new SlackApiException(method, error);
        }

        if (response is null)
        {
            throw new SlackApiException(method, "malformed_response");
        }

        return response.Ok ? response : throw new SlackApiException(method, string.IsNullOrEmpty(response.Error) ? "unknown_error" : response.Error);
    }

    /// <summary>
    /// The error code of a failure without a usable answer: no connection, an unreadable body, or a timeout (the
    /// resilience pipeline's or HttpClient's). A cancelled caller is not one: Refit passes that through unwrapped.
    /// </summary>
    private static string? TransportError(Exception? exception) => exception switch
    {
        HttpRequestException => "unreachable",
        System.Text.Json.JsonException => "malformed_response",
        TimeoutRejectedException => "timeout",
        TaskCanceledException { InnerException: TimeoutException } => "timeout",
        _ => null,
    };
}
