namespace PscaleBot.Commands.Rotation;

/// <summary><see cref="ITokenRetirementStore"/> in memory, for tests; lost on restart, so never the bot's own.</summary>
public sealed class InMemoryTokenRetirementStore : ITokenRetirementStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, TokenRetirement> rows = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task InsertAsync(TokenRetirement retirement, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!rows.TryAdd(retirement.Id, retirement))
            {
                throw new InvalidOperationException($"A scheduled deletion with id {retirement.Id} already exists.");
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TokenRetirement?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(rows.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<TokenRetirement?> FindOpenAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(rows.Values.FirstOrDefault(r => r.IsOpen && r.Organization == organization && r.OldTokenId == tokenId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRetirement>> ListOpenAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<TokenRetirement>>([.. rows.Values.Where(r => r.IsOpen).OrderBy(r => r.DueAt)]);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryUpdateAsync(TokenRetirement retirement, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!rows.TryGetValue(retirement.Id, out var stored) || stored.Version != expectedVersion)
            {
                return Task.FromResult(false);
            }

            rows[retirement.Id] = retirement with { Version = expectedVersion + 1 };
            return Task.FromResult(true);
        }
    }
}
