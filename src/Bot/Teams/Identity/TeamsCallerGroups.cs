using Microsoft.Extensions.Options;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Identity;

/// <summary>
/// Adds a Teams caller's Entra groups (<c>teams:group:&lt;object id&gt;</c>) to their identity before the policy sees
/// it, within <see cref="EntraGroupOptions.LookupTimeout"/>. Only users of the app's own tenant are looked up: the
/// groups a policy names live there. When the lookup is off, or the user is from another tenant, there are no groups.
/// </summary>
internal sealed partial class TeamsCallerGroups(
    IEntraGroupDirectory directory,
    IOptions<EntraGroupOptions> options,
    IOptions<TeamsOptions> teams,
    TimeProvider time,
    ILogger<TeamsCallerGroups> logger)
{
    /// <summary>The qualified prefix of a group id.</summary>
    public const string GroupPrefix = "teams:group:";

    /// <summary><paramref name="caller"/> with their groups, and whether the groups are known.</summary>
    public async Task<(ChatIdentity Caller, bool GroupsKnown)> WithGroupsAsync(ChatIdentity caller, CancellationToken cancellationToken)
    {
        var membership = await LookUpAsync(caller, cancellationToken);
        if (!membership.Known)
        {
            LogGroupsUnknown(caller.UserId);
        }

        return (caller with { GroupIds = [.. membership.Groups.Select(g => GroupPrefix + g)] }, membership.Known);
    }

    private async Task<EntraGroupMembership> LookUpAsync(ChatIdentity caller, CancellationToken cancellationToken)
    {
        const string userPrefix = "teams:user:";
        var tenant = teams.Value.AppTenantId?.Trim();
        if (!options.Value.Enabled || string.IsNullOrEmpty(tenant)
            || !string.Equals(caller.TenantId, $"teams:tenant:{tenant}", StringComparison.OrdinalIgnoreCase)
            || !caller.UserId.StartsWith(userPrefix, StringComparison.Ordinal))
        {
            return EntraGroupMembership.None;
        }

        var objectId = caller.UserId[userPrefix.Length..];
        using var timeout = new CancellationTokenSource(options.Value.LookupTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await directory.GroupsOfAsync(objectId, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return directory.LastKnown(objectId) ?? EntraGroupMembership.Unknown;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Entra groups of {UserId} unknown; only their own bindings apply")]
    private partial void LogGroupsUnknown(string userId);
}
