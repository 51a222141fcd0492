namespace PscaleBot.Commands.Access;

/// <summary>This process's name on revoke leases, stable for its lifetime and distinct from every other replica's.</summary>
public sealed class AccessReplicaIdentity
{
    /// <summary>The lease owner name (<c>revoker:&lt;host&gt;:&lt;guid&gt;</c>).</summary>
    public string InstanceId { get; } = $"revoker:{Environment.MachineName}:{Guid.NewGuid():N}";
}
