using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Slack.Access;

/// <summary>
/// Block Kit for access notices: the approvers' request message (facts and Approve / Deny), its revisions
/// (progress keeps the buttons, the outcome replaces them), reminders with Extend, and alerts.
/// Everything people typed (names, reasons) is escaped; ids become mentions only when they are Slack ids.
/// </summary>
public static class SlackAccessMessages
{
    /// <summary>The request as approvers first see it, with its actions.</summary>
    public static SlackMessage Request(AccessRequest request, string summary, IReadOnlyList<AccessAction> actions) =>
        Pending(request, summary, actions, progress: null);

    /// <summary>The request with an approval recorded and more still needed: the buttons stay.</summary>
    public static SlackMessage Progress(AccessRequest request, string text) =>
        Pending(request, text, DefaultActions(request), ":hourglass_flowing_sand: " + Mrkdwn.Escape(text));

    /// <summary>The settled request: the buttons are replaced by its outcome.</summary>
    public static SlackMessage Settled(AccessRequest request, string text)
    {
        var blocks = Facts(request);
        blocks.Add(BlockKit.Section(Outcome(request)));
        blocks.Add(BlockKit.Context(Mrkdwn.Escape(text)));
        return new SlackMessage(Fallback($"{request.Id}: {text}"), blocks);
    }

    /// <summary>A reminder that a grant ends soon, with its Extend action.</summary>
    public static SlackMessage Reminder(AccessExpiryReminder reminder)
    {
        List<SlackBlock> blocks =
        [
            BlockKit.Section($":alarm_clock: {Mrkdwn.Escape(reminder.Text)}"),
            BlockKit.Context($"Grant {Mrkdwn.Code(reminder.Grant.Id)} · {Mrkdwn.Escape(reminder.Grant.Target.Describe())} · ends {Mrkdwn.Date(reminder.Grant.EndsAt)}"),
        ];
        var buttons = reminder.Actions
            .Where(a => a.ActionId is AccessActionIds.Extend or AccessActionIds.Revoke)
            .Select(a => BlockKit.Button(a.ActionId, a.Label, a.Value, a.ActionId == AccessActionIds.Extend ? "primary" : null))
            .ToList();
        if (buttons.Count > 0)
        {
            blocks.Add(BlockKit.Actions($"access:{reminder.Grant.Id}:remind:{reminder.Grant.Version}", buttons));
        }

        return new SlackMessage(Fallback(reminder.Text), blocks);
    }

    /// <summary>A loud message to approvers: siren, kind, mentions, what happened.</summary>
    public static SlackMessage Alert(AccessAlert alert)
    {
        var what = alert.Kind switch
        {
            AccessAlertKind.BreakGlass => "Break-glass access granted",
            AccessAlertKind.RevokeFailing => "Revoking a grant keeps failing",
            AccessAlertKind.Drift => "A token's permissions drifted",
            _ => "Access alert",
        };
        var mentions = Mentions(alert.Approvers);
        var text = $":rotating_light: *{what}* {mentions}\n{Mrkdwn.Escape(alert.Text)}";
        List<SlackBlock> blocks = [BlockKit.Header($"🚨 {what}"), BlockKit.Section(text)];
        if (alert.GrantId is { } grantId)
        {
            blocks.Add(BlockKit.Context($"Grant {Mrkdwn.Code(grantId)} · `access list` shows it · `access revoke {Mrkdwn.Escape(grantId)}` ends it"));
        }

        // The fallback drives the notification, so the mentions go there too.
        return new SlackMessage(BlockKit.Truncate($"{what} {mentions}: {Mrkdwn.Escape(alert.Text)}", SlackMessageLimits.MaxFallbackText), blocks);
    }

    /// <summary>A plain notice (grant ended, a private note to the requester).</summary>
    public static SlackMessage Plain(string icon, string text) =>
        SlackMessage.Plain($"{icon} {Mrkdwn.Escape(text)}");

    /// <summary>
    /// A qualified id as Slack shows it: <c>slack:user:U…</c> → <c>&lt;@U…&gt;</c>, <c>slack:usergroup:S…</c> →
    /// <c>&lt;!subteam^S…&gt;</c>; anything else (roles, other platforms, the bot) as escaped text.
    /// </summary>
    public static string Mention(string? qualifiedId) => qualifiedId switch
    {
        null or "" => "someone",
        AccessActors.System => "the bot",
        AccessActors.OnCallRoster => "the on-call roster",
        _ when SlackId(qualifiedId, "slack:user:") is { } user && (user[0] is 'U' or 'W') => $"<@{user}>",
        _ when SlackId(qualifiedId, "slack:usergroup:") is { } group && group[0] == 'S' => $"<!subteam^{group}>",
        _ => Mrkdwn.Code(qualifiedId),
    };

