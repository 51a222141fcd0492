namespace PscaleBot.Commands.Rotation;

/// <summary>
/// Durable scheduled deletions of rotated-out tokens. Updates are compare-and-set on <c>Version</c>: true when the
/// stored row still had <c>expectedVersion</c> (it then gets version + 1); false means someone changed it first.
/// </summary>
public interface ITokenRetirementStore
{
    /// <summary>Stores a new scheduled deletion.</summary>
    Task InsertAsync(TokenRetirement retirement, CancellationToken cancellationToken);

    /// <summary>One scheduled deletion, or null.</summary>
    Task<TokenRetirement?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The open (scheduled or deleting) deletion of <paramref name="tokenId"/>, or null.</summary>
    Task<TokenRetirement?> FindOpenAsync(string organization, string tokenId, CancellationToken cancellationToken);

    /// <summary>Every open deletion, soonest first.</summary>
    Task<IReadOnlyList<TokenRetirement>> ListOpenAsync(CancellationToken cancellationToken);

    /// <summary>Replaces it if its stored version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> TryUpdateAsync(TokenRetirement retirement, long expectedVersion, CancellationToken cancellationToken);
}
