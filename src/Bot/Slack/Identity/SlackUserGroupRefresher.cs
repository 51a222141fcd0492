using Microsoft.Extensions.Options;
using PscaleBot.Bot.Hosting;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>
/// Keeps <see cref="ISlackUserGroupDirectory"/> fresh so no command waits for Slack: every served workspace is read
/// before the bot reports ready (a start-up warm-up step), then again each time four fifths of
/// <see cref="SlackOptions.UserGroupCacheDuration"/> has passed, before the copy expires. Does nothing unless Slack is
/// enabled and <see cref="SlackOptions.PreloadUserGroups"/> is on. A failed read is the directory's to log and back off from.
/// </summary>
public sealed class SlackUserGroupRefresher(
    ISlackUserGroupDirectory directory,
    SlackWorkspaceAllowList workspaces,
    IOptions<SlackOptions> options,
    TimeProvider time) : BackgroundService, IStartupWarmup
{
    /// <inheritdoc />
    public string Name => "Slack user groups";

    /// <summary>How often every known workspace is read again.</summary>
    public TimeSpan Interval => options.Value.UserGroupCacheDuration * 0.8;

    /// <inheritdoc />
    public Task WarmAsync(CancellationToken cancellationToken) => RefreshAllAsync(cancellationToken);

    /// <summary>Reads every served or already seen workspace, all at once.</summary>
    public async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !options.Value.PreloadUserGroups || string.IsNullOrWhiteSpace(options.Value.BotToken))
        {
            return;
        }

        var teams = (await workspaces.ServedTeamsAsync(cancellationToken)).Union(directory.Teams, StringComparer.Ordinal);
        await Task.WhenAll(teams.Select(t => directory.RefreshAsync(t, cancellationToken)));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || !options.Value.PreloadUserGroups || Interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAllAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
