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
    IOptions<OnCallOptions> options,
    TimeProvider time) : IOnCallRoster
{
    /// <inheritdoc />
    public async Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (policy.Current.Document.OnCall is not { } settings || (settings.PagerDuty is null && settings.Opsgenie is null))
        {
            return null;
        }

        var emails = await EmailsOfAsync(who, cancellationToken);
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
                if (entries.FirstOrDefault(e => emails.Contains(e.Email) && at >= e.From && at < e.Until) is { } entry)
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

    private async Task<HashSet<string>> EmailsOfAsync(ChatIdentity who, CancellationToken cancellationToken)
    {
        var directory = directories.FirstOrDefault(d => d.Platform == who.Platform);
        IReadOnlyList<string> found;
        // The chat platform is asked within the same budget as the on-call services: a slow one sends the request to approvers.
        using var deadline = new CancellationTokenSource(options.Value.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            found = directory is null ? [] : await directory.FindEmailsAsync(who, linked.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new OnCallRosterUnavailableException(deadline.IsCancellationRequested
                ? $"{who.Platform} did not tell the bot the requester's email address within {options.Value.Timeout.TotalSeconds:0.#} s, so on-call auto-approval was skipped."
                : $"{who.Platform} could not tell the bot the requester's email address, so on-call auto-approval was skipped.", ex);
        }

        var emails = found.Where(e => e.Contains('@', StringComparison.Ordinal)).Select(e => e.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return emails.Count > 0
            ? emails
            : throw new OnCallRosterUnavailableException(
                $"The bot does not know the requester's email address on {who.Platform}, so it could not match them to the on-call schedule and on-call auto-approval was skipped.");
    }

    private static string Key(string service, params IEnumerable<string>[] parts) =>
        service + "|" + string.Join("|", parts.Select(p => string.Join(",", p.Order(StringComparer.Ordinal))));
}
