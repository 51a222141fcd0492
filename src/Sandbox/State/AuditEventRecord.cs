namespace PscaleBot.Sandbox.State;

/// <summary>
/// One event of the organization's audit log (<c>GET /v1/organizations/{org}/audit-log</c>), as the sandbox records
/// them: service-token changes only (created, deleted, access granted, access removed), whoever made them.
/// </summary>
internal sealed class AuditEventRecord
{
    /// <summary>Unique id; also the pagination cursor.</summary>
    public required string Id { get; set; }
    /// <summary>The organization's name.</summary>
    public required string Organization { get; set; }
    /// <summary><c>service_token.created</c>, <c>service_token.deleted</c>, <c>service_token.access_granted</c>, <c>service_token.access_removed</c>.</summary>
    public required string Action { get; set; }
    /// <summary>Who did it: a token id or the Bearer user's id.</summary>
    public required string ActorId { get; set; }
    /// <summary><c>User</c> or <c>ServiceToken</c>.</summary>
    public required string ActorType { get; set; }
    /// <summary>The actor's display name.</summary>
    public required string ActorDisplayName { get; set; }
    /// <summary>The token changed.</summary>
    public required string TargetId { get; set; }
    /// <summary>The token's name, or its id when it has none.</summary>
    public required string TargetDisplayName { get; set; }
    /// <summary>When.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>For access changes: the permissions and where (<c>accesses</c>, <c>database</c>).</summary>
    public Dictionary<string, string> Metadata { get; set; } = [];
}

/// <summary>Appends audit events to the state (under the store's lock, with the change itself).</summary>
internal static class AuditTrail
{
    /// <summary>Records <paramref name="action"/> on <paramref name="token"/> by the caller.</summary>
    public static void Record(
        SandboxState state, string actorId, string actorType, string actorName, string action, TokenRecord token, DateTimeOffset at,
        Dictionary<string, string>? metadata = null)
    {
        state.AuditEvents.Add(new AuditEventRecord
        {
            Id = $"aud{state.AuditEvents.Count + 1:D9}",
            Organization = token.Organization,
            Action = action,
            ActorId = actorId,
            ActorType = actorType,
            ActorDisplayName = actorName,
            TargetId = token.Id,
            TargetDisplayName = token.Name ?? token.Id,
            CreatedAt = at,
            Metadata = metadata ?? [],
        });
    }
}
