using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Results;

/// <summary>Who may see one part of an answer. Each platform maps it onto its transport.</summary>
public enum ReplyAudience
{
    /// <summary>
    /// Only the requester, ever: a token secret. Slack: ephemeral; Teams: the 1:1 chat with the bot. When no
    /// private way works the part is not posted at all.
    /// </summary>
    RequesterOnly,

    /// <summary>
    /// The requester, privately where the platform can whisper (errors, secret warnings, answers without
    /// <c>--public</c>); holds nothing secret, so a platform without whispers may show it in the thread.
    /// </summary>
    Requester,

    /// <summary>Everyone in the place, in the request's thread (announcements, <c>--public</c> answers).</summary>
    Place,
}

/// <summary>Which part of a <see cref="CommandResponse"/> a <see cref="ReplyPart"/> stands for.</summary>
public enum ReplyContent
{
    /// <summary><see cref="CommandResponse.SecretWarning"/>: the request itself held a secret.</summary>
    SecretWarning,

    /// <summary><see cref="CommandResponse.Results"/>: the answer.</summary>
    Results,

    /// <summary><see cref="CommandResponse.Announcement"/>: the change, told to the place.</summary>
    Announcement,
}

/// <summary>One part of an answer and who may see it.</summary>
/// <param name="Content">Which part.</param>
/// <param name="Audience">Who may see it.</param>
public sealed record ReplyPart(ReplyContent Content, ReplyAudience Audience)
{
    /// <summary>True when the part may never reach anyone but the requester.</summary>
    public bool HoldsSecret => Audience == ReplyAudience.RequesterOnly;
}

/// <summary>
/// Where each part of an answer goes, decided once for every platform: a secret only ever to the requester,
/// the secret warning privately first, the answer privately unless <c>--public</c> was asked for (and it
/// holds no secret and is no error), then the announcement of a change to the place (not in a 1:1 chat,
/// where the requester already has the answer).
/// </summary>
/// <param name="Parts">The parts, in delivery order.</param>
public sealed record ReplyPlan(IReadOnlyList<ReplyPart> Parts)
{
    /// <summary>The plan for <paramref name="response"/> to a request made in <paramref name="place"/>.</summary>
    public static ReplyPlan For(CommandResponse response, ChatPlace place) => For(response, place.IsDirect);

    /// <summary>
    /// The plan for <paramref name="response"/>, for adapters that know only whether the place is a 1:1 chat
    /// with the bot (a reply target rebuilt from a platform's ids).
    /// </summary>
    public static ReplyPlan For(CommandResponse response, bool directPlace)
    {
        var parts = new List<ReplyPart>(3);
        if (!string.IsNullOrWhiteSpace(response.SecretWarning))
        {
            parts.Add(new ReplyPart(ReplyContent.SecretWarning, ReplyAudience.Requester));
        }

        var audience = response.ContainsSecret ? ReplyAudience.RequesterOnly
            : response.IsError || response.Visibility != ResponseVisibility.Public ? ReplyAudience.Requester
            : ReplyAudience.Place;
        parts.Add(new ReplyPart(ReplyContent.Results, audience));

        if (!string.IsNullOrWhiteSpace(response.Announcement) && !directPlace && !response.IsError)
        {
            parts.Add(new ReplyPart(ReplyContent.Announcement, ReplyAudience.Place));
        }

        return new ReplyPlan(parts);
    }

    /// <summary>True when the plan announces the change to the place.</summary>
    public bool Announces => Parts.Any(p => p.Content == ReplyContent.Announcement);
}
