using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Teams.Identity;

/// <summary>
/// Group membership per user from Microsoft Graph, kept for <see cref="EntraGroupOptions.CacheDuration"/>.
/// Concurrent lookups for one user share one Graph read. A failed read keeps the last known membership, or none:
/// group bindings can only grant, so missing groups deny, never allow. After a failure Graph is not asked again for
/// that user for 30 seconds, and the outage is logged once, not per command.
/// </summary>
internal sealed class EntraGroupDirectory(
    GraphGroupReader graph,
    IOptions<EntraGroupOptions> options,
    TimeProvider time,
    ILogger<EntraGroupDirectory> logger) : IEntraGroupDirectory, IDisposable
{
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, UserGroups> users = new(StringComparer.OrdinalIgnoreCase);
    private readonly DependencyOutage outage = new("Microsoft Graph (transitiveMemberOf)", "teams:group: bindings do not apply until it works", logger, time);

    // Reads are shared by every waiter, so no one caller's token may cancel them; disposal does.
    private readonly CancellationTokenSource stopping = new();

    /// <inheritdoc />
    public async Task<EntraGroupMembership> GroupsOfAsync(string userObjectId, CancellationToken cancellationToken)
    {
        var user = users.GetOrAdd(userObjectId, _ => new UserGroups());
        Task? read;
        lock (user)
        {
            var now = time.GetUtcNow();
            if (user.Groups is { } fresh && now < user.FreshUntil)
            {
                return new EntraGroupMembership(fresh, Known: true);
            }

            read = now < user.RetryAt ? null : user.InFlight ??= Task.Run(() => ReadAsync(userObjectId, user), CancellationToken.None);
        }

        if (read is not null)
        {
            try
            {
                await read.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A hung Graph is an outage too, not only the errors that come back. The read goes on.
                outage.Failed("no answer within Teams:Groups:LookupTimeout");
                throw;
            }
        }

        return LastKnown(userObjectId) ?? EntraGroupMembership.Unknown;
    }

    /// <inheritdoc />
    public EntraGroupMembership? LastKnown(string userObjectId) =>
        users.TryGetValue(userObjectId, out var user) && Volatile.Read(ref user.Groups) is { } groups ? new EntraGroupMembership(groups, Known: true) : null;

    /// <summary>Stops reads under way.</summary>
    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task ReadAsync(string userObjectId, UserGroups user)
    {
        try
        {
            var groups = await graph.TransitiveGroupsAsync(userObjectId, stopping.Token);
            lock (user)
            {
                Volatile.Write(ref user.Groups, groups);
                user.FreshUntil = time.GetUtcNow() + options.Value.CacheDuration;
                user.RetryAt = DateTimeOffset.MinValue;
            }

            outage.Succeeded();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            outage.Failed(ex is EntraGraphException ? ex.Message : ex.GetType().Name);
            lock (user)
            {
                user.RetryAt = time.GetUtcNow() + FailureBackoff;
            }
        }
        finally
        {
            lock (user)
            {
                user.InFlight = null;
            }
        }
    }

    /// <summary>One user's membership; fields guarded by locking the instance.</summary>
    private sealed class UserGroups
    {
        public IReadOnlyList<string>? Groups;
        public DateTimeOffset FreshUntil = DateTimeOffset.MinValue;
        public DateTimeOffset RetryAt = DateTimeOffset.MinValue;
        public Task? InFlight;
    }
}