    /// <summary>The Slack id after <paramref name="prefix"/> in a qualified id, when it is a plain Slack id.</summary>
    public static string? SlackId(string? qualifiedId, string prefix) =>
        qualifiedId is not null && qualifiedId.StartsWith(prefix, StringComparison.Ordinal)
            && qualifiedId[prefix.Length..] is { Length: > 1 } id && id.All(char.IsAsciiLetterOrDigit)
            ? id
            : null;

    private static SlackMessage Pending(AccessRequest request, string fallback, IReadOnlyList<AccessAction> actions, string? progress)
    {
        var blocks = Facts(request);
        blocks.Add(BlockKit.Context($"{Mrkdwn.Escape(ApprovalsLine(request))} · expires {Mrkdwn.Date(request.ExpiresAt)}"));
        if (progress is not null)
        {
            blocks.Add(BlockKit.Context(progress));
        }

        if (Buttons(request, actions) is { } buttons)
        {
            blocks.Add(buttons);
        }

        return new SlackMessage(Fallback(fallback), blocks);
    }

    private static List<SlackBlock> Facts(AccessRequest request)
    {
        var title = request.Kind == AccessRequestKind.Extension
            ? $"Extension request {request.Id} for {request.GrantId}"
            : $"Access request {request.Id}";
        return
        [
            BlockKit.Header(title),
            BlockKit.Fields(
            [
                $"*Requester*\n{Mention(request.Requester.UserId)} ({Mrkdwn.Escape(request.Requester.DisplayName)})",
                $"*Token*\n{Mrkdwn.Code(request.Target.TokenId)}",
                $"*Database*\n{(request.Target.Database is { } db ? Mrkdwn.Code(db) : $"organization {Mrkdwn.Code(request.Target.Organization)}")}",
                $"*Permissions*\n{string.Join(", ", request.Target.Permissions.Select(Mrkdwn.Code))}",
                $"*Duration*\n{AccessText.Duration(request.Duration)}",
                $"*Reason*\n{(request.Reason is { } reason ? Mrkdwn.Escape(reason) : "_none given_")}",
            ]),
        ];
    }

    private static ActionsBlock? Buttons(AccessRequest request, IReadOnlyList<AccessAction> actions)
    {
        var buttons = actions
            .Where(a => a.ActionId is AccessActionIds.Approve or AccessActionIds.Deny)
            .Select(a => BlockKit.Button(a.ActionId, a.Label, a.Value, a.ActionId == AccessActionIds.Approve ? "primary" : "danger"))
            .ToList();

        // A new block_id per revision, as Slack advises, so clients never mix up an old message's state.
        return buttons.Count == 0 ? null : BlockKit.Actions($"access:{request.Id}:v{request.Version}", buttons);
    }

    private static List<AccessAction> DefaultActions(AccessRequest request) =>
    [
        new(AccessActionIds.Approve, "Approve", request.Id, $"access approve {request.Id}"),
        new(AccessActionIds.Deny, "Deny", request.Id, $"access deny {request.Id}"),
    ];

    private static string ApprovalsLine(AccessRequest request) =>
        request.Approvals.Count == 0
            ? $"Needs {request.RequiredApprovals} approval(s) from {string.Join(", ", request.Requirement.Approvers)}"
            : $"{request.Approvals.Count} of {request.RequiredApprovals} approvals: {AccessText.ApprovalNames(request.Approvals)}";

    private static string Outcome(AccessRequest request)
    {
        var at = request.DecidedAt is { } decided ? Mrkdwn.Date(decided) : "an unknown time";
        var note = request.DecisionNote is { } n ? $": \"{Mrkdwn.Escape(n)}\"" : "";
        return request.State switch
        {
            AccessRequestState.Approved =>
                $":white_check_mark: *Approved* by {string.Join(", ", request.Approvals.Select(a => a.Kind == ApprovalKind.OnCall ? "the on-call roster" : Mention(a.ApproverId)))} at {at}"
                + (request.GrantId is { } grant ? $" · grant {Mrkdwn.Code(grant)}" : ""),
            AccessRequestState.Denied => $":no_entry: *Denied* by {Mention(request.DecidedBy)} at {at}{note}",
            AccessRequestState.Cancelled => $":leftwards_arrow_with_hook: *Cancelled* by the requester at {at}",
            AccessRequestState.Expired => $":hourglass: *Expired* unanswered at {Mrkdwn.Date(request.ExpiresAt)}",
            AccessRequestState.Failed => $":x: *Failed* at {at}{note}",
            _ => $"*{request.State}*",
        };
    }

    private static string Mentions(IReadOnlyList<string> approvers)
    {
        var mentions = approvers.Select(Mention).Where(m => m.StartsWith('<')).Distinct().ToList();

        // Nobody to mention by id (only roles): the channel is the approvers' channel, so wake it.
        return mentions.Count == 0 ? "<!here>" : string.Join(" ", mentions);
    }

    private static string Fallback(string text) => BlockKit.Truncate(Mrkdwn.Escape(text), SlackMessageLimits.MaxFallbackText);
}
