using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>Where a request came from and what it asked, for the refusal's audit row.</summary>
/// <param name="TeamId">The workspace (T…).</param>
/// <param name="EnterpriseId">The Grid organization (E…), if any.</param>
/// <param name="UserId">The caller (U… or W…).</param>
/// <param name="ChannelId">The conversation, if any.</param>
/// <param name="ChannelName">Its name, if known.</param>
/// <param name="What">The command text or the clicked action, as received (redacted before it is stored).</param>
public sealed record SlackRequestOrigin(string? TeamId, string? EnterpriseId, string UserId, string? ChannelId, string? ChannelName, string What);

/// <summary>
/// The door of every Slack request, for both transports: a request from a workspace the bot does not serve
/// (<see cref="SlackWorkspaceAllowList"/>) is refused before anything runs, audited as <c>denied</c>, and answered
/// with a sentence saying which workspace the bot serves.
/// </summary>
public sealed partial class SlackWorkspaceGate(
    SlackWorkspaceAllowList allowList,
    IAuditLog audit,
    TimeProvider time,
    ILogger<SlackWorkspaceGate> logger)
{
    /// <summary>Null when the request may run; otherwise the ephemeral refusal to show (already audited).</summary>
    public async Task<SlackResponseMessage?> RefuseAsync(SlackRequestOrigin origin, CancellationToken cancellationToken)
    {
        var check = await allowList.CheckAsync(origin.TeamId, origin.EnterpriseId, cancellationToken);
        if (check.Allowed)
        {
            return null;
        }

        LogRefused(origin.TeamId ?? "(none)", origin.EnterpriseId ?? "(none)", origin.UserId);
        await AuditAsync(origin, check.Why ?? "workspace not allowed", cancellationToken);
        var text = check.Served is null
            ? ":no_entry: This bot cannot tell which Slack workspace it serves (Slack:AllowedTeamIds is not set and Slack's auth.test " +
              "did not answer), so it refuses every request. Nothing was run. Ask the bot's administrators to set Slack:AllowedTeamIds."
            : $":no_entry: This bot serves the Slack workspace {check.Served} only, and this request came from workspace {origin.TeamId ?? "(unknown)"}. " +
              "Nothing was run. If your workspace should be served, ask the bot's administrators to add it to Slack:AllowedTeamIds.";
        return new SlackResponseMessage(SlackResponseType.Ephemeral, text, [BlockKit.Section(text)]);
    }

    private async Task AuditAsync(SlackRequestOrigin origin, string why, CancellationToken cancellationToken)
    {
        var place = origin.ChannelId is null ? "unknown" : SlackIdentityFactory.Place(origin.ChannelId, origin.ChannelName).PrimaryId;
        var entry = new AuditEntry(
            time.GetUtcNow(),
            "slack",
            place,
            $"slack:user:{origin.UserId}",
            SecretRedactor.Redact(origin.What),
            "denied",
            why,
            "refused: workspace not allowed",
            []);
        try
        {
            await audit.AppendAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The request is refused either way; the missing row is said in the log.
            LogAuditFailed(ex.GetType().Name, origin.TeamId ?? "(none)");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request from workspace {TeamId} (organization {EnterpriseId}, user {UserId}) refused: not an allowed workspace")]
    private partial void LogRefused(string teamId, string enterpriseId, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry for a refused Slack request from workspace {TeamId} was not written: {ExceptionType}")]
    private partial void LogAuditFailed(string exceptionType, string teamId);
}
