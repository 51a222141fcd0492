using PscaleBot.Bot.Slack.Rendering;

namespace PscaleBot.Bot.Slack.Api;

/// <summary><c>views.open</c> arguments.</summary>
/// <param name="TriggerId">From the interaction or command that opens it.</param>
/// <param name="View">The modal.</param>
public sealed record ViewsOpenRequest(string TriggerId, SlackView View);

/// <summary><c>views.publish</c> arguments.</summary>
/// <param name="UserId">Whose Home tab.</param>
/// <param name="View">The Home view.</param>
public sealed record ViewsPublishRequest(string UserId, SlackView View);

/// <summary><c>views.open</c> and <c>views.publish</c> answer.</summary>
public sealed class ViewsResponse : SlackApiResponse
{
    /// <summary>The view as Slack stored it (only its id is read).</summary>
    public SlackViewId? View { get; set; }
}

/// <summary>A stored view's id.</summary>
/// <param name="Id">V….</param>
public sealed record SlackViewId(string? Id);

/// <summary><c>chat.getPermalink</c> answer.</summary>
public sealed class ChatPermalinkResponse : SlackApiResponse
{
    /// <summary>The message's link.</summary>
    public string? Permalink { get; set; }
}

/// <summary><c>files.getUploadURLExternal</c> answer.</summary>
public sealed class FilesUploadUrlResponse : SlackApiResponse
{
    /// <summary>Where to POST the bytes.</summary>
    public string? UploadUrl { get; set; }

    /// <summary>The file's id (F…), for <c>files.completeUploadExternal</c>.</summary>
    public string? FileId { get; set; }
}

/// <summary>One file of <c>files.completeUploadExternal</c>.</summary>
/// <param name="Id">F….</param>
/// <param name="Title">Its title.</param>
public sealed record SlackFileRef(string Id, string Title);

/// <summary><c>conversations.open</c> answer.</summary>
public sealed class ConversationsOpenResponse : SlackApiResponse
{
    /// <summary>The conversation (only its id is read).</summary>
    public SlackConversation? Channel { get; set; }
}
