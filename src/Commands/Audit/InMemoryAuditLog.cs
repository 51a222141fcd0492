namespace PscaleBot.Commands.Audit;

/// <summary>
/// A bounded, thread-safe audit log kept in memory: for tests and for a shell run without a store.
/// The oldest entries are dropped past <see cref="Capacity"/>.
/// </summary>
/// <param name="capacity">Entries kept at most.</param>
public sealed class InMemoryAuditLog(int capacity = 10_000) : IAuditLog
{
    private readonly LinkedList<AuditEntry> entries = new();

    /// <summary>Entries kept at most.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <inheritdoc />
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => AppendManyAsync([entry], cancellationToken);

    /// <inheritdoc />
    public Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (this.entries)
        {
            foreach (var entry in entries)
            {
                this.entries.AddFirst(entry);
            }

            while (this.entries.Count > Capacity)
            {
                this.entries.RemoveLast();
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. entries.Take(Math.Max(0, limit))]);
        }
    }
}
