using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// Several rosters asked in turn (the schedule file, then the on-call services): the first shift found wins. When none
/// finds one and a roster could not answer, its <see cref="OnCallRosterUnavailableException"/> is rethrown so the
/// approvers learn why auto-approval was skipped.
/// </summary>
public sealed class FirstOnCallRoster(IReadOnlyList<IOnCallRoster> rosters) : IOnCallRoster
{
    /// <inheritdoc />
    public async Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        foreach (var roster in rosters)
        {
            try
            {
                if (await roster.FindShiftAsync(who, at, cancellationToken) is { } shift)
                {
                    return shift;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure ??= ex;
            }
        }

        return failure is null ? null : throw failure;
    }
}
