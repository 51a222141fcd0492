using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Commands.Access;
using static PscaleBot.Bot.Teams.Rendering.AdaptiveCardElements;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// The "My access" card: each grant with its time left and Revoke / Extend, each request waiting for me with
/// Approve / Deny, each of my pending requests with Cancel, and a Refresh. Buttons are the access flow's own verbs,
/// so a click runs the same typed command as the person who clicked (<see cref="TeamsAccessActionHandler"/>).
/// </summary>
internal static class MyAccessCard
{
    /// <summary>What a person types (or picks from the bot's command menu) to see it.</summary>
    public static bool IsCommand(string text) => string.Equals(text.Trim(), "my access", StringComparison.OrdinalIgnoreCase);

    /// <summary>The verb of the Refresh button.</summary>
    public const string RefreshVerb = "pscale.myaccess.refresh";

    /// <summary>The card for <paramref name="access"/>.</summary>
    public static AdaptiveCard Build(PersonalAccess access)
    {
        List<CardElement> body = [Title("My access")];
        List<string> fallback = ["My access"];

        Section(body, fallback, "Active grants", "You hold no time-bound grants.", access.Grants, g =>
            ($"{g.Id}: {g.Target.Describe()}, ends in {AccessText.Duration(g.EndsAt - access.Now)} ({AccessText.Time(g.EndsAt)})",
             [Button(AccessActionIds.Extend, "Extend 1h", g.Id, "1h"), Button(AccessActionIds.Revoke, "Revoke", g.Id)]));

        Section(body, fallback, "Waiting for your approval", "Nothing is waiting for you.", access.ToApprove, r =>
            ($"{r.Id}: {r.Requester.DisplayName} asks for {r.Target.Describe()} for {AccessText.Duration(r.Duration)}" + (r.Reason is { } why ? $" ({why})" : ""),
             [Button(AccessActionIds.Approve, "Approve", r.Id), Button(AccessActionIds.Deny, "Deny", r.Id)]));

        Section(body, fallback, "Your pending requests", "You have no pending requests.", access.Mine, r =>
            ($"{r.Id}: {r.Target.Describe()} for {AccessText.Duration(r.Duration)}, {r.Approvals.Count} of {r.RequiredApprovals} approvals, expires {AccessText.Time(r.ExpiresAt)}",
             [Button(TeamsAccessActionHandler.CancelVerb, "Cancel", r.Id)]));

        return Card(string.Join("\n", fallback), body) with { Actions = [Button(RefreshVerb, "Refresh", null)] };
    }

    private static void Section<T>(List<CardElement> body, List<string> fallback, string heading, string empty, IReadOnlyList<T> items, Func<T, (string Text, CardAction[] Buttons)> row)
    {
        body.Add(Text(heading, bold: true));
        fallback.Add(heading + ":");
        if (items.Count == 0)
        {
            body.Add(Subtle(empty));
            fallback.Add(empty);
            return;
        }

        foreach (var item in items)
        {
            var (text, buttons) = row(item);
            body.Add(new Container([Text(text), new ActionSet(buttons)]) { Style = ContainerStyle.Emphasis });
            fallback.Add(text);
        }
    }

    private static ExecuteAction Button(string verb, string title, string? id, string? duration = null)
    {
        var data = new CardActionData { Id = id, For = duration };
        return new ExecuteAction(title, verb, data) { Fallback = new SubmitAction(title, data with { Verb = verb }) };
    }
}

/// <summary>The Refresh button of <see cref="MyAccessCard"/>: the card again, as of now, for the person who clicked.</summary>
internal sealed class MyAccessRefreshHandler(PersonalAccessReader reader) : Inbound.ITeamsCardActionHandler
{
    public string VerbPrefix => MyAccessCard.RefreshVerb;

    public async Task<Inbound.TeamsInvokeResponse> HandleAsync(Inbound.TeamsCardAction action, CancellationToken cancellationToken) =>
        Inbound.TeamsInvokeResponse.Card(MyAccessCard.Build(await reader.ReadAsync(action.Caller, _ => action.Place, cancellationToken)));
}
