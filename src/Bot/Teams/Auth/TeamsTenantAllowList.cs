using Microsoft.Extensions.Options;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Teams.Auth;

/// <summary>
/// The policy's view of <see cref="TeamsOptions.EffectiveAllowedTenants"/>: a Teams caller from any other tenant is
/// never matched by <c>who: "*"</c>. The endpoint already refuses such tenants at the door; this holds even where a
/// door check is missed (defence in depth, as Slack's workspace list does).
/// </summary>
internal sealed class TeamsTenantAllowList(IOptionsMonitor<TeamsOptions> options) : ITenantAllowList
{
    private const string Prefix = "teams:tenant:";

    /// <inheritdoc />
    public bool Allows(ChatIdentity caller)
    {
        if (caller.Platform != ChatPlatform.Teams)
        {
            return true;
        }

        // A Teams caller without a tenant cannot be placed, so it is refused (fail closed).
        return caller.TenantId is { } tenant
            && tenant.StartsWith(Prefix, StringComparison.Ordinal)
            && options.CurrentValue.EffectiveAllowedTenants.Contains(tenant[Prefix.Length..]);
    }
}
