using System.Globalization;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Commands.Access;
using static PscaleBot.Bot.Teams.Rendering.AdaptiveCardElements;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// Adaptive Cards (1.5) of the access-request flow. Buttons are <c>Action.Execute</c> (verb = the domain's
/// action id, data = <c>{id}</c>) with an <c>Action.Submit</c> fallback carrying <c>{verb, id}</c> for clients
/// without Universal Actions. Every card says the equivalent typed command, for clients that show no buttons.
/// </summary>
internal static class AccessCards
{
    /// <summary>A pending request with Approve and Deny, and the note on why it was not auto-approved, if any.</summary>
    public static AdaptiveCard Pending(AccessRequest request, IReadOnlyList<AccessAction> actions, string? note = null)
    {
        var title = request.Kind == AccessRequestKind.Extension
            ? $"Extension request {request.Id} for grant {request.GrantId}"
            : $"Access request {request.Id}";
        var status = request.Approvals.Count == 0
            ? $"Waiting for {Approvals(request.RequiredApprovals)} until {AccessText.Time(request.ExpiresAt)}."
            : $"Approved so far by {AccessText.ApprovalNames(request.Approvals)}; {request.Approvals.Count.ToString(CultureInfo.InvariantCulture)} of {request.RequiredApprovals.ToString(CultureInfo.InvariantCulture)} approvals.";
        List<CardElement> body = [Title(title), Facts(RequestFacts(request)), Text(status)];
        if (note is not null)
        {
            // Why it was not auto-approved (on-call service down, …): approvers decide knowing it.
            body.Add(Text(note, color: TextColor.Warning));
        }

        body.Add(Subtle("Or type: " + string.Join(" · ", actions.Select(a => $"`{a.Command}`"))));
        return Card($"{title}: {request.Requester.DisplayName} asks for {request.Target.Describe()} for {AccessText.Duration(request.Duration)}. {status}{(note is null ? "" : " " + note)}", body)
            with { Actions = [.. actions.Select(Execute)] };
    }

    /// <summary>The verb of the card's refresh: Teams sends it when someone in <see cref="CardRefresh.UserIds"/> opens the card.</summary>
    public const string ViewVerb = "pscale.access.view";

    /// <summary>
    /// A pending request as everyone sees it: its status, and the typed commands, but no buttons. Universal Actions
    /// refresh it for <paramref name="approverMris"/> (at most 60, Teams' limit) into <see cref="Pending"/> with Approve
    /// and Deny; anyone else may refresh it by hand and gets the buttons only when they are an approver.
    /// </summary>
    public static AdaptiveCard ForEveryone(AccessRequest request, IReadOnlyList<AccessAction> actions, IReadOnlyList<string> approverMris, string? note = null) =>
        WithRefresh(Pending(request, actions, note) with { Actions = null }, request.Id, approverMris);

    /// <summary><paramref name="card"/> with the refresh that shows each viewer their own view of request <paramref name="requestId"/>.</summary>
    public static AdaptiveCard WithRefresh(AdaptiveCard card, string requestId, IReadOnlyList<string> approverMris) =>
        card with { Refresh = new CardRefresh(new ExecuteAction("Refresh", ViewVerb, new CardActionData { Id = requestId }), [.. approverMris.Take(60)]) };

    /// <summary>The same request once settled: no buttons, the outcome in their place.</summary>
    public static AdaptiveCard Settled(AccessRequest request, string? deciderName, string? detail = null)
    {
        var title = request.Kind == AccessRequestKind.Extension
            ? $"Extension request {request.Id} for grant {request.GrantId}"
            : $"Access request {request.Id}";
        var outcome = Outcome(request, deciderName);
        List<CardElement> body = [Title(title), Facts(RequestFacts(request)), Text(outcome, color: request.State == AccessRequestState.Approved ? TextColor.Good : TextColor.Attention, bold: true)];
        if (detail is not null && !string.Equals(detail, outcome, StringComparison.Ordinal))
        {
            body.Add(Subtle(detail));
        }

        return Card($"{title}: {outcome}", body);
    }

    /// <summary>"Approved by Bob at 2026-…", "Denied by Carol at …: reason", "Expired unanswered at …".</summary>
    public static string Outcome(AccessRequest request, string? deciderName)
    {
        var at = request.DecidedAt is { } decided ? AccessText.Time(decided) : "an unknown time";
        return request.State switch
        {
            AccessRequestState.Approved => $"Approved by {AccessText.ApprovalNames(request.Approvals)} at {at}",
            AccessRequestState.Denied => $"Denied by {deciderName ?? "an approver"} at {at}" + (request.DecisionNote is { } why ? $": {why}" : ""),
            AccessRequestState.Cancelled => $"Cancelled by {request.Requester.DisplayName} at {at}",
            AccessRequestState.Expired => $"Expired unanswered at {at}",
            AccessRequestState.Failed => $"Approved by {AccessText.ApprovalNames(request.Approvals)}, but the grant failed at {at}" + (request.DecisionNote is { } note ? $": {note}" : ""),
            _ => $"Pending: {request.Approvals.Count.ToString(CultureInfo.InvariantCulture)} of {request.RequiredApprovals.ToString(CultureInfo.InvariantCulture)} approvals",
        };
    }

