using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class PolicyFileWatcherTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("policy-watch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Writes_beside_the_policy_and_under_its_folder_wake_nothing_and_a_policy_write_does()
    {
        // The default layout: policy.yaml with the stores in data/ below it, written on every command.
        var policy = Path.Combine(_folder, "policy.yaml");
        await File.WriteAllTextAsync(policy, "roles: {}\n");
        var data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        var changes = 0;
        var changed = new SemaphoreSlim(0);
        using var watcher = new PolicyFileWatcher(policy, () =>
        {
            Interlocked.Increment(ref changes);
            changed.Release();
        });

        for (var i = 0; i < 20; i++)
        {
            await File.AppendAllTextAsync(Path.Combine(data, "audit.db"), "row\n");
            await File.AppendAllTextAsync(Path.Combine(_folder, "audit.db-wal"), "row\n");
        }

        // inotify delivers within milliseconds; a watcher of the tree would have been called by now.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, Volatile.Read(ref changes));

        await File.AppendAllTextAsync(policy, "# edited\n");
        Assert.True(await changed.WaitAsync(TimeSpan.FromSeconds(10)), "the policy's own write was not reported");
    }
}
