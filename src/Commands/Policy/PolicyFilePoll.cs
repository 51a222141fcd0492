using System.Security.Cryptography;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Reads the policy file every <see cref="PolicyOptions.ReloadInterval"/> and reports when its content changed. File
/// events miss a Kubernetes ConfigMap update: the kubelet swaps the <c>..data</c> symlink the file points through, so
/// the watched name never changes. Comparing a hash of the content (through the symlinks) sees every kind of update.
/// </summary>
internal sealed class PolicyFilePoll : IDisposable
{
    private readonly string _path;
    private readonly Action _changed;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private byte[] _seen;

    /// <summary>Takes the file's current content as seen, then polls every <paramref name="interval"/>.</summary>
    public PolicyFilePoll(string path, TimeSpan interval, TimeProvider time, Action changed)
    {
        _path = path;
        _changed = changed;
        _seen = Fingerprint(path);
        _timer = time.CreateTimer(_ => Poll(), null, interval, interval);
    }

    /// <summary>Takes the content as it is now as seen (after a reload), so a change is reported once.</summary>
    public void Rebaseline()
    {
        var now = Fingerprint(_path);
        lock (_gate)
        {
            _seen = now;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Poll()
    {
        var now = Fingerprint(_path);
        lock (_gate)
        {
            if (now.AsSpan().SequenceEqual(_seen))
            {
                return;
            }

            _seen = now;
        }

        _changed();
    }

    // A missing or unreadable file has an empty fingerprint: its return is a change too.
    private static byte[] Fingerprint(string path)
    {
        try
        {
            return SHA256.HashData(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
