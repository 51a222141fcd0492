namespace PscaleBot.Commands.Policy;

/// <summary>
/// File-system events for the policy file alone: its folder, filtered to its name, without subfolders. The default
/// layout keeps the stores under the policy's folder (<c>policy.yaml</c> next to <c>data/</c>), and a watcher of the
/// whole tree, as <c>PhysicalFileProvider</c>'s is, was woken by every write of the audit log and the ledgers, each
/// event sifted on a thread of its own. A ConfigMap's symlink swap raises no event here: <see cref="PolicyFilePoll"/>
/// sees that.
/// </summary>
internal sealed class PolicyFileWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;

    /// <summary>Calls <paramref name="changed"/> when the file at <paramref name="fullPath"/> is written, created, deleted or renamed.</summary>
    public PolicyFileWatcher(string fullPath, Action changed)
    {
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(fullPath)!, Path.GetFileName(fullPath))
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => changed();
        _watcher.Created += (_, _) => changed();
        _watcher.Deleted += (_, _) => changed();
        _watcher.Renamed += (_, _) => changed();
        // Events were lost (the kernel's queue overflowed): the file may have changed, so read it again.
        _watcher.Error += (_, _) => changed();
        _watcher.EnableRaisingEvents = true;
    }

    /// <inheritdoc />
    public void Dispose() => _watcher.Dispose();
}
