using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.PlanetScale.Api;
using PscaleBot.Commands.PlanetScale.Budget;
using PscaleBot.Commands.PlanetScale.Http;
using PscaleBot.Commands.PlanetScale.Reads;
using PscaleBot.Commands.Text;
using Refit;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// <see cref="IPlanetScaleService"/> over the Refit <see cref="IPlanetScaleApi"/>: follows every page, maps the API's
/// objects to the domain records, and turns every failure into a <see cref="PlanetScaleApiException"/> worded for people.
/// Reads go through <see cref="PlanetScaleReadShare"/> (coalesced, briefly cached); every change drops the cached
/// answers about its organization, whether it succeeded or not (a failed change may still have taken effect).
/// </summary>
public sealed partial class PlanetScaleService : IPlanetScaleService
{
    private readonly IPlanetScaleApi api;
    private readonly PlanetScaleOptions options;
    private readonly PlanetScaleErrorTranslator translator;
    private readonly ILogger<PlanetScaleService> logger;
    private readonly TimeProvider timeProvider;
    private readonly PlanetScaleReadShare reads;
    private readonly string credential;
    private readonly DependencyOutage outage;

    /// <summary>Creates the service; <paramref name="outages"/> (a singleton) makes an outage be logged once, not per call.</summary>
    public PlanetScaleService(
        IPlanetScaleApi api, IOptions<PlanetScaleOptions> options, PlanetScaleReadShare reads, TimeProvider timeProvider, ILogger<PlanetScaleService> logger,
        DependencyOutages? outages = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.api = api;
        this.reads = reads;
        this.timeProvider = timeProvider;
        this.options = options.Value;
        this.logger = logger;
        translator = new PlanetScaleErrorTranslator(this.options);
        credential = PlanetScaleCredentialKey.Of(this.options);
        outage = (outages ?? new DependencyOutages(NullLoggerFactory.Instance, timeProvider))
            .For("The PlanetScale API", "commands that need it are answered with the failure and audited as errors", typeof(PlanetScaleService).FullName!);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ServiceToken>> ListTokensAsync(string organization, CancellationToken cancellationToken) =>
        ReadAsync(organization, "service-tokens", null, PlanetScaleOperation.ListTokens(organization), async ct =>
        {
            var tokens = await PlanetScalePager.CollectAsync(
                (page, perPage, c) => api.ListServiceTokensAsync(organization, page, perPage, c), options.MaxPages, "service tokens", ct).ConfigureAwait(false);
            return (IReadOnlyList<ServiceToken>)[.. tokens.Select(t => ToToken(t, withSecret: false))];
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ServiceToken> CreateTokenAsync(string organization, string? name, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        long? ttlSeconds = null;
        if (ttl is { } lifetime)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(ttl));
            ttlSeconds = (long)Math.Ceiling(lifetime.TotalSeconds);
        }

        var request = new CreateServiceTokenRequest(string.IsNullOrWhiteSpace(name) ? null : name, ttlSeconds);
        return ChangeAsync(organization, null, PlanetScaleOperation.CreateToken(organization), async ct =>
        {
            var created = await api.CreateServiceTokenAsync(organization, request, ct).ConfigureAwait(false);
            var token = ToToken(created, withSecret: true);
            if (token.Secret is null)
            {
                throw new PlanetScaleAnswerException("the new token's secret was missing, and PlanetScale shows it only once; delete the token and create another");
            }

            return token;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ServiceToken> GetTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        ReadAsync(organization, "service-token/" + tokenId, tokenId, PlanetScaleOperation.GetToken(organization, tokenId), async ct =>
            ToToken(await api.GetServiceTokenAsync(organization, tokenId, ct).ConfigureAwait(false), withSecret: false), cancellationToken);

    /// <inheritdoc />
    public Task DeleteTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(organization, null, PlanetScaleOperation.DeleteToken(organization, tokenId), async ct =>
        {
            await api.DeleteServiceTokenAsync(organization, tokenId, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenAccess>> GetAccessAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        ReadAsync(organization, "access/" + tokenId, tokenId, PlanetScaleOperation.GetAccess(organization, tokenId), ct => FetchAccessAsync(organization, tokenId, ct), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Whether PlanetScale's POST answer lists all of the token's rows or only the new ones is not documented, so the
    /// rows are read again with GET; if that read fails, the POST's own rows are returned (the change did happen).
    /// </remarks>
    public async Task<IReadOnlyList<TokenAccess>> AddAccessAsync(
        string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        var request = AccessRequest(database, permissions);
        // The re-read below decides nothing, but it is the user's own change: it must not queue behind other reads.
        using var priority = PlanetScalePriority.Change();
        var added = await ChangeAsync(organization, tokenId, PlanetScaleOperation.AddAccess(organization, tokenId, database), async ct =>
        {
            var answer = await api.AddServiceTokenAccessAsync(organization, tokenId, request, ct).ConfigureAwait(false);
            return answer.Data is null
                ? throw new PlanetScaleAnswerException("the list of access rows had no `data`")
                : (IReadOnlyList<TokenAccess>)[.. answer.Data.Select(row => ToAccess(row, organization))];
        }, cancellationToken).ConfigureAwait(false);

        try
        {
            return await GetAccessAsync(organization, tokenId, cancellationToken).ConfigureAwait(false);
        }
        catch (PlanetScaleApiException exception)
        {
            LogReReadFailed(logger, exception.Kind, exception.RequestId);
            return added;
        }
    }

    /// <inheritdoc />
    public Task DeleteAccessAsync(
        string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        var request = AccessRequest(database, permissions);
        return ChangeAsync(organization, tokenId, PlanetScaleOperation.DeleteAccess(organization, tokenId, database), async ct =>
        {
            await api.DeleteServiceTokenAccessAsync(organization, tokenId, request, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenGrant>> GetGrantsAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        ReadAsync(organization, "grants/" + tokenId, tokenId, PlanetScaleOperation.GetGrants(organization, tokenId), async ct =>
        {
            var grants = await PlanetScalePager.CollectAsync(
                (page, perPage, c) => api.GetServiceTokenGrantsAsync(organization, tokenId, page, perPage, c), options.MaxPages, "grants", ct).ConfigureAwait(false);
            return (IReadOnlyList<TokenGrant>)[.. grants.Select(g => PlanetScaleGrantMapping.ToGrant(g, organization))];
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListOrganizationsAsync(CancellationToken cancellationToken) =>
        ReadAsync(null, "organizations", null, PlanetScaleOperation.ListOrganizations(), async ct =>
        {
            var organizations = await PlanetScalePager.CollectAsync(
                (page, perPage, c) => api.ListOrganizationsAsync(page, perPage, c), options.MaxPages, "organizations", ct).ConfigureAwait(false);
            return (IReadOnlyList<string>)[.. organizations.Select(o => o.Name).OfType<string>()];
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListDatabasesAsync(string organization, CancellationToken cancellationToken) =>
        ReadAsync(organization, "databases", null, PlanetScaleOperation.ListDatabases(organization), async ct =>
        {
            var databases = await PlanetScalePager.CollectAsync(
                (page, perPage, c) => api.ListDatabasesAsync(organization, page, perPage, c), options.MaxPages, "databases", ct).ConfigureAwait(false);
            return (IReadOnlyList<string>)[.. databases.Select(d => d.Name).OfType<string>()];
        }, cancellationToken);

    private async Task<IReadOnlyList<TokenAccess>> FetchAccessAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        var rows = await PlanetScalePager.CollectAsync(
            (page, perPage, c) => api.GetServiceTokenAccessAsync(organization, tokenId, page, perPage, c), options.MaxPages, "access rows", cancellationToken)
            .ConfigureAwait(false);
        return [.. rows.Select(row => ToAccess(row, organization))];
    }

    private static ServiceTokenAccessRequest AccessRequest(string? database, IReadOnlyList<string> permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        if (permissions.Count == 0 || permissions.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("At least one permission name is required, and none may be blank.", nameof(permissions));
        }

        // The API always wants "database": an empty string means the organization (as the CLI sends it).
        return new ServiceTokenAccessRequest(database ?? "", [.. permissions]);
    }

    private static ServiceToken ToToken(ServiceTokenDto dto, bool withSecret)
    {
        if (string.IsNullOrEmpty(dto.Id))
        {
            throw new PlanetScaleAnswerException("a service token had no `id`");
        }

        if (dto.CreatedAt is not { } createdAt)
        {
            throw new PlanetScaleAnswerException($"service token `{dto.Id}` had no `created_at`");
        }

        // Only the answer to create may carry the secret; anywhere else a stray value is ignored rather than passed on.
        var secret = withSecret && !string.IsNullOrEmpty(dto.Token) ? new TokenSecret(dto.Token) : null;
        return new ServiceToken(dto.Id, string.IsNullOrEmpty(dto.Name) ? null : dto.Name, createdAt, dto.ExpiresAt, dto.LastUsedAt, secret);
    }

    private static TokenAccess ToAccess(TokenAccessDto dto, string organization)
    {
        if (string.IsNullOrWhiteSpace(dto.Access))
        {
            throw new PlanetScaleAnswerException("an access row had no `access` (permission name)");
        }

        var typeText = dto.Resource?.Type ?? dto.ResourceType;
        var kind = ResourceKindReader.Read(typeText) ?? ResourceKindReader.Read(dto.Type)
            ?? throw PlanetScaleGrantMapping.UnknownKind(typeText ?? dto.Type, dto.Access);
        var name = dto.Resource?.Name ?? dto.ResourceName;
        if (string.IsNullOrEmpty(name))
        {
            // An organization row is about the organization in the path; a database row must say which database.
            name = kind == ResourceKind.Organization ? organization : throw new PlanetScaleAnswerException($"the `{dto.Access}` row named no database");
        }

        return new TokenAccess(dto.Id ?? "", dto.Access, kind, name);
    }

    private Task<T> ReadAsync<T>(
        string? organization, string endpoint, string? tokenId, PlanetScaleOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class =>
        // The whole call (every page, the 404 diagnosis, the wording) is shared, so every waiter gets the same answer or message.
        reads.ReadAsync(new PlanetScaleReadKey(credential, organization, endpoint, tokenId), ct => CallAsync(operation, call, ct), cancellationToken);

    // tokenId: the token whose access changes (only its answers are dropped); null when tokens are created or deleted.
    private async Task<T> ChangeAsync<T>(
        string organization, string? tokenId, PlanetScaleOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var priority = PlanetScalePriority.Change();
        try
        {
            return await CallAsync(operation, call, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            reads.Invalidate(credential, organization, tokenId);
        }
    }

    private async Task<T> CallAsync<T>(PlanetScaleOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var result = await call(cancellationToken).ConfigureAwait(false);
            outage.Succeeded();
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is ApiRequestException || IsTranslatable(exception))
        {
            var translated = await TranslateAsync(operation, Unwrap(exception), cancellationToken).ConfigureAwait(false);
            if (IsOutage(translated.Kind))
            {
                // PlanetScale itself is down, slow or refusing: once per outage, not once per command.
                outage.Failed($"{translated.Kind} while trying to {operation.Action}, status {translated.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, request id {translated.RequestId ?? "none"}");
            }
            else
            {
                LogFailure(logger, operation.Action, translated.Kind, translated.StatusCode, translated.RequestId);
            }

            throw translated;
        }
    }

    private static bool IsOutage(PlanetScaleErrorKind kind) => kind is PlanetScaleErrorKind.Unreachable or PlanetScaleErrorKind.Timeout
        or PlanetScaleErrorKind.RateLimited or PlanetScaleErrorKind.ServerError or PlanetScaleErrorKind.Malformed;

    // Refit 16 wraps transport failures (timeouts, connection errors, refused redirects) in ApiRequestException.
    private static Exception Unwrap(Exception exception) =>
        exception is ApiRequestException { InnerException: { } inner } ? inner : exception;

    private static bool IsTranslatable(Exception exception) => exception
        is ApiExceptionBase or PlanetScaleAnswerException or TimeoutRejectedException or CrossHostRedirectException
        or HttpRequestException or JsonException or OperationCanceledException;

    private async Task<PlanetScaleApiException> TranslateAsync(PlanetScaleOperation operation, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ApiException { StatusCode: var status } api when (int)status is >= 200 and < 300:
                return translator.Unreadable(operation, "its JSON did not have the shape the bot expects", (int)status, RequestIdOf(api));
            case ApiException api:
                var failed = translator.FromResponse(operation, FailureOf(api));
                return failed.Kind == PlanetScaleErrorKind.NotFound ? await DiagnoseNotFoundAsync(operation, failed, cancellationToken).ConfigureAwait(false) : failed;
            case PlanetScaleAnswerException answer:
                return translator.Unreadable(operation, answer.Detail, null, null);
            case JsonException:
                return translator.Unreadable(operation, "its JSON did not have the shape the bot expects", null, null);
            case PlanetScaleRateLimitTimeoutException limited:
                return translator.RateLimitTimeout(operation, limited.Timeout, limited);
            case TimeoutRejectedException timeout:
                return translator.Timeout(operation, timeout.Timeout, null, timeout);
            case CrossHostRedirectException redirect:
                return translator.RedirectRefused(operation, redirect);
            case HttpRequestException request:
                return translator.Unreachable(operation, request);
            case OperationCanceledException:
                // A cancellation the caller did not ask for: some timer below the pipeline fired.
                return translator.Timeout(operation, options.TotalTimeout, null, exception);
            default:
                // Anything else Refit wrapped; the Refit exception itself holds the request, so it is not kept.
                return translator.Unexpected(operation, exception);
        }
    }

    /// <summary>
    /// The CLI's trick: a 404 may mean "no such token" or "these credentials cannot see the organization". One
    /// <c>GET /organizations</c> tells them apart: 401 means bad credentials; a list without the organization means
    /// a wrong name or a token of another organization; an empty or partial list proves nothing and keeps the 404 wording.
    /// </summary>
    private async Task<PlanetScaleApiException> DiagnoseNotFoundAsync(PlanetScaleOperation operation, PlanetScaleApiException notFound, CancellationToken cancellationToken)
    {
        if (!options.DiagnoseNotFound || operation.Organization is not { } organization)
        {
            return notFound;
        }

        PlanetScaleList<OrganizationDto> visible;
        try
        {
            visible = await api.ListOrganizationsAsync(1, PlanetScalePager.PerPage, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ApiException probe) when ((int)probe.StatusCode == 401)
        {
            return translator.FromResponse(operation, FailureOf(probe));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The probe is a best-effort refinement of the wording; the 404 itself is the answer.
            return notFound;
        }

        var names = (visible.Data ?? []).Select(o => o.Name).OfType<string>().ToList();
        if (names.Count == 0)
        {
            return notFound;
        }

        string message;
        if (names.Contains(organization, StringComparer.OrdinalIgnoreCase))
        {
            var access = $"`{operation.RequiredAccess}`";
            message = operation.TargetsToken
                ? $"{notFound.Message} (The bot can see organization {PlanetScaleOperation.Code(organization)}, so its credentials work.)"
                : $"Organization {PlanetScaleOperation.Code(organization)} is visible to the bot, so its credentials lack {access} on it.";
        }
        else if (visible.NextPage is null)
        {
            var suggestion = NameSuggester.Closest(organization, names) is { } closest
                ? $" Did you mean {PlanetScaleOperation.Code(closest)}?"
                : "";
            message = $"Organization {PlanetScaleOperation.Code(organization)} is not among the organizations the bot's credentials can see.{suggestion} " +
                      "Check --org (or PlanetScale:DefaultOrganization) and that the bot's token belongs to that organization.";
        }
        else
        {
            return notFound;
        }

        return new PlanetScaleApiException(PlanetScaleErrorKind.NotFound, message, notFound.StatusCode, notFound.ApiCode, notFound.RequestId);
    }

    private PlanetScaleHttpFailure FailureOf(ApiException api) => new(
        (int)api.StatusCode,
        api.Content,
        api.ContentHeaders?.ContentType?.MediaType,
        RequestIdOf(api),
        RetryAfterHeader.Read(api.Headers, timeProvider.GetUtcNow()));

    private static string? RequestIdOf(ApiException api) =>
        api.Headers is { } headers && headers.TryGetValues(PlanetScaleRequestIdHandler.HeaderName, out var values)
            ? PlanetScaleRequestIdHandler.Plausible(values.FirstOrDefault())
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PlanetScale call failed while trying to {Action}: {Kind} (status {Status}, request id {RequestId})")]
    private static partial void LogFailure(ILogger logger, string action, PlanetScaleErrorKind kind, int? status, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access was added, but re-reading the token's access failed ({Kind}, request id {RequestId}); answering with the rows of the POST")]
    private static partial void LogReReadFailed(ILogger logger, PlanetScaleErrorKind kind, string? requestId);
}
