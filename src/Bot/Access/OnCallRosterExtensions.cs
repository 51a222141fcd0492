using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Access;

/// <summary>Composition of who is on call: a schedule file, PagerDuty and Opsgenie.</summary>
public static class OnCallRosterExtensions
{
    /// <summary>
    /// Registers the on-call roster. <c>AccessRequests:RosterPath</c> wins; otherwise the policy file's <c>oncall:</c>
    /// section: its schedule file first, then PagerDuty and Opsgenie (settings <c>OnCall:*</c>). Chat adapters add their
    /// <see cref="IChatEmailDirectory"/> so requesters can be matched by email.
    /// </summary>
    public static IServiceCollection AddOnCallRoster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOnCallServices(configuration);
        services.TryAddSingleton<IOnCallRoster>(sp =>
            sp.GetRequiredService<IOptions<AccessRequestOptions>>().Value.RosterPath is { Length: > 0 } path
                ? new ScheduleFileOnCallRoster(path)
                : sp.GetService<PolicyStore>() is { } policy
                    ? new FirstOnCallRoster([new PolicyScheduleOnCallRoster(policy), ActivatorUtilities.CreateInstance<ServiceOnCallRoster>(sp, policy)])
                    : new EmptyOnCallRoster());
        return services;
    }
}
