using System.Globalization;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>Who Opsgenie lists as on call in a policy's <c>oncall: opsgenie:</c> schedules.</summary>
public sealed class OpsgenieOnCallLookup(IOpsgenieApi api, IOptions<OnCallOptions> options, TimeProvider time)
{
    /// <summary>
    /// The people on call at <paramref name="at"/> in every schedule. Opsgenie's flat answer has no shift times, so each
    /// entry is taken to hold for <paramref name="validFor"/> (the cache lifetime), the time the bot trusts it anyway.
    /// </summary>
    public async Task<IReadOnlyList<OnCallEntry>> FetchAsync(OpsgenieOnCallSource source, DateTimeOffset at, TimeSpan validFor)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Opsgenie.ApiKey))
        {
            throw new OnCallRosterUnavailableException(
                "Opsgenie has no API key (OnCall:Opsgenie:ApiKey), so on-call auto-approval was skipped.");
        }

        return await OnCallFailure.GuardAsync("Opsgenie", settings.Timeout, time, async cancellationToken =>
        {
            var date = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var entries = new List<OnCallEntry>();
            foreach (var schedule in source.ScheduleIds)
            {
                var answer = await api.GetOnCallsAsync(schedule, "id", flat: true, date, cancellationToken);
                entries.AddRange((answer.Data?.OnCallRecipients ?? [])
                    .Where(r => r.Contains('@', StringComparison.Ordinal))
                    .Select(r => new OnCallEntry(r.Trim(), $"opsgenie:schedule:{schedule}", at, at + validFor)));
            }

            return (IReadOnlyList<OnCallEntry>)entries;
        });
    }
}
