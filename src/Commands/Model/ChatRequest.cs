namespace PscaleBot.Commands.Model;

/// <summary>The chat surface a request arrived through.</summary>
public enum ChatPlatform
{
    /// <summary>The local interactive shell.</summary>
    Shell,
    /// <summary>Slack (HTTP or Socket Mode).</summary>
    Slack,
    /// <summary>Microsoft Teams (Bot Framework or outgoing webhook).</summary>
    Teams,
}

/// <summary>
/// Who is asking. Every identifier is platform-qualified (<c>slack:user:U123</c>,
/// <c>teams:user:&lt;aadObjectId&gt;</c>, <c>shell:user:alice</c>); decisions never use display names.
/// </summary>
/// <param name="Platform">Where the caller is.</param>
/// <param name="UserId">The caller's qualified user id, matched by the policy's <c>who</c>.</param>
/// <param name="GroupIds">Qualified ids of the caller's groups (<c>slack:usergroup:S123</c>).</param>
/// <param name="DisplayName">For messages only, never for authorisation.</param>
/// <param name="TenantId">Qualified workspace/tenant id (<c>slack:team:T123</c>, <c>teams:tenant:&lt;guid&gt;</c>).</param>
public sealed record ChatIdentity(
    ChatPlatform Platform,
    string UserId,
    IReadOnlyList<string> GroupIds,
    string DisplayName,
    string? TenantId = null)
{
    /// <summary>The user id followed by the group ids: every identity the policy may match.</summary>
    public IEnumerable<string> AllIds => GroupIds.Prepend(UserId);
}

/// <summary>
/// Where a request was typed. <see cref="Ids"/> are the keys the policy's <c>where</c> matches, most
/// specific first: <c>slack:channel:C123</c>; <c>teams:channel:19:…</c> then <c>teams:team:…</c>;
/// <c>teams:chat:…</c> for group chats; <c>direct</c> for 1:1 chats with the bot; <c>shell</c>.
/// </summary>
/// <param name="Ids">Policy keys for this place, most specific first.</param>
/// <param name="IsDirect">True for a 1:1 conversation with the bot (and the shell): nobody else reads it.</param>
/// <param name="DisplayName">For messages only.</param>
public sealed record ChatPlace(IReadOnlyList<string> Ids, bool IsDirect, string DisplayName)
{
    /// <summary>The local shell.</summary>
    public static ChatPlace Shell { get; } = new(["shell"], IsDirect: true, "shell");

    /// <summary>The most specific policy key.</summary>
    public string PrimaryId => Ids.Count > 0 ? Ids[0] : "unknown";
}

/// <summary>One line of text typed by a known user in a known place.</summary>
/// <param name="Caller">Who typed it.</param>
/// <param name="Place">Where.</param>
/// <param name="Text">What, as plain text: each adapter has already undone its own markup and entities, exactly once.</param>
/// <param name="DeliveryId">The platform's id for this delivery, used to ignore re-deliveries.</param>
public sealed record ChatRequest(ChatIdentity Caller, ChatPlace Place, string Text, string? DeliveryId = null);
