using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Commands.Tests.Access;

/// <summary>The grantor tells the rate budget what its PlanetScale calls are for.</summary>
public sealed class GrantorPriorityTests
{
    [Fact]
    public async Task Ending_a_grant_runs_in_a_revocation_scope()
    {
        var store = DispatchProxy.Create<IAccessStore, RecordingStore>();
        var grantor = new AccessGrantor(
            DispatchProxy.Create<IPlanetScaleService, RefusingPlanetScale>(), store, new TokenOperationLock(), new AccessWakeSignal(), new FakeTimeProvider());

        Assert.Null(await grantor.EndAsync("grant00000001", AccessGrantState.Expired, "revoker", onlyIfDue: true, CancellationToken.None));

        Assert.Equal(PlanetScaleCallPriority.Revocation, ((RecordingStore)(object)store).SeenPriority);
        Assert.Null(PlanetScalePriority.Current);
    }

    /// <summary>Knows no grant, and notes the priority scope open when it is asked.</summary>
    public class RecordingStore : DispatchProxy
    {
        public PlanetScaleCallPriority? SeenPriority { get; private set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IAccessStore.GetGrantAsync))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            SeenPriority = PlanetScalePriority.Current;
            return Task.FromResult<AccessGrant?>(null);
        }
    }

    /// <summary>Not reached: there is no grant to end.</summary>
    public class RefusingPlanetScale : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new NotSupportedException(targetMethod?.Name);
    }
}
