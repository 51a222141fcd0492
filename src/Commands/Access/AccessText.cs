using System.Globalization;
using System.Text.RegularExpressions;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary>How access facts are worded in answers, notices and the audit.</summary>
public static partial class AccessText
{
    /// <summary>
    /// A reason as it may be stored, posted and audited: trimmed, with anything shaped like a token secret
    /// replaced, because people paste whatever is on their screen at 3 a.m.
    /// </summary>
    public static string? SafeReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? null : SecretShape().Replace(reason.Trim(), "pscale_tkn_[REDACTED]");

    [GeneratedRegex(@"pscale_(tkn|oauth|pw)_[A-Za-z0-9_\-]+")]
    private static partial Regex SecretShape();

    /// <summary>A duration as people say it: <c>2h</c>, <c>1h30m</c>, <c>45m</c>, <c>1d2h</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "0m";
        }

        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add($"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            parts.Add($"{span.Hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (parts.Count == 0)
        {
            parts.Add($"{Math.Max(1, span.Seconds)}s");
        }

        return string.Concat(parts);
    }

    /// <summary>An absolute time in UTC, to the minute.</summary>
    public static string Time(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The place requests of <paramref name="requirement"/> are posted on <paramref name="platform"/>, or null when none is set.</summary>
    public static string? RequestChannel(ApprovalRequirement? requirement, ChatPlatform platform) =>
        requirement is not null && requirement.RequestChannels.TryGetValue(platform, out var channel) && !string.IsNullOrWhiteSpace(channel)
            ? channel
            : null;

    /// <summary>Where approvers look: the role's request channel on the platform, else where the request was made.</summary>
    public static AccessAudience Approvers(ApprovalRequirement? requirement, AccessRequester requester) =>
        AccessAudience.Channel(requester.Platform, RequestChannel(requirement, requester.Platform) ?? requester.PlaceId);

    /// <summary>A private message to the requester.</summary>
    public static AccessAudience Requester(AccessRequester requester) => AccessAudience.Person(requester.Platform, requester.UserId);

    /// <summary>The names of approvals given (<c>Alice, Bob (on call)</c>).</summary>
    public static string ApprovalNames(IEnumerable<AccessApproval> approvals) =>
        string.Join(", ", approvals.Select(a => a.Kind == ApprovalKind.OnCall ? $"{a.ApproverName} (on call)" : a.ApproverName));
}
