using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Tells the policy whether a caller comes from a tenant (Slack workspace, Teams tenant) the bot serves. The
/// adapters already refuse other tenants at the door; the policy asks again so that <c>who: "*"</c> can never
/// reach a user from another organization, even if a door check is missed (defence in depth).
/// </summary>
public interface ITenantAllowList
{
    /// <summary>
    /// False when <paramref name="caller"/> belongs to a tenant this list refuses. Callers of platforms the
    /// list does not govern are not its business: it answers true for them.
    /// </summary>
    bool Allows(ChatIdentity caller);
}
