namespace PscaleBot.Bot.Teams.Identity;

/// <summary>A user's Entra groups (nested membership included), and whether they could be read at all.</summary>
/// <param name="Groups">Object ids of the groups, lower case; empty when none or unknown.</param>
/// <param name="Known">False when Graph could not be asked or did not answer in time: then only the user's own
/// bindings apply, which can deny, never wrongly allow, and a denial says why.</param>
public sealed record EntraGroupMembership(IReadOnlyList<string> Groups, bool Known)
{
    /// <summary>The groups could not be read.</summary>
    public static EntraGroupMembership Unknown { get; } = new([], false);

    /// <summary>Known to be in no group (lookups off, or a user from another tenant, whose groups are not ours).</summary>
    public static EntraGroupMembership None { get; } = new([], true);
}

/// <summary>Which Entra groups a user belongs to, transitively.</summary>
public interface IEntraGroupDirectory
{
    /// <summary>
    /// The groups of the user with Entra object id <paramref name="userObjectId"/>: at once from a fresh copy, else
    /// after a Graph read shared with every concurrent caller for the same user. Never throws for a Graph failure.
    /// </summary>
    Task<EntraGroupMembership> GroupsOfAsync(string userObjectId, CancellationToken cancellationToken);

    /// <summary>The last membership read for the user, however old; null when none was ever read.</summary>
    EntraGroupMembership? LastKnown(string userObjectId);
}

/// <summary>The sentence a denial carries while the caller's groups could not be read.</summary>
public static class EntraGroupNotice
{
    /// <summary>The sentence.</summary>
    public const string Text =
        "Your Entra ID groups could not be read just now, so only permissions granted to you personally applied. " +
        "If you have access through a group, try again in a minute.";
}
