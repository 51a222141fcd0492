using System.Text.Json.Serialization;
using PscaleBot.Bot.Slack.Api;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>
/// A slash command as Slack sends it: over Socket Mode as JSON, over HTTP as form fields with the same names.
/// Every field may be missing; <see cref="SlackSlashCommand.From"/> checks the ones the bot relies on.
/// </summary>
public sealed record SlashCommandPayload
{
    /// <summary>The workspace (T…).</summary>
    public string? TeamId { get; init; }

    /// <summary>The workspace's domain (display only).</summary>
    public string? TeamDomain { get; init; }

    /// <summary>The Enterprise Grid organization (E…), if any.</summary>
    public string? EnterpriseId { get; init; }

    /// <summary>True for an org-wide install; a string (<c>"true"</c>) in slash commands, a boolean elsewhere.</summary>
    [JsonConverter(typeof(SlackBooleanConverter))]
    public bool IsEnterpriseInstall { get; init; }

    /// <summary>The conversation (C…, G…, D…).</summary>
    public string? ChannelId { get; init; }

    /// <summary>Its name: <c>directmessage</c> for DMs.</summary>
    public string? ChannelName { get; init; }

    /// <summary>The caller (U… or W…).</summary>
    public string? UserId { get; init; }

    /// <summary>The caller's handle (deprecated by Slack, display only).</summary>
    public string? UserName { get; init; }

    /// <summary>The command typed (<c>/pscale</c>).</summary>
    public string? Command { get; init; }

    /// <summary>Everything after the command.</summary>
    public string? Text { get; init; }

    /// <summary>The app (A…).</summary>
    public string? ApiAppId { get; init; }

    /// <summary>Where to post delayed answers.</summary>
    public string? ResponseUrl { get; init; }

    /// <summary>Unique per invocation.</summary>
    public string? TriggerId { get; init; }
}
