using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary>
/// The on-call roster named by the policy file's <c>oncall: schedule:</c>, followed across policy reloads: the
/// schedule in force is always the one the policy in force names. No <c>oncall:</c> section means nobody is on call.
/// Used when <see cref="AccessRequestOptions.RosterPath"/> is not set.
/// </summary>
public sealed class PolicyScheduleOnCallRoster(PolicyStore policy) : IOnCallRoster
{
    private readonly Lock gate = new();
    private ScheduleFileOnCallRoster? roster;
    private string? rosterPath;

    /// <inheritdoc />
    public Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (policy.Current.Document.OnCall?.SchedulePath is not { } path)
        {
            return Task.FromResult<OnCallShift?>(null);
        }

        ScheduleFileOnCallRoster current;
        lock (gate)
        {
            // One reader per path, so the file's parsed shifts are cached between requests.
            if (roster is null || !string.Equals(rosterPath, path, StringComparison.Ordinal))
            {
                roster = new ScheduleFileOnCallRoster(path);
                rosterPath = path;
            }

            current = roster;
        }

        return current.FindShiftAsync(who, at, cancellationToken);
    }
}
