using System.Text.RegularExpressions;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Turns an access button (<see cref="AccessActionIds"/> plus the id it carries) into the typed command it stands
/// for, the same for every platform, so a click passes exactly the checks typed text does. The id is echoed
/// back by the platform but lands in command text, so only the exact shape <see cref="AccessIdGenerator"/>
/// produces is accepted, with the prefix the action needs (<c>r-</c> for requests, <c>g-</c> for grants).
/// </summary>
public static partial class AccessActionCommand
{
    /// <summary>How much longer Extend asks for when the button names no duration (its label says so).</summary>
    public static readonly TimeSpan DefaultExtension = TimeSpan.FromHours(1);

    /// <summary>
    /// The typed command for <paramref name="actionId"/> on <paramref name="id"/>, or null for an unknown action
    /// or an id of the wrong shape. <paramref name="duration"/> (Extend only) is used when it is a plain
    /// duration like <c>2h</c> or <c>1h30m</c>; otherwise Extend asks for <see cref="DefaultExtension"/>.
    /// </summary>
    public static string? For(string actionId, string? id, string? duration = null) => actionId switch
    {
        AccessActionIds.Approve when IsId(id, AccessIdGenerator.RequestPrefix) => $"access approve {id}",
        AccessActionIds.Deny when IsId(id, AccessIdGenerator.RequestPrefix) => $"access deny {id}",
        AccessActionIds.Extend when IsId(id, AccessIdGenerator.GrantPrefix) =>
            $"access extend {id} --for {(duration is not null && DurationShape().IsMatch(duration) ? duration : AccessText.Duration(DefaultExtension))}",
        AccessActionIds.Revoke when IsId(id, AccessIdGenerator.GrantPrefix) => $"access revoke {id}",
        _ => null,
    };

    /// <summary>True when <paramref name="actionId"/> is one of the access buttons.</summary>
    public static bool IsAccessAction(string actionId) =>
        actionId is AccessActionIds.Approve or AccessActionIds.Deny or AccessActionIds.Extend or AccessActionIds.Revoke;

    // Exactly as stored: Normalize would also accept "7KQ2" typed by a person, which a button never sends.
    private static bool IsId(string? id, string prefix) =>
        id is not null && string.Equals(AccessIdGenerator.Normalize(id, prefix), id, StringComparison.Ordinal) && id.StartsWith(prefix, StringComparison.Ordinal);

    [GeneratedRegex("^([0-9]{1,4}[dhm]){1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationShape();
}
