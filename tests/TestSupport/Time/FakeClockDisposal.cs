using Microsoft.Extensions.Time.Testing;

namespace PscaleBot.TestSupport.Time;

/// <summary>
/// Disposes a host or container that runs on a <see cref="FakeTimeProvider"/>, moving the clock on while it waits.
/// </summary>
/// <remarks>
/// Polly's pipelines, when their registry is disposed, wait for executions still under way by polling on the
/// pipeline's own <see cref="TimeProvider"/> (a one-second delay, for up to 30 seconds of that clock). On a fake clock
/// nobody advances, that wait never ends and the test run hangs. Here the clock moves a second at a time, only while
/// the disposal has not finished, so Polly's 30 seconds pass in well under a second of real time.
/// </remarks>
public static class FakeClockDisposal
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RealPause = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs <paramref name="dispose"/>; when <paramref name="clock"/> is fake, advances it until the disposal ends.</summary>
    public static async Task DisposeAsync(TimeProvider? clock, Func<ValueTask> dispose)
    {
        ArgumentNullException.ThrowIfNull(dispose);
        var disposal = dispose().AsTask();
        if (clock is FakeTimeProvider fake)
        {
            while (await Task.WhenAny(disposal, Task.Delay(RealPause)) != disposal)
            {
                fake.Advance(Tick);
            }
        }

        await disposal;
    }
}
