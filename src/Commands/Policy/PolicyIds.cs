using System.Text.RegularExpressions;

namespace PscaleBot.Commands.Policy;

/// <summary>The identity and place keys a policy file may use, and how they are checked.</summary>
public static partial class PolicyIds
{
    /// <summary>Matches every place (in <c>where</c>) or every identity (in <c>who</c>).</summary>
    public const string Anything = "*";

    /// <summary>1:1 conversations with the bot.</summary>
    public const string Direct = "direct";

    /// <summary>The local shell.</summary>
    public const string Shell = "shell";

    /// <summary>Prefix of an approver entry that names a role bound in the approver's place.</summary>
    public const string RolePrefix = "role:";

    /// <summary>Place kinds per platform, as <c>platform:kind:</c> prefixes.</summary>
    public static readonly IReadOnlyList<string> PlacePrefixes =
        ["slack:channel:", "teams:channel:", "teams:team:", "teams:chat:"];

    /// <summary>Identity kinds per platform, as <c>platform:kind:</c> prefixes.</summary>
    public static readonly IReadOnlyList<string> IdentityPrefixes =
        ["slack:user:", "slack:usergroup:", "teams:user:", "teams:group:", "shell:user:"];

    /// <summary>Checks a <c>where</c> key; returns the problem or null.</summary>
    public static string? CheckPlace(string key)
    {
        if (key is Anything or Direct or Shell)
        {
            return null;
        }

        if (key.StartsWith('#'))
        {
            return $"'{key}' is a channel name; use the channel id (slack:channel:C…, teams:channel:19:…), names change and are not unique";
        }

        return CheckQualified(key, PlacePrefixes, "a place", "*, direct, shell");
    }

    /// <summary>Checks a <c>who</c> entry or approver id; returns the problem or null.</summary>
    public static string? CheckIdentity(string id, bool allowAnything)
    {
        if (allowAnything && id == Anything)
        {
            return null;
        }

        if (id.StartsWith('@'))
        {
            return $"'{id}' is a display name; use the platform id (slack:user:U…, slack:usergroup:S…, teams:user:<AAD object id>)";
        }

        return CheckQualified(id, IdentityPrefixes, "an identity", allowAnything ? "*" : null);
    }

    private static string? CheckQualified(string value, IReadOnlyList<string> prefixes, string what, string? specials)
    {
        var prefix = prefixes.FirstOrDefault(p => value.StartsWith(p, StringComparison.Ordinal));
        if (prefix is null || value.Length == prefix.Length || !IdText().IsMatch(value[prefix.Length..]))
        {
            return $"'{value}' is not {what}; write one of {string.Join(", ", prefixes.Select(p => p + "…"))}"
                + (specials is null ? "" : $" or {specials}");
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._@:\-]+$")]
    private static partial Regex IdText();
}
