using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>
/// How much of one sliding window each kind of call may fill, decided the same way on every replica. Reads may fill
/// <see cref="ReadShare"/> and changes <see cref="ChangeShare"/>, so a revocation on any replica always finds room.
/// Users' calls (changes and reads) are also owed <see cref="UserShare"/> of every window, as in the one-process budget:
/// while a user's call waits, revocations leave that much room, and a user's call may use it even when a storm of
/// revocations has filled the rest. Without it, a storm of 10,000 revocations kept two replicas' user reads waiting
/// past their 30 s time-out.
/// </summary>
/// <param name="Limit">Requests per window and credential.</param>
/// <param name="ReadShare">The most requests a window may hold for a read to be sent.</param>
/// <param name="ChangeShare">The most requests a window may hold for a change to be sent.</param>
/// <param name="UserShare">The requests of every window owed to users' calls while they wait.</param>
public sealed record SharedBudgetRule(int Limit, int ReadShare, int ChangeShare, int UserShare)
{
    /// <summary>The rule for <paramref name="limit"/> with the shares in percent (each share rounded down, at least one request).</summary>
    public static SharedBudgetRule For(int limit, SharedBudgetOptions options, int userSharePercent)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var readShare = Math.Max(1, limit * options.ReadSharePercent / 100);
        return new(limit, readShare, Math.Max(readShare, limit * options.ChangeSharePercent / 100), limit * userSharePercent / 100);
    }

    /// <summary>
    /// The most requests the window may already hold for a call of <paramref name="priority"/> to be sent, given the
    /// <paramref name="users"/>' requests in it and whether users' calls are waiting on some replica.
    /// </summary>
    public int Cap(PlanetScaleCallPriority priority, int users, bool usersWaiting) => priority switch
    {
        PlanetScaleCallPriority.Revocation => usersWaiting ? Limit - Math.Max(UserShare - users, 0) : Limit,
        _ when users < UserShare => Limit,
        PlanetScaleCallPriority.Change => ChangeShare,
        _ => ReadShare,
    };
}
