using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>Which Slack user groups a user belongs to.</summary>
public interface ISlackUserGroupDirectory
{
    /// <summary>The S… ids of <paramref name="userId"/>'s enabled groups in <paramref name="teamId"/>; empty when unknown.</summary>
    Task<IReadOnlyList<string>> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken);
}

/// <summary>
/// Group membership from one <c>usergroups.list?include_users=true</c> call per workspace, inverted to
/// user → groups and kept in <see cref="IMemoryCache"/> (the method is Tier 2). A failed lookup yields the last
/// known membership, or no groups: group bindings can only grant, so missing groups deny, never allow.
/// </summary>
public sealed class SlackUserGroupDirectory(
    SlackApiClient api,
    IMemoryCache cache,
    IOptions<SlackOptions> options,
    ILogger<SlackUserGroupDirectory> logger,
    TimeProvider time) : ISlackUserGroupDirectory, IDisposable
{
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoMembers = new Dictionary<string, IReadOnlyList<string>>();

    // One lookup at a time: refreshes are rare (one per workspace per cache period) and a second caller
    // waiting for the first then finds the fresh entry instead of calling Slack again.
    private readonly SemaphoreSlim refresh = new(1, 1);

    // Logged once per outage, not per lookup: during a Slack outage every command would otherwise add a warning.
    private readonly DependencyOutage outage = new("The Slack Web API (usergroups.list)", "group bindings do not apply until it works", logger, time);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        var map = await MembershipAsync(teamId, cancellationToken);
        return map.TryGetValue(userId, out var groups) ? groups : [];
    }

    /// <summary>Releases the refresh gate.</summary>
    public void Dispose() => refresh.Dispose();

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> MembershipAsync(string teamId, CancellationToken cancellationToken)
    {
        var current = (Current: "slack-usergroups:" + teamId, LastKnown: "slack-usergroups-last-known:" + teamId);
        if (cache.TryGetValue(current.Current, out IReadOnlyDictionary<string, IReadOnlyList<string>>? members) && members is not null)
        {
            return members;
        }

        await refresh.WaitAsync(cancellationToken);
        try
        {
            if (cache.TryGetValue(current.Current, out members) && members is not null)
            {
                return members;
            }

            try
            {
                var groups = await api.ListUsergroupsWithUsersAsync(teamId, cancellationToken);
                members = groups
                    .Where(g => g.DateDelete == 0)
                    .SelectMany(g => g.Users.Select(u => (User: u, Group: g.Id)))
                    .GroupBy(p => p.User, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Group).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);
                cache.Set(current.Current, members, options.Value.UserGroupCacheDuration);
                cache.Set(current.LastKnown, members);
                outage.Succeeded();
                return members;
            }
            catch (SlackApiException ex)
            {
                // Keep serving the last known membership if there is one; otherwise nobody has groups for a while.
                outage.Failed($"{ex.Error} for team {teamId}");
                var fallback = cache.TryGetValue(current.LastKnown, out IReadOnlyDictionary<string, IReadOnlyList<string>>? last) && last is not null ? last : NoMembers;
                var retryIn = ex.RetryAfter is { } r && r > FailureBackoff ? r : FailureBackoff;
                cache.Set(current.Current, fallback, retryIn);
                return fallback;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller's time budget (Slack:GroupLookupTimeout) ran out: a hung or rate-limited Slack is an
                // outage too, and must be logged (once), not only the errors that come back.
                outage.Failed($"no answer within the group lookup's time budget for team {teamId}");
                throw;
            }
        }
        finally
        {
            refresh.Release();
        }
    }
}
