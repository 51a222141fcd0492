using System.Text.Json.Serialization;
using PscaleBot.Bot.Slack.Rendering;
using Refit;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>
/// The Slack Web API methods the bot calls (Refit). Write methods take JSON, read methods form fields, as
/// Slack recommends. Use <see cref="SlackApiClient"/>, which supplies tokens and maps <c>ok:false</c> to errors.
/// </summary>
public interface ISlackWebApi
{
    /// <summary><c>chat.postMessage</c>.</summary>
    [Post("/chat.postMessage")]
    Task<ChatPostMessageResponse> PostMessageAsync([Body] ChatPostMessageRequest request, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>chat.postEphemeral</c>.</summary>
    [Post("/chat.postEphemeral")]
    Task<ChatPostEphemeralResponse> PostEphemeralAsync([Body] ChatPostEphemeralRequest request, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>chat.update</c>.</summary>
    [Post("/chat.update")]
    Task<ChatUpdateResponse> UpdateAsync([Body] ChatUpdateRequest request, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>users.info</c>.</summary>
    [Post("/users.info")]
    Task<UsersInfoResponse> UsersInfoAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>usergroups.list</c> (with <c>include_users=true</c> one call gives every member of every group).</summary>
    [Post("/usergroups.list")]
    Task<UsergroupsListResponse> UsergroupsListAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>usergroups.users.list</c>.</summary>
    [Post("/usergroups.users.list")]
    Task<UsergroupsUsersListResponse> UsergroupsUsersListAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>conversations.info</c>.</summary>
    [Post("/conversations.info")]
    Task<ConversationsInfoResponse> ConversationsInfoAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>auth.test</c>: which workspace (or Grid organization) the token belongs to.</summary>
    [Post("/auth.test")]
    Task<AuthTestResponse> AuthTestAsync([Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>views.open</c>: opens a modal for a <c>trigger_id</c> (valid about 3 seconds).</summary>
    [Post("/views.open")]
    Task<ViewsResponse> ViewsOpenAsync([Body] ViewsOpenRequest request, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>views.publish</c>: sets one user's App Home tab.</summary>
    [Post("/views.publish")]
    Task<ViewsResponse> ViewsPublishAsync([Body] ViewsPublishRequest request, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>chat.getPermalink</c>.</summary>
    [Post("/chat.getPermalink")]
    Task<ChatPermalinkResponse> PermalinkAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>files.getUploadURLExternal</c>: where to upload a file's bytes, and its id.</summary>
    [Post("/files.getUploadURLExternal")]
    Task<FilesUploadUrlResponse> FilesUploadUrlAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>files.completeUploadExternal</c>: shares uploaded files in a conversation.</summary>
    [Post("/files.completeUploadExternal")]
    Task<SlackApiResponse> FilesCompleteUploadAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>conversations.open</c>: the bot's DM with one user (D…).</summary>
    [Post("/conversations.open")]
    Task<ConversationsOpenResponse> ConversationsOpenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary><c>apps.connections.open</c> (app-level token only).</summary>
    [Post("/apps.connections.open")]
    Task<AppsConnectionsOpenResponse> OpenConnectionAsync([Authorize] string appToken, CancellationToken cancellationToken);
}

/// <summary>The envelope of every Web API answer.</summary>
public class SlackApiResponse
{
    /// <summary>True on success.</summary>
    public bool Ok { get; set; }

    /// <summary>The error code when <see cref="Ok"/> is false (<c>channel_not_found</c>, <c>invalid_auth</c>, …).</summary>
    public string? Error { get; set; }

    /// <summary>Scopes missing, on <c>missing_scope</c>.</summary>
    public string? Needed { get; set; }

    /// <summary>A warning Slack attached (<c>missing_charset</c>, …).</summary>
    public string? Warning { get; set; }
}

/// <summary>A message as Slack's chat methods take it.</summary>
public abstract class SlackMessageRequest
{
    /// <summary>The notification and accessibility fallback; always set.</summary>
    public required string Text { get; set; }

    /// <summary>Block Kit blocks, or null for a plain-text message.</summary>
    public IReadOnlyList<SlackBlock>? Blocks { get; set; }
}

/// <summary><c>chat.postMessage</c> arguments.</summary>
public sealed class ChatPostMessageRequest : SlackMessageRequest
{
    /// <summary>The channel id.</summary>
    public required string Channel { get; set; }

    /// <summary>Reply in this thread, if set.</summary>
    public string? ThreadTs { get; set; }

    /// <summary>Never unfurl links in bot answers.</summary>
    public bool UnfurlLinks { get; set; }
}

/// <summary><c>chat.postEphemeral</c> arguments.</summary>
public sealed class ChatPostEphemeralRequest : SlackMessageRequest
{
    /// <summary>The channel id.</summary>
    public required string Channel { get; set; }

    /// <summary>The only user who sees it.</summary>
    public required string User { get; set; }
}

/// <summary><c>chat.update</c> arguments.</summary>
public sealed class ChatUpdateRequest : SlackMessageRequest
{
    /// <summary>The channel id.</summary>
    public required string Channel { get; set; }

    /// <summary>The message's timestamp.</summary>
    public required string Ts { get; set; }
}

/// <summary><c>chat.postMessage</c> answer.</summary>
public sealed class ChatPostMessageResponse : SlackApiResponse
{
    /// <summary>The channel id.</summary>
    public string? Channel { get; set; }

    /// <summary>The new message's timestamp.</summary>
    public string? Ts { get; set; }
}

/// <summary><c>chat.postEphemeral</c> answer.</summary>
public sealed class ChatPostEphemeralResponse : SlackApiResponse
{
    /// <summary>The ephemeral message's timestamp.</summary>
    public string? MessageTs { get; set; }
}

/// <summary><c>chat.update</c> answer.</summary>
public sealed class ChatUpdateResponse : SlackApiResponse
{
    /// <summary>The channel id.</summary>
    public string? Channel { get; set; }

    /// <summary>The message's timestamp.</summary>
    public string? Ts { get; set; }
}

/// <summary><c>users.info</c> answer.</summary>
public sealed class UsersInfoResponse : SlackApiResponse
{
    /// <summary>The user.</summary>
    public SlackUser? User { get; set; }
}

/// <summary>A Slack user, as much as the bot reads.</summary>
public sealed class SlackUser
{
    /// <summary>U… or W… id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The user's workspace.</summary>
    public string? TeamId { get; set; }

    /// <summary>The handle (for display only).</summary>
    public string? Name { get; set; }

    /// <summary>True for deactivated users.</summary>
    public bool Deleted { get; set; }

    /// <summary>True for bots.</summary>
    public bool IsBot { get; set; }

    /// <summary>Profile names.</summary>
    public SlackUserProfile? Profile { get; set; }
}

/// <summary>A user's profile names.</summary>
public sealed class SlackUserProfile
{
    /// <summary>The display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The real name.</summary>
    public string? RealName { get; set; }

    /// <summary>The email address; only sent when the token has <c>users:read.email</c>.</summary>
    public string? Email { get; set; }
}

/// <summary><c>usergroups.list</c> answer.</summary>
public sealed class UsergroupsListResponse : SlackApiResponse
{
    /// <summary>The groups.</summary>
    public List<SlackUsergroup> Usergroups { get; set; } = [];
}

/// <summary>A user group.</summary>
public sealed class SlackUsergroup
{
    /// <summary>S… id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The mention handle (display only).</summary>
    public string? Handle { get; set; }

    /// <summary>Member ids (with <c>include_users</c>).</summary>
    public List<string> Users { get; set; } = [];

    /// <summary>Non-zero when the group is disabled.</summary>
    [JsonPropertyName("date_delete")]
    public long DateDelete { get; set; }
}

/// <summary><c>usergroups.users.list</c> answer.</summary>
public sealed class UsergroupsUsersListResponse : SlackApiResponse
{
    /// <summary>Member ids.</summary>
    public List<string> Users { get; set; } = [];
}

/// <summary><c>conversations.info</c> answer.</summary>
public sealed class ConversationsInfoResponse : SlackApiResponse
{
    /// <summary>The conversation.</summary>
    public SlackConversation? Channel { get; set; }
}

/// <summary>A conversation, as much as the bot reads.</summary>
public sealed class SlackConversation
{
    /// <summary>C…, G… or D… id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The name (display only).</summary>
    public string? Name { get; set; }

    /// <summary>True for 1:1 DMs.</summary>
    public bool IsIm { get; set; }

    /// <summary>True for group DMs.</summary>
    public bool IsMpim { get; set; }

    /// <summary>True for private channels.</summary>
    public bool IsPrivate { get; set; }

    /// <summary>True when the bot is a member.</summary>
    public bool IsMember { get; set; }
}

/// <summary><c>apps.connections.open</c> answer.</summary>
public sealed class AppsConnectionsOpenResponse : SlackApiResponse
{
    /// <summary>The one-use WebSocket URL.</summary>
    public string? Url { get; set; }
}

/// <summary><c>auth.test</c> answer.</summary>
public sealed class AuthTestResponse : SlackApiResponse
{
    /// <summary>The workspace the token belongs to (T…); empty for an org-wide Grid install.</summary>
    public string? TeamId { get; set; }

    /// <summary>The Enterprise Grid organization (E…), if any.</summary>
    public string? EnterpriseId { get; set; }

    /// <summary>True when the app is installed org-wide on Enterprise Grid.</summary>
    [JsonConverter(typeof(SlackBooleanConverter))]
    public bool IsEnterpriseInstall { get; set; }
}
