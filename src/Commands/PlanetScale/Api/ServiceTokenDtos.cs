namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>The ServiceToken object of create, get and list. Nullable wherever the API may send null or omit the field.</summary>
/// <param name="Id">The 12-character id.</param>
/// <param name="Type">Usually <c>ServiceToken</c>.</param>
/// <param name="Name">The optional name.</param>
/// <param name="DisplayName">The name, or the id when there is none.</param>
/// <param name="Token">The plaintext secret: only in the answer to create.</param>
/// <param name="PlainTextRefreshToken">A refresh token: only in the answer to create; the bot never uses it.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last update.</param>
/// <param name="ExpiresAt">Expiry, when created with a TTL.</param>
/// <param name="LastUsedAt">Last use.</param>
/// <param name="ActorId">Who created it.</param>
/// <param name="ActorDisplayName">Who created it, for people.</param>
/// <param name="ActorType">The kind of creator.</param>
/// <param name="ServiceTokenAccesses">The token's access rows, on get.</param>
public sealed record ServiceTokenDto(
    string? Id,
    string? Type,
    string? Name,
    string? DisplayName,
    string? Token,
    string? PlainTextRefreshToken,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? ActorId,
    string? ActorDisplayName,
    string? ActorType,
    IReadOnlyList<TokenAccessDto>? ServiceTokenAccesses)
{
    // The compiler-generated ToString would print Token; a DTO that reaches a log line must not carry the secret with it.
    /// <inheritdoc />
    public override string ToString() => $"ServiceTokenDto {{ Id = {Id}, Name = {Name} }}";
}

/// <summary>Body of <c>POST /organizations/{org}/service-tokens</c>; null fields are left out, as the Go SDK does.</summary>
/// <param name="Name">Optional name.</param>
/// <param name="Ttl">Optional lifetime in seconds.</param>
public sealed record CreateServiceTokenRequest(string? Name, long? Ttl);
