using System.Text.Json;

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
    /// <summary>Reads a command from named fields; null when an id the bot relies on is missing.</summary>
    public static SlackSlashCommand? FromFields(Func<string, string?> field)
    {
        var team = field("team_id");
        var channel = field("channel_id");
        var user = field("user_id");
        if (string.IsNullOrWhiteSpace(team) || string.IsNullOrWhiteSpace(channel) || string.IsNullOrWhiteSpace(user))
        {
            return null;
        }

        return new SlackSlashCommand(
            team,
            NullIfEmpty(field("enterprise_id")),
            string.Equals(field("is_enterprise_install"), "true", StringComparison.OrdinalIgnoreCase),
            channel,
            NullIfEmpty(field("channel_name")),
            user,
            NullIfEmpty(field("user_name")),
            field("command") ?? "",
            field("text") ?? "",
            NullIfEmpty(field("response_url")),
            NullIfEmpty(field("trigger_id")));
    }

    /// <summary>Reads a command from a Socket Mode <c>slash_commands</c> payload.</summary>
    public static SlackSlashCommand? FromJson(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object ? FromFields(name => StringOf(payload, name)) : null;

    private static string? StringOf(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
