using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Action ids chat adapters put on buttons; the button value is the request or grant id. A click comes back
/// as the matching command (<c>access approve r-7kq2</c>), so it passes the same checks as typed text.
/// </summary>
public static class AccessActionIds
{
    /// <summary>Approve a request.</summary>
    public const string Approve = "pscale.access.approve";

    /// <summary>Deny a request.</summary>
    public const string Deny = "pscale.access.deny";

    /// <summary>Extend a grant by its default duration.</summary>
    public const string Extend = "pscale.access.extend";

    /// <summary>Revoke a grant now.</summary>
    public const string Revoke = "pscale.access.revoke";
}

/// <summary>A button on a notification.</summary>
/// <param name="ActionId">One of <see cref="AccessActionIds"/>.</param>
/// <param name="Label">The button text.</param>
/// <param name="Value">The request or grant id it acts on.</param>
/// <param name="Command">The equivalent typed command, for platforms without buttons.</param>
public sealed record AccessAction(string ActionId, string Label, string Value, string Command);

/// <summary>Where a notification goes.</summary>
/// <param name="Platform">The chat platform.</param>
/// <param name="ConversationId">A qualified channel id (<c>slack:channel:C…</c>) for channel posts, or null.</param>
/// <param name="UserId">A qualified user id for a private message, or null.</param>
public sealed record AccessAudience(ChatPlatform Platform, string? ConversationId, string? UserId)
{
    /// <summary>A private message to one person.</summary>
    public static AccessAudience Person(ChatPlatform platform, string userId) => new(platform, null, userId);

    /// <summary>A post in a channel.</summary>
    public static AccessAudience Channel(ChatPlatform platform, string conversationId) => new(platform, conversationId, null);
}

/// <summary>
/// Something people should hear about an access request or grant, independent of the chat platform.
/// Every notice has a plain <see cref="Text"/>, so a notifier that knows no richer layout still works.
/// </summary>
public abstract record AccessNotification(AccessAudience Audience, string Text);

/// <summary>A new request, posted where approvers look, with approve/deny actions.</summary>
/// <param name="Audience">The approvers' channel.</param>
/// <param name="Text">A one-line summary.</param>
/// <param name="Request">The request (requester, token, database, permissions, duration, reason).</param>
/// <param name="Actions">Approve and deny.</param>
/// <param name="Note">
/// Why the request was not settled automatically, for the approvers only (for example "PagerDuty could not be reached,
/// so on-call auto-approval was skipped."); already at the end of <paramref name="Text"/>, apart for layouts that
/// build their own summary. Null when there is nothing to say.
/// </param>
public sealed record AccessRequestPosted(AccessAudience Audience, string Text, AccessRequest Request, IReadOnlyList<AccessAction> Actions, string? Note = null)
    : AccessNotification(Audience, Text);

/// <summary>
/// A request's outcome, which replaces the actions on the posted request ("Approved by … at …"); adapters
/// find the original post by <see cref="AccessRequest.Id"/>.
/// </summary>
public sealed record AccessRequestSettled(AccessAudience Audience, string Text, AccessRequest Request) : AccessNotification(Audience, Text);

/// <summary>Progress on a request that is still pending (one of two approvals given).</summary>
public sealed record AccessRequestProgress(AccessAudience Audience, string Text, AccessRequest Request) : AccessNotification(Audience, Text);

/// <summary>A private message to the requester (their request's outcome, their grant ending).</summary>
public sealed record AccessRequesterNotice(AccessAudience Audience, string Text, string? RequestId, string? GrantId) : AccessNotification(Audience, Text);

/// <summary>A reminder that a grant ends soon, with an Extend action.</summary>
public sealed record AccessExpiryReminder(AccessAudience Audience, string Text, AccessGrant Grant, IReadOnlyList<AccessAction> Actions)
    : AccessNotification(Audience, Text);

/// <summary>A grant ended; told in the channel where it was requested.</summary>
public sealed record AccessGrantEnded(AccessAudience Audience, string Text, AccessGrant Grant) : AccessNotification(Audience, Text);

/// <summary>What an alert is about.</summary>
public enum AccessAlertKind
{
    /// <summary>Someone granted themselves access under break-glass.</summary>
    BreakGlass,
    /// <summary>Revoking a grant keeps failing: the permission is still held.</summary>
    RevokeFailing,
    /// <summary>The token's real permissions differ from what the bot believes.</summary>
    Drift,
}

/// <summary>A loud message to approvers: post it where they will see it, mention them.</summary>
/// <param name="Audience">The approvers' channel.</param>
/// <param name="Text">What happened.</param>
/// <param name="Kind">Why they are alerted.</param>
/// <param name="Approvers">Who to mention (qualified ids or <c>role:</c> entries from the policy).</param>
/// <param name="GrantId">The grant concerned, if any.</param>
public sealed record AccessAlert(AccessAudience Audience, string Text, AccessAlertKind Kind, IReadOnlyList<string> Approvers, string? GrantId)
    : AccessNotification(Audience, Text);

/// <summary>
/// The platform-neutral port for access notifications. Slack and Teams implement it (Block Kit, Adaptive
/// Cards with Action.Execute); <see cref="LoggingAccessNotifier"/> keeps the feature working headless.
/// </summary>
public interface IAccessNotifier
{
    /// <summary>Delivers one notice. Implementations ignore audiences on platforms they do not serve.</summary>
    Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken);
}
