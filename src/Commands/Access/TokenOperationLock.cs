namespace PscaleBot.Commands.Access;

/// <summary>
/// Serialises grant and revoke work on one token within this process, so a grant reading "already held"
/// cannot interleave with a revoke deleting the same permission. Several replicas need the same per token
/// across processes (a PostgreSQL store would take <c>pg_advisory_xact_lock(hash(org, token))</c>).
/// </summary>
public sealed class TokenOperationLock
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> gates = new(StringComparer.Ordinal);

    /// <summary>Waits for the token's turn; dispose the result to release it.</summary>
    public async Task<IDisposable> AcquireAsync(string organization, string tokenId, CancellationToken cancellationToken)
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

    private sealed class Releaser(TokenOperationLock owner, string key, SemaphoreSlim gate) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                gate.Release();
                owner.Leave(key);
            }
        }
    }
}