    /// <summary>A grant that ends soon, with Extend.</summary>
    public static AdaptiveCard Reminder(AccessExpiryReminder reminder)
    {
        var grant = reminder.Grant;
        var title = $"Grant {grant.Id} ends {AccessText.Time(grant.EndsAt)}";
        List<(string, string)> facts =
        [
            ("Token", grant.Target.TokenId),
            ("Resource", grant.Target.ResourceText),
            ("Permissions", string.Join(", ", grant.Target.Permissions)),
            ("Ends", AccessText.Time(grant.EndsAt)),
        ];
        return Card($"{title}. {reminder.Text}", Title(title), Text(reminder.Text), Facts(facts),
            Subtle("Or type: " + string.Join(" · ", reminder.Actions.Select(a => $"`{a.Command}`"))))
            with { Actions = [.. reminder.Actions.Select(Execute)] };
    }

    /// <summary>A loud alert to approvers, mentioning the Teams users among them.</summary>
    public static AdaptiveCard Alert(AccessAlert alert)
    {
        var heading = alert.Kind switch
        {
            AccessAlertKind.BreakGlass => "Break-glass access granted",
            AccessAlertKind.RevokeFailing => "Revoking a grant keeps failing",
            _ => "Token access drifted from what the bot granted",
        };
        var users = alert.Approvers
            .Where(a => a.StartsWith("teams:user:", StringComparison.OrdinalIgnoreCase))
            .Select(a => a["teams:user:".Length..])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var others = alert.Approvers.Where(a => !a.StartsWith("teams:user:", StringComparison.OrdinalIgnoreCase)).ToList();
        List<CardElement> body = [Text("🚨 " + heading, color: TextColor.Attention, bold: true), Text(alert.Text)];
        if (users.Count > 0 || others.Count > 0)
        {
            body.Add(Text("Approvers: " + string.Join(", ", [.. users.Select(u => $"<at>{u}</at>"), .. others])));
        }

        var card = Card($"{heading}: {alert.Text}", body);

        // Teams resolves card mentions by Entra object id.
        return users.Count == 0 ? card : card with
        {
            MsTeams = card.MsTeams! with { Entities = [.. users.Select(u => new CardMention($"<at>{u}</at>", new ChannelAccount { Id = u, Name = u }))] },
        };
    }

    private static ExecuteAction Execute(AccessAction action)
    {
        var style = action.ActionId switch
        {
            AccessActionIds.Approve or AccessActionIds.Extend => ActionStyle.Positive,
            AccessActionIds.Deny or AccessActionIds.Revoke => ActionStyle.Destructive,
            _ => ActionStyle.Default,
        };
        var data = Data(action);
        return new ExecuteAction(action.Label, action.ActionId, data)
        {
            Style = style,
            Fallback = new SubmitAction(action.Label, data with { Verb = action.ActionId }),
        };
    }

    /// <summary><c>{id}</c>, plus <c>for</c> when the command names a duration (Extend 1h); a submit adds <c>verb</c>.</summary>
    private static CardActionData Data(AccessAction action)
    {
        var words = action.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "--for");
        return new CardActionData { Id = action.Value, For = at >= 0 && at + 1 < words.Length ? words[at + 1] : null };
    }

    private static List<(string, string)> RequestFacts(AccessRequest request) =>
    [
        ("Requester", request.Requester.DisplayName),
        ("Token", request.Target.TokenId),
        ("Resource", request.Target.ResourceText),
        ("Permissions", string.Join(", ", request.Target.Permissions)),
        ("Duration", AccessText.Duration(request.Duration)),
        ("Reason", request.Reason ?? "(none given)"),
        ("Approvals needed", request.RequiredApprovals.ToString(CultureInfo.InvariantCulture)),
    ];

    private static string Approvals(int n) => n == 1 ? "1 approval" : $"{n.ToString(CultureInfo.InvariantCulture)} approvals";

    /// <summary>The standard Approve and Deny actions of a pending request (for cards rebuilt without the notice).</summary>
    public static IReadOnlyList<AccessAction> RequestActions(string requestId) =>
    [
        new(AccessActionIds.Approve, "Approve", requestId, $"access approve {requestId}"),
        new(AccessActionIds.Deny, "Deny", requestId, $"access deny {requestId}"),
    ];
}
