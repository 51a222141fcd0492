using System.Diagnostics;
using System.Globalization;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// One server of a run as it is deployed: one process, or (a bot on PostgreSQL) <see cref="ServerSpec.Replicas"/>
/// processes on the same <see cref="BotStorage"/>, sandbox and Slack, each in its own folder under the run's (as each
/// replica has its own disk in production). Every process is killed on dispose; the storage is the caller's.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly List<ServerProcess> processes;

    private RunningServer(List<ServerProcess> processes, List<Uri> roots)
    {
        this.processes = processes;
        Roots = roots;
    }

    /// <summary>Each process's root URL, in replica order (commands go round-robin over them).</summary>
    public IReadOnlyList<Uri> Roots { get; }

    /// <summary>Starts every process of <paramref name="server"/> (not waiting for readiness).</summary>
    public static async Task<RunningServer> StartAsync(ServerSpec server, StandaloneSandbox sandbox, LoadSlack slack, BotStorage storage, string runPath)
    {
        var processes = new List<ServerProcess>();
        var roots = new List<Uri>();
        var running = new RunningServer(processes, roots);
        try
        {
            for (var replica = 1; replica <= server.Replicas; replica++)
            {
                var folder = server.Replicas == 1 ? runPath : Directory.CreateDirectory(Path.Combine(runPath, $"replica-{replica.ToString(CultureInfo.InvariantCulture)}")).FullName;
                var (process, root) = ServerUnderLoad.Start(server, sandbox, slack, folder, storage.Settings(replica));
                processes.Add(process);
                roots.Add(root);
            }
        }
        catch
        {
            await running.DisposeAsync(); // the replicas already started must not outlive a failed start
            throw;
        }

        return running;
    }

    /// <summary>
    /// Waits until every process answers 200 on <c>/readyz</c>; returns the quickest and the slowest process's time
    /// from its own start to ready, in ms (the same number twice for one process).
    /// </summary>
    public async Task<(double FirstMs, double LastMs)> WaitUntilReadyAsync(TimeSpan timeout)
    {
        var ready = await Task.WhenAll(processes.Select(async (p, i) =>
            Stopwatch.GetElapsedTime(p.StartedAt, await p.WaitUntilReadyAsync(new Uri(Roots[i], "/readyz"), timeout)).TotalMilliseconds));
        return (ready.Min(), ready.Max());
    }

    /// <summary>The sum of the processes' peak RSS in MB (each process peaks on its own); null when /proc does not tell.</summary>
    public double? PeakRssMegabytes()
    {
        var peaks = processes.Select(p => p.PeakRssMegabytes()).ToList();
        return peaks.Any(p => p is null) ? null : peaks.Sum();
    }

    /// <summary>The CPU time of every process together so far; null when one of them cannot tell.</summary>
    public TimeSpan? CpuTime()
    {
        var times = processes.Select(p => p.CpuTime()).ToList();
        return times.Any(t => t is null) ? null : times.Aggregate(TimeSpan.Zero, (sum, t) => sum + t!.Value);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));
}
