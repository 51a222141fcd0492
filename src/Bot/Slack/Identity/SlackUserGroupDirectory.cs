using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>A user's Slack user groups, and whether they could be read at all.</summary>
/// <param name="Groups">The S… ids of the user's enabled groups; empty when none or unknown.</param>
/// <param name="Known">False when the workspace's groups could not be read (Slack failed or was too slow): then only
/// the user's own bindings apply, which can deny, never wrongly allow, and the user is told why.</param>
public sealed record SlackGroupMembership(IReadOnlyList<string> Groups, bool Known)
{
    /// <summary>The groups could not be read.</summary>
    public static SlackGroupMembership Unknown { get; } = new([], false);
}

/// <summary>Which Slack user groups a user belongs to.</summary>
public interface ISlackUserGroupDirectory
{
    /// <summary>The workspaces looked up so far, for the background refresh.</summary>
    IReadOnlyCollection<string> Teams { get; }

    /// <summary>
    /// <paramref name="userId"/>'s groups in <paramref name="teamId"/>: at once from a fresh copy, else after the
    /// workspace's refresh (shared with every concurrent caller).
    /// </summary>
    Task<SlackGroupMembership> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken);

    /// <summary>The last membership read for <paramref name="teamId"/>, however old; null when none was ever read.</summary>
    SlackGroupMembership? LastKnown(string teamId, string userId);

    /// <summary>Reads the workspace's groups again now, or joins the read already under way; never throws for a Slack failure.</summary>
    Task RefreshAsync(string teamId, CancellationToken cancellationToken);
}

/// <summary>
/// Group membership from one <c>usergroups.list?include_users=true</c> call per workspace, inverted to
/// user → groups. Concurrent lookups share one call (a burst of commands makes one Slack call, not one each), and
/// <see cref="SlackUserGroupRefresher"/> reads every workspace before the bot is ready and again before the copy
/// expires, so commands are served from memory. A failed read keeps the last known membership, or none: group
/// bindings can only grant, so missing groups deny, never allow. After a failure Slack is not asked again for
/// 30 seconds (or its <c>Retry-After</c>); the method is Tier 2.
/// </summary>
public sealed class SlackUserGroupDirectory(
    SlackApiClient api,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackUserGroupDirectory> logger) : ISlackUserGroupDirectory, IDisposable
{
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, TeamGroups> teams = new(StringComparer.Ordinal);

    // Logged once per outage, not per lookup: during a Slack outage every command would otherwise add a warning.
    private readonly DependencyOutage outage = new("The Slack Web API (usergroups.list)", "group bindings do not apply until it works", logger, time);

    // Reads are shared by every waiter, so no one caller's token may cancel them; disposal does.
    private readonly CancellationTokenSource stopping = new();

    /// <inheritdoc />
    public IReadOnlyCollection<string> Teams => [.. teams.Keys];

    /// <inheritdoc />
    public async Task<SlackGroupMembership> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        var team = teams.GetOrAdd(teamId, _ => new TeamGroups());
        Task? read;
        lock (team)
        {
            var now = time.GetUtcNow();
            if (team.Members is { } fresh && now < team.FreshUntil)
            {
                return Of(fresh, userId);
            }

            // Slack failed a moment ago: answer from what is known instead of asking again on every command.
            read = now < team.RetryAt ? null : StartOrJoin(teamId, team);
        }

        if (read is not null)
        {
            try
            {
                await read.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller's time budget (Slack:GroupLookupTimeout) ran out: a hung or rate-limited Slack is an
                // outage too, and must be logged (once), not only the errors that come back. The read goes on.
                outage.Failed($"no answer within the group lookup's time budget for team {teamId}");
                throw;
            }
        }

        return LastKnown(teamId, userId) ?? SlackGroupMembership.Unknown;
    }

    /// <inheritdoc />
    public SlackGroupMembership? LastKnown(string teamId, string userId) =>
        teams.TryGetValue(teamId, out var team) && Volatile.Read(ref team.Members) is { } members ? Of(members, userId) : null;

    /// <inheritdoc />
    public Task RefreshAsync(string teamId, CancellationToken cancellationToken)
    {
        var team = teams.GetOrAdd(teamId, _ => new TeamGroups());
        lock (team)
        {
            return StartOrJoin(teamId, team).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops reads under way.</summary>
    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private static SlackGroupMembership Of(IReadOnlyDictionary<string, IReadOnlyList<string>> members, string userId) =>
        new(members.TryGetValue(userId, out var groups) ? groups : [], Known: true);

    // Called under the team's lock.
    private Task StartOrJoin(string teamId, TeamGroups team)
    {
        // Task.Run: the read never completes inside this lock, so its own clean-up (which takes the lock) runs after
        // InFlight is set, and it does not carry the first caller's execution context.
        return team.InFlight ??= Task.Run(() => ReadAsync(teamId, team), CancellationToken.None);
    }

    private async Task ReadAsync(string teamId, TeamGroups team)
    {
        try
        {
            var groups = await api.ListUsergroupsWithUsersAsync(teamId, stopping.Token);
            var members = groups
                .Where(g => g.DateDelete == 0)
                .SelectMany(g => g.Users.Select(u => (User: u, Group: g.Id)))
                .GroupBy(p => p.User, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Group).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);
            lock (team)
            {
                Volatile.Write(ref team.Members, members);
                team.FreshUntil = time.GetUtcNow() + options.Value.UserGroupCacheDuration;
                team.RetryAt = DateTimeOffset.MinValue;
            }

            outage.Succeeded();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Keep serving the last known membership if there is one; otherwise nobody has groups for a while.
            outage.Failed($"{(ex is SlackApiException slack ? slack.Error : ex.GetType().Name)} for team {teamId}");
            var retryIn = ex is SlackApiException { RetryAfter: { } r } && r > FailureBackoff ? r : FailureBackoff;
            lock (team)
            {
                team.RetryAt = time.GetUtcNow() + retryIn;
            }
        }
        finally
        {
            lock (team)
            {
                team.InFlight = null;
            }
        }
    }

    /// <summary>One workspace's membership; fields guarded by locking the instance.</summary>
    private sealed class TeamGroups
    {
        public IReadOnlyDictionary<string, IReadOnlyList<string>>? Members;
        public DateTimeOffset FreshUntil = DateTimeOffset.MinValue;
        public DateTimeOffset RetryAt = DateTimeOffset.MinValue;
        public Task? InFlight;
    }
}
