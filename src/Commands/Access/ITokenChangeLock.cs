namespace PscaleBot.Commands.Access;

/// <summary>
/// Serialises grant and revoke work on one token, so a grant reading "already held" cannot interleave with a
/// revoke deleting the same permission. In one process <see cref="TokenOperationLock"/> is enough; replicas sharing
/// a database need a lock every process sees (a PostgreSQL advisory lock).
/// </summary>
public interface ITokenChangeLock
{
    /// <summary>Waits for the token's turn; dispose the result to release it.</summary>
    /// <param name="organization">The token's organization.</param>
    /// <param name="tokenId">The token.</param>
    /// <param name="cancellationToken">Cancellation while waiting.</param>
    Task<IAsyncDisposable> AcquireAsync(string organization, string tokenId, CancellationToken cancellationToken);
}
