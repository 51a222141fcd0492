using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Slack.Api;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>Which Slack user groups a user belongs to.</summary>
public interface ISlackUserGroupDirectory
{
    /// <summary>The S… ids of <paramref name="userId"/>'s enabled groups in <paramref name="teamId"/>; empty when unknown.</summary>
    Task<IReadOnlyList<string>> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken);
}

/// <summary>
/// Group membership from one <c>usergroups.list?include_users=true</c> call per workspace, inverted to
/// user → groups and cached (the method is Tier 2). A failed lookup yields no groups: group bindings can
/// only grant, so missing groups deny, never allow.
/// </summary>
public sealed partial class SlackUserGroupDirectory(
    SlackApiClient api,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackUserGroupDirectory> logger) : ISlackUserGroupDirectory
{
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Entry> byTeam = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> refreshLocks = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        var map = await MembershipAsync(teamId, cancellationToken);
        return map.TryGetValue(userId, out var groups) ? groups : [];
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> MembershipAsync(string teamId, CancellationToken cancellationToken)
    {
        if (byTeam.TryGetValue(teamId, out var cached) && cached.ExpiresAt > time.GetUtcNow())
        {
            return cached.Members;
        }

        var gate = refreshLocks.GetOrAdd(teamId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (byTeam.TryGetValue(teamId, out cached) && cached.ExpiresAt > time.GetUtcNow())
            {
                return cached.Members;
            }

            try
            {
                var groups = await api.ListUsergroupsWithUsersAsync(teamId, cancellationToken);
                var members = groups
                    .Where(g => g.DateDelete == 0)
                    .SelectMany(g => g.Users.Select(u => (User: u, Group: g.Id)))
                    .GroupBy(p => p.User, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Group).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);
                byTeam[teamId] = new Entry(members, time.GetUtcNow() + options.Value.UserGroupCacheDuration);
                return members;
            }
            catch (SlackApiException ex)
            {
                // Keep serving the last known membership if there is one; otherwise nobody has groups for a while.
                LogLookupFailed(ex.Error, teamId);
                var fallback = cached?.Members ?? new Dictionary<string, IReadOnlyList<string>>();
                var retryIn = ex.RetryAfter is { } r && r > FailureBackoff ? r : FailureBackoff;
                byTeam[teamId] = new Entry(fallback, time.GetUtcNow() + retryIn);
                return fallback;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed record Entry(IReadOnlyDictionary<string, IReadOnlyList<string>> Members, DateTimeOffset ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack user-group lookup failed with {Error} for team {TeamId}; group bindings do not apply until it succeeds")]
    private partial void LogLookupFailed(string error, string teamId);
}
