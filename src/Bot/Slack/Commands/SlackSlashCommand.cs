namespace PscaleBot.Bot.Slack.Commands;

/// <summary>
/// A slash command invocation, as Slack sends it over HTTP (form fields) or Socket Mode (a JSON object with
/// the same names). Names are kept for display only; decisions use the ids.
/// </summary>
/// <param name="TeamId">The workspace (T…).</param>
/// <param name="EnterpriseId">The Enterprise Grid organization (E…), if any.</param>
/// <param name="IsEnterpriseInstall">True for an org-wide install on Enterprise Grid.</param>
/// <param name="ChannelId">The conversation (C…, G…, D…).</param>
/// <param name="ChannelName">Its name, <c>directmessage</c> for DMs, <c>privategroup</c> or <c>mpdm-…</c> for others.</param>
/// <param name="UserId">The caller (U… or W…).</param>
/// <param name="UserName">The caller's handle (deprecated by Slack, display only).</param>
/// <param name="Command">The command typed (<c>/pscale</c>).</param>
/// <param name="Text">Everything after the command.</param>
/// <param name="ResponseUrl">Where to post delayed answers.</param>
/// <param name="TriggerId">Unique per invocation.</param>
public sealed record SlackSlashCommand(
    string TeamId,
    string? EnterpriseId,
    bool IsEnterpriseInstall,
    string ChannelId,
    string? ChannelName,
    string UserId,
    string? UserName,
    string Command,
    string Text,
    string? ResponseUrl,
    string? TriggerId)
{
    /// <summary>Reads a command from the HTTP form's fields; null when an id the bot relies on is missing.</summary>
    public static SlackSlashCommand? FromFields(Func<string, string?> field) => From(new SlashCommandPayload
    {
        TeamId = field("team_id"),
        EnterpriseId = field("enterprise_id"),
        IsEnterpriseInstall = string.Equals(field("is_enterprise_install"), "true", StringComparison.OrdinalIgnoreCase),
        ChannelId = field("channel_id"),
        ChannelName = field("channel_name"),
        UserId = field("user_id"),
        UserName = field("user_name"),
        Command = field("command"),
        Text = field("text"),
        ResponseUrl = field("response_url"),
        TriggerId = field("trigger_id"),
    });

    /// <summary>Reads a command from its payload (Socket Mode, or the form); null when an id the bot relies on is missing.</summary>
    public static SlackSlashCommand? From(SlashCommandPayload? payload)
    {
        if (payload is null || string.IsNullOrWhiteSpace(payload.TeamId) || string.IsNullOrWhiteSpace(payload.ChannelId) || string.IsNullOrWhiteSpace(payload.UserId))
        {
            return null;
        }

        return new SlackSlashCommand(
            payload.TeamId,
            NullIfEmpty(payload.EnterpriseId),
            payload.IsEnterpriseInstall,
            payload.ChannelId,
            NullIfEmpty(payload.ChannelName),
            payload.UserId,
            NullIfEmpty(payload.UserName),
            payload.Command ?? "",
            payload.Text ?? "",
            NullIfEmpty(payload.ResponseUrl),
            NullIfEmpty(payload.TriggerId));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
