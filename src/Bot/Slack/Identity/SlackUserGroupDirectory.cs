using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
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
    ILogger<SlackUserGroupDirectory> logger)
    : SharedReadCache<IReadOnlyDictionary<string, IReadOnlyList<string>>>(
        time,
        // Logged once per outage, not per lookup: during a Slack outage every command would otherwise add a warning.
        new DependencyOutage("The Slack Web API (usergroups.list)", "group bindings do not apply until it works", logger, time),
        StringComparer.Ordinal),
    ISlackUserGroupDirectory
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> Teams => Keys;

    /// <inheritdoc />
    protected override TimeSpan FreshFor => options.Value.UserGroupCacheDuration;

    /// <inheritdoc />
    public async Task<SlackGroupMembership> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken) =>
        await GetAsync(teamId, cancellationToken) is { } members ? Of(members, userId) : SlackGroupMembership.Unknown;

    /// <inheritdoc />
    public SlackGroupMembership? LastKnown(string teamId, string userId) =>
        LastKnownValue(teamId) is { } members ? Of(members, userId) : null;

    /// <inheritdoc />
    public Task RefreshAsync(string teamId, CancellationToken cancellationToken) => RefreshValueAsync(teamId, cancellationToken);

    /// <inheritdoc />
    protected override async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadAsync(string teamId, CancellationToken cancellationToken)
    {
        var groups = await api.ListUsergroupsWithUsersAsync(teamId, cancellationToken);
        return groups
            .Where(g => g.DateDelete == 0)
            .SelectMany(g => g.Users.Select(u => (User: u, Group: g.Id)))
            .GroupBy(p => p.User, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Group).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);
    }

    /// <inheritdoc />
    protected override string DescribeFailure(string teamId, Exception exception) =>
        $"{(exception is SlackApiException slack ? slack.Error : exception.GetType().Name)} for team {teamId}";

    /// <inheritdoc />
    /// <remarks>The caller's budget is Slack:GroupLookupTimeout.</remarks>
    protected override string DescribeTimeout(string teamId) => $"no answer within the group lookup's time budget for team {teamId}";

    /// <inheritdoc />
    /// <remarks>usergroups.list is Tier 2: a Retry-After longer than the back-off is honoured.</remarks>
    protected override TimeSpan RetryIn(Exception exception) =>
        exception is SlackApiException { RetryAfter: { } r } && r > FailureBackoff ? r : FailureBackoff;

    private static SlackGroupMembership Of(IReadOnlyDictionary<string, IReadOnlyList<string>> members, string userId) =>
        new(members.TryGetValue(userId, out var groups) ? groups : [], Known: true);
}
