using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Bot.Slack.Forms;

/// <summary>
/// The "Request database access" modal: token (suggested as the person types), database, permissions, duration and
/// reason, offering only what <see cref="AccessFormChoices"/> allows. Block ids key the submitted values and the inline
/// errors; the private metadata carries the channel it was opened from, where the request is decided.
/// </summary>
public static class AccessRequestModal
{
    /// <summary>The modal's callback id: submissions with it are access requests.</summary>
    public const string CallbackId = "pscale.access.form";

    /// <summary>Block (and action) ids of the fields.</summary>
    public const string Token = "token", Database = "database", Permissions = "permissions", Duration = "duration", Reason = "reason";

    /// <summary>The longest reason the form takes.</summary>
    public const int MaxReason = 500;

    /// <summary>The modal for <paramref name="choices"/>; <paramref name="reason"/> pre-fills the reason (a message link).</summary>
    public static SlackView Build(AccessFormChoices choices, AccessFormOrigin origin, string? reason)
    {
        // Slack's database field is a list: without PlanetScale's list there is nothing to choose from.
        var problem = choices.DatabasesListed
            ? choices.Problem
            : "PlanetScale could not be reached to list the databases, so the form cannot be filled in now. Try again in a minute.";
        if (problem is not null || !choices.CanRequest)
        {
            return new SlackView("modal", [BlockKit.Section($":no_entry: {Mrkdwn.Escape(problem ?? "There is nothing you may ask for here.")}")],
                CallbackId, Title(), Close: SlackText.Plain("Close"), PrivateMetadata: origin.ToMetadata());
        }

        var organizationLevel = choices.Permissions.Any(p => p.Scope == ResourceKind.Organization);
        // The value is whole minutes: read back without a duration grammar, turned into --for by the submission.
        var durations = choices.Durations.Select(d => SlackOption.Of(AccessText.Duration(d), ((int)d.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var initialDuration = durations[Math.Max(0, choices.Durations.ToList().FindIndex(d => d >= TimeSpan.FromHours(1)))];
        List<SlackBlock> blocks =
        [
            BlockKit.Context($"Asks as `service-token add-access` in {Mrkdwn.Escape(origin.PlaceName)}, organization {Mrkdwn.Code(choices.Organization)}; approvers are asked when the policy says so."),
            new InputBlock(Token, SlackText.Plain("Service token"),
                new ExternalSelectElement(Token, SlackText.Plain("Type part of a token's name or id"), MinQueryLength: 0)),
            new InputBlock(Database, SlackText.Plain("Database"),
                new StaticSelectElement(Database, [.. choices.Databases.Take(SlackOption.MaxOptions).Select(d => SlackOption.Of(d, d))], SlackText.Plain("Choose a database")),
                Optional: organizationLevel ? true : null,
                Hint: organizationLevel ? SlackText.Plain("Leave empty for organization-level permissions.") : null),
            new InputBlock(Permissions, SlackText.Plain("Permissions"),
                new MultiStaticSelectElement(Permissions, [.. choices.Permissions.Take(SlackOption.MaxOptions).Select(p => SlackOption.Of(p.Name, p.Name))], SlackText.Plain("Choose permissions"))),
            new InputBlock(Duration, SlackText.Plain("For how long"),
                new StaticSelectElement(Duration, durations, InitialOption: initialDuration),
                Hint: SlackText.Plain($"At most {AccessText.Duration(choices.Durations[^1])} here.")),
            new InputBlock(Reason, SlackText.Plain("Reason"),
                new PlainTextInputElement(Reason, Multiline: true, InitialValue: string.IsNullOrEmpty(reason) ? null : BlockKit.Truncate(reason, MaxReason), MaxLength: MaxReason,
                    Placeholder: SlackText.Plain("An incident, a ticket, a link")),
                Optional: choices.ReasonRequired ? null : true),
        ];
        return new SlackView("modal", blocks, CallbackId, Title(), SlackText.Plain("Request"), SlackText.Plain("Cancel"), origin.ToMetadata());
    }

    private static SlackText Title() => SlackText.Plain("Request access");
}

/// <summary>Where a form was opened: the place its request is decided in, carried in the modal's private metadata.</summary>
/// <param name="ChannelId">The conversation (C…, G…, D…), or null when opened away from one.</param>
/// <param name="ChannelName">Its name as Slack sent it, for the place's display and DM detection.</param>
public sealed record AccessFormOrigin(string? ChannelId, string? ChannelName)
{
    /// <summary>The place's name as people read it.</summary>
    public string PlaceName => Place.DisplayName;

    /// <summary>The place the request is decided in.</summary>
    public PscaleBot.Commands.Model.ChatPlace Place => ChannelId is null
        ? new PscaleBot.Commands.Model.ChatPlace(["direct"], IsDirect: true, "direct message")
        : Identity.SlackIdentityFactory.Place(ChannelId, ChannelName);

    /// <summary><c>channel_id</c> and <c>channel_name</c>, separated by a space (neither contains one).</summary>
    public string ToMetadata() => ChannelId is null ? "" : $"{ChannelId} {ChannelName}".Trim();

    /// <summary>Reads <see cref="ToMetadata"/> back; anything unreadable is "no channel", which decides nothing wider.</summary>
    public static AccessFormOrigin FromMetadata(string? metadata)
    {
        var parts = (metadata ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 || !System.Text.RegularExpressions.Regex.IsMatch(parts[0], "^[CGD][A-Z0-9]{1,30}\\z")
            ? new AccessFormOrigin(null, null)
            : new AccessFormOrigin(parts[0], parts.Length > 1 ? parts[1] : null);
    }
}
