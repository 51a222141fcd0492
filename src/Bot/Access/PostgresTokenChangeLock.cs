using Npgsql;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Access;

/// <summary>
/// Serialises grant and revoke on one token across every replica sharing the PostgreSQL database: a transaction
/// holding <c>pg_advisory_xact_lock</c> on a 64-bit hash of organization and token, committed on release. Should the
/// holder die, PostgreSQL ends its session and frees the lock, so no replica waits on a dead one. Waiters of this
/// process queue on an in-process gate first, so a burst on one token holds one connection, not one per waiter.
/// </summary>
public sealed class PostgresTokenChangeLock(NpgsqlDataSource dataSource) : ITokenChangeLock
{
    // A prefix of our own keeps these keys apart from any other advisory lock sharing the database.
    private const string KeyPrefix = "pscalebot.token-change:";
    private readonly TokenOperationLock local = new();

    /// <summary>The text whose 64-bit hash is the advisory lock key of one token (a test holds it to stall a revoke).</summary>
    internal static string KeyOf(string organization, string tokenId) => KeyPrefix + organization + "/" + tokenId;

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        var gate = await local.AcquireAsync(organization, tokenId, cancellationToken);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", connection, transaction))
            {
                command.Parameters.AddWithValue("key", KeyOf(organization, tokenId));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new Held(gate, connection, transaction);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            await gate.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(IAsyncDisposable gate, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private int disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            try
            {
                // Ending the transaction releases the advisory lock; should the database be gone, closing the
                // connection ends the session and PostgreSQL frees the lock with it.
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // Nothing was written in this transaction, so there is nothing to lose; the close below frees the lock.
            }
            finally
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
                await gate.DisposeAsync();
            }
        }
    }
}
