using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
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
    ILogger<EntraGroupDirectory> logger)
    : SharedReadCache<IReadOnlyList<string>>(
        time,
        new DependencyOutage("Microsoft Graph (transitiveMemberOf)", "teams:group: bindings do not apply until it works", logger, time),
        StringComparer.OrdinalIgnoreCase),
    IEntraGroupDirectory
{
    /// <inheritdoc />
    protected override TimeSpan FreshFor => options.Value.CacheDuration;

    /// <inheritdoc />
    public async Task<EntraGroupMembership> GroupsOfAsync(string userObjectId, CancellationToken cancellationToken) =>
        await GetAsync(userObjectId, cancellationToken) is { } groups ? new EntraGroupMembership(groups, Known: true) : EntraGroupMembership.Unknown;

    /// <inheritdoc />
    public EntraGroupMembership? LastKnown(string userObjectId) =>
        LastKnownValue(userObjectId) is { } groups ? new EntraGroupMembership(groups, Known: true) : null;

    /// <inheritdoc />
    protected override Task<IReadOnlyList<string>> ReadAsync(string userObjectId, CancellationToken cancellationToken) =>
        graph.TransitiveGroupsAsync(userObjectId, cancellationToken);

    /// <inheritdoc />
    protected override string DescribeFailure(string userObjectId, Exception exception) =>
        exception is EntraGraphException ? exception.Message : exception.GetType().Name;

    /// <inheritdoc />
    protected override string DescribeTimeout(string userObjectId) => "no answer within Teams:Groups:LookupTimeout";
}
