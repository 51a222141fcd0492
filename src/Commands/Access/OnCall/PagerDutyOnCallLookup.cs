using System.Globalization;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>Who PagerDuty lists as on call for a policy's <c>oncall: pagerduty:</c> section, page by page, filtered by escalation level.</summary>
public sealed class PagerDutyOnCallLookup(IPagerDutyApi api, IOptions<OnCallOptions> options, TimeProvider time)
{
    private const int PageSize = 100;

    // A misconfigured or hostile server must not keep the bot paging forever.
    private const int MaxPages = 20;

    /// <summary>The on-call entries overlapping [<paramref name="since"/>, <paramref name="until"/>].</summary>
    public async Task<IReadOnlyList<OnCallEntry>> FetchAsync(PagerDutyOnCallSource source, DateTimeOffset since, DateTimeOffset until)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.PagerDuty.ApiKey))
        {
            throw new OnCallRosterUnavailableException(
                "PagerDuty has no API key (OnCall:PagerDuty:ApiKey), so on-call auto-approval was skipped.");
        }

        return await OnCallFailure.GuardAsync("PagerDuty", settings.Timeout, time, async cancellationToken =>
        {
            var entries = new List<OnCallEntry>();
            var offset = 0;
            for (var page = 0; page < MaxPages; page++)
            {
                var answer = await api.ListOnCallsAsync(
                    source.ScheduleIds.Count > 0 ? source.ScheduleIds : null,
                    source.EscalationPolicyIds.Count > 0 ? source.EscalationPolicyIds : null,
                    ["users"],
                    "UTC",
                    Iso(since),
                    Iso(until),
                    offset,
                    PageSize,
                    cancellationToken);
                foreach (var onCall in answer.OnCalls ?? [])
                {
                    if (onCall.User?.Email is not { Length: > 0 } email
                        || (source.EscalationLevels.Count > 0 && !source.EscalationLevels.Contains(onCall.EscalationLevel)))
                    {
                        continue;
                    }

                    var via = onCall.Schedule?.Id is { } schedule ? $"schedule:{schedule}" : $"escalation_policy:{onCall.EscalationPolicy?.Id}";
                    // PagerDuty leaves start and end out for someone always on call at that level.
                    entries.Add(new OnCallEntry(email.Trim(), $"pagerduty:{via}:level {onCall.EscalationLevel}",
                        onCall.Start ?? DateTimeOffset.MinValue, onCall.End ?? DateTimeOffset.MaxValue));
                }

                if (!answer.More || answer.OnCalls is not { Count: > 0 })
                {
                    break;
                }

                offset += answer.OnCalls.Count;
            }

            return (IReadOnlyList<OnCallEntry>)entries;
        });
    }

    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
