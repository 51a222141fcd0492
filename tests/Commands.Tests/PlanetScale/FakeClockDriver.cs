using Microsoft.Extensions.Time.Testing;

namespace PscaleBot.Commands.Tests.PlanetScale;

/// <summary>
/// Moves a fake clock on while calls run, one step at a time, and only once the process has gone quiet: no queued
/// thread-pool work and none completed during a short pause. Stepping on a wall-clock cadence instead let the fake clock
/// race ahead of continuations on a loaded machine (an attempt timeout or total timeout fired before the retry's next
/// request was even sent, a Retry-After was read seconds "late"), which made timing assertions depend on CPU load.
/// </summary>
internal static class FakeClockDriver
{
    private const int MaxQuietChecks = 50;

    /// <summary>Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="task"/> completes (at most 600 steps).</summary>
    public static async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        for (var i = 0; i < 600 && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(1));
            if (task.IsCompleted)
            {
                break;
            }

            WaitUntilQuiet();
            if (!task.IsCompleted)
            {
                time.Advance(step);
            }
        }

        return await task;
    }

    // Blocks this (test) thread briefly on purpose: an await here would itself be thread-pool work and never look quiet.
    private static void WaitUntilQuiet()
    {
        for (var check = 0; check < MaxQuietChecks; check++)
        {
            var before = ThreadPool.CompletedWorkItemCount;
            Thread.Sleep(2);
            if (ThreadPool.PendingWorkItemCount == 0 && ThreadPool.CompletedWorkItemCount == before)
            {
                return;
            }
        }
    }
}
