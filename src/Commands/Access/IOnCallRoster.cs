using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Access;

/// <summary>One on-call shift: <see cref="Who"/> (a qualified user or group id) is on call from <see cref="From"/> until <see cref="Until"/>.</summary>
public sealed record OnCallShift(string Who, DateTimeOffset From, DateTimeOffset Until)
{
    /// <summary>Whether the shift covers <paramref name="at"/> (start inclusive, end exclusive).</summary>
    public bool Covers(DateTimeOffset at) => at >= From && at < Until;
}

/// <summary>Who is on call. A schedule file implements it; a PagerDuty or Opsgenie client can too.</summary>
public interface IOnCallRoster
{
    /// <summary>The shift covering <paramref name="who"/> (by user id or one of their group ids) at <paramref name="at"/>, or null.</summary>
    Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The roster when none is configured: nobody is on call, so nobody is approved automatically.</summary>
public sealed class EmptyOnCallRoster : IOnCallRoster
{
    /// <inheritdoc />
    public Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult<OnCallShift?>(null);
}
