namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// The PlanetScale operations the bot performs, in domain terms. The Refit client implements it;
/// the executor and tests depend only on this. Failures surface as <see cref="PlanetScaleApiException"/>.
/// </summary>
public interface IPlanetScaleService
{
    /// <summary>All tokens of the organization, following every page.</summary>
    Task<IReadOnlyList<ServiceToken>> ListTokensAsync(string organization, CancellationToken cancellationToken);

    /// <summary>Creates a token; the result carries its secret, once.</summary>
    Task<ServiceToken> CreateTokenAsync(string organization, string? name, TimeSpan? ttl, CancellationToken cancellationToken);

    /// <summary>One token (never with its secret).</summary>
    Task<ServiceToken> GetTokenAsync(string organization, string tokenId, CancellationToken cancellationToken);

    /// <summary>Deletes a token.</summary>
    Task DeleteTokenAsync(string organization, string tokenId, CancellationToken cancellationToken);

    /// <summary>The token's access rows, one per permission.</summary>
    Task<IReadOnlyList<TokenAccess>> GetAccessAsync(string organization, string tokenId, CancellationToken cancellationToken);

    /// <summary>Adds permissions on a database (or on the organization when <paramref name="database"/> is null); returns the token's access rows afterwards.</summary>
    Task<IReadOnlyList<TokenAccess>> AddAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken);

    /// <summary>Removes permissions on a database (or on the organization when <paramref name="database"/> is null).</summary>
    Task DeleteAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken);

    /// <summary>The token's permissions grouped per resource.</summary>
    Task<IReadOnlyList<TokenGrant>> GetGrantsAsync(string organization, string tokenId, CancellationToken cancellationToken);

    /// <summary>The organizations the bot's credentials can see.</summary>
    Task<IReadOnlyList<string>> ListOrganizationsAsync(CancellationToken cancellationToken);

    /// <summary>The names of the organization's databases, following every page.</summary>
    Task<IReadOnlyList<string>> ListDatabasesAsync(string organization, CancellationToken cancellationToken);

    /// <summary>
    /// The newest <paramref name="limit"/> <c>service_token.*</c> events of the organization's audit log, newest first,
    /// following cursor pages (at most <c>PlanetScale:MaxPages</c>). A service without an audit log says so.
    /// </summary>
    Task<IReadOnlyList<PlanetScaleAuditEvent>> ListServiceTokenEventsAsync(string organization, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This PlanetScale service does not read the audit log.");
}

/// <summary>A token secret. Its <see cref="ToString"/> never reveals it, so it cannot leak through logs or interpolation.</summary>
public sealed class TokenSecret(string value)
{
    /// <summary>The plaintext; call only where it is sent privately to the requester.</summary>
    public string Reveal() => value;

    /// <inheritdoc />
    public override string ToString() => "pscale_tkn_[REDACTED]";
}

/// <summary>A PlanetScale service token.</summary>
/// <param name="Id">The 12-character id.</param>
/// <param name="Name">The optional name.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working, if created with a TTL.</param>
/// <param name="LastUsedAt">Last use, if any.</param>
/// <param name="Secret">The plaintext token: only in the answer to create.</param>
public sealed record ServiceToken(
    string Id,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    TokenSecret? Secret = null);

/// <summary>The kind of resource a permission applies to.</summary>
public enum ResourceKind
{
    /// <summary>A database (<c>--database</c> given).</summary>
    Database,
    /// <summary>The organization.</summary>
    Organization,
}

/// <summary>One access row: one permission on one resource.</summary>
public sealed record TokenAccess(string Id, string Permission, ResourceKind ResourceKind, string ResourceName);

/// <summary>A token's permissions on one resource.</summary>
public sealed record TokenGrant(string ResourceName, ResourceKind ResourceKind, IReadOnlyList<string> Permissions);

/// <summary>How a PlanetScale call failed, in terms the bot words for people.</summary>
public enum PlanetScaleErrorKind
{
    /// <summary>404: not found, or the bot's credentials lack the permission.</summary>
    NotFound,
    /// <summary>401: the bot's credentials are invalid or expired.</summary>
    Unauthorized,
    /// <summary>403: the bot's credentials may not do this.</summary>
    Forbidden,
    /// <summary>400/422: the request was invalid.</summary>
    Invalid,
    /// <summary>429 after the retries allowed.</summary>
    RateLimited,
    /// <summary>5xx after the retries allowed.</summary>
    ServerError,
    /// <summary>No answer within the timeout.</summary>
    Timeout,
    /// <summary>An answer that could not be read.</summary>
    Malformed,
    /// <summary>The API could not be reached.</summary>
    Unreachable,
}

/// <summary>A failed PlanetScale call. The message is safe to show: it never contains credentials.</summary>
public sealed class PlanetScaleApiException(
    PlanetScaleErrorKind kind,
    string message,
    int? statusCode = null,
    string? apiCode = null,
    string? requestId = null,
    Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>What went wrong.</summary>
    public PlanetScaleErrorKind Kind { get; } = kind;
    /// <summary>The HTTP status, when there was an answer.</summary>
    public int? StatusCode { get; } = statusCode;
    /// <summary>The <c>code</c> of the <c>{code,message}</c> body, when there was one.</summary>
    public string? ApiCode { get; } = apiCode;
    /// <summary>PlanetScale's request id, for support.</summary>
    public string? RequestId { get; } = requestId;
}

/// <summary>
/// Collects the PlanetScale request ids of the calls made while one command runs, so the audit log
/// can name them. The HTTP client records into <see cref="Current"/>; the executor opens a scope per command.
/// </summary>
public sealed class PlanetScaleCallContext
{
    private static readonly AsyncLocal<PlanetScaleCallContext?> CurrentContext = new();
    private readonly List<string> requestIds = [];
    private TimeSpan? oldestCachedAnswer;

    /// <summary>The scope of the command running on this async flow, if any.</summary>
    public static PlanetScaleCallContext? Current => CurrentContext.Value;

    /// <summary>Opens a scope; dispose it to restore the previous one.</summary>
    public static Scope Begin()
    {
        var previous = CurrentContext.Value;
        var context = new PlanetScaleCallContext();
        CurrentContext.Value = context;
        return new Scope(context, previous);
    }

    /// <summary>Records one request id (thread-safe).</summary>
    public void RecordRequestId(string requestId)
    {
        lock (requestIds)
        {
            requestIds.Add(requestId);
        }
    }

    /// <summary>Records that an answer came from the read cache past its TTL, <paramref name="age"/> old (thread-safe).</summary>
    public void RecordCachedAnswer(TimeSpan age)
    {
        lock (requestIds)
        {
            oldestCachedAnswer = oldestCachedAnswer is { } oldest && oldest >= age ? oldest : age;
        }
    }

    /// <summary>The age of the oldest answer served from cache past its TTL, or null when every answer was fresh.</summary>
    public TimeSpan? OldestCachedAnswer
    {
        get
        {
            lock (requestIds)
            {
                return oldestCachedAnswer;
            }
        }
    }

    /// <summary>The ids recorded so far.</summary>
    public IReadOnlyList<string> RequestIds
    {
        get
        {
            lock (requestIds)
            {
                return [.. requestIds];
            }
        }
    }

    /// <summary>An open scope.</summary>
    public sealed class Scope(PlanetScaleCallContext context, PlanetScaleCallContext? previous) : IDisposable
    {
        /// <summary>The context of this scope.</summary>
        public PlanetScaleCallContext Context { get; } = context;

        /// <inheritdoc />
        public void Dispose() => CurrentContext.Value = previous;
    }
}
