using Microsoft.Extensions.Options;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// Who is on call according to PagerDuty and Opsgenie, as the policy in force names them (<c>oncall: pagerduty:</c>,
/// <c>oncall: opsgenie:</c>). The requester is matched by email: the chat adapter's <see cref="IChatEmailDirectory"/>
/// gives theirs, the service gives the on-call users'. When a service cannot answer and nobody else put the requester on
/// call, <see cref="OnCallRosterUnavailableException"/> says why, so the request goes to approvers with that reason.
/// </summary>
public sealed class ServiceOnCallRoster(
    PolicyStore policy,
    PagerDutyOnCallLookup pagerDuty,
    OpsgenieOnCallLookup opsgenie,
    IEnumerable<IChatEmailDirectory> directories,
    OnCallLookupCache cache,
    IOptions<OnCallOptions> options) : IOnCallRoster
{
    /// <inheritdoc />
    public async Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (policy.Current.Document.OnCall is not { } settings || (settings.PagerDuty is null && settings.Opsgenie is null))
        {
            return null;
        }

        var email = await EmailOfAsync(who, cancellationToken);
        var ttl = options.Value.CacheTtl;
        var lookups = new List<Task<IReadOnlyList<OnCallEntry>>>();
        if (settings.PagerDuty is { } pd)
        {
            // The window covers the cache's lifetime, so a shift starting or ending inside it is known without asking again.
            lookups.Add(cache.GetAsync(Key("pagerduty", pd.ScheduleIds, pd.EscalationPolicyIds, pd.EscalationLevels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))), ttl,
                () => pagerDuty.FetchAsync(pd, at, at + ttl)));
        }

        if (settings.Opsgenie is { } og)
        {
            lookups.Add(cache.GetAsync(Key("opsgenie", og.ScheduleIds), ttl, () => opsgenie.FetchAsync(og, at, ttl)));
        }

        OnCallRosterUnavailableException? failure = null;
        foreach (var lookup in lookups)
        {
            try
            {
                var entries = await lookup.WaitAsync(cancellationToken);
                if (entries.FirstOrDefault(e => string.Equals(e.Email, email, StringComparison.OrdinalIgnoreCase) && at >= e.From && at < e.Until) is { } entry)
                {
                    return new OnCallShift($"{entry.Source} ({entry.Email})", entry.From, entry.Until);
                }
            }
            catch (OnCallRosterUnavailableException ex)
            {
                failure ??= ex;
            }
        }

        // Not found anywhere that answered: if a service did not answer, the requester may well be on call there.
        return failure is null ? null : throw failure;
    }

    private async Task<string> EmailOfAsync(ChatIdentity who, CancellationToken cancellationToken)
    {
        var directory = directories.FirstOrDefault(d => d.Platform == who.Platform);
        string? email;
        try
        {
            email = directory is null ? null : await directory.FindEmailAsync(who, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new OnCallRosterUnavailableException(
                $"{who.Platform} could not tell the bot the requester's email address, so on-call auto-approval was skipped.", ex);
        }

        return email is { Length: > 0 } && email.Contains('@', StringComparison.Ordinal)
            ? email.Trim()
            : throw new OnCallRosterUnavailableException(
                $"The bot does not know the requester's email address on {who.Platform}, so it could not match them to the on-call schedule and on-call auto-approval was skipped.");
    }

    private static string Key(string service, params IEnumerable<string>[] parts) =>
        service + "|" + string.Join("|", parts.Select(p => string.Join(",", p.Order(StringComparer.Ordinal))));
}
