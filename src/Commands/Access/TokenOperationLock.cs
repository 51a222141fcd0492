namespace PscaleBot.Commands.Access;

/// <summary>
/// Serialises grant and revoke work on one token within this process, so a grant reading "already held"
/// cannot interleave with a revoke deleting the same permission. Several replicas need the same per token
/// across processes: the PostgreSQL host registers an advisory lock instead.
/// </summary>
public sealed class TokenOperationLock : ITokenChangeLock
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> gates = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        var key = organization + "/" + tokenId;
        SemaphoreSlim gate;
        lock (gates)
        {
            var entry = gates.TryGetValue(key, out var existing) ? existing : (Gate: new SemaphoreSlim(1, 1), Users: 0);
            gates[key] = (entry.Gate, entry.Users + 1);
            gate = entry.Gate;
        }

        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key);
            throw;
        }

        return new Releaser(this, key, gate);
    }

    private void Leave(string key)
    {
        lock (gates)
        {
            var entry = gates[key];
            if (entry.Users == 1)
            {
                gates.Remove(key);
                entry.Gate.Dispose();
            }
            else
            {
                gates[key] = (entry.Gate, entry.Users - 1);
            }
        }
    }

    private sealed class Releaser(TokenOperationLock owner, string key, SemaphoreSlim gate) : IAsyncDisposable
    {
        private int disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                gate.Release();
                owner.Leave(key);
            }

            return ValueTask.CompletedTask;
        }
    }
}
