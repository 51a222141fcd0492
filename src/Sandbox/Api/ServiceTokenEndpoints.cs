using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Api;

/// <summary>
/// <c>/v1/organizations/{organization}/service-tokens…</c>: list, create, get, delete, access rows and grants.
/// Anything the caller may not see, or lacks the organization access for, is a plain 404 as on the real API.
/// </summary>
internal static class ServiceTokenEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapServiceTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        var tokens = routes.MapGroup("/v1/organizations/{organization}/service-tokens");
        tokens.MapGet("", ListAsync);
        tokens.MapPost("", CreateAsync);
        tokens.MapGet("/{id}", GetAsync);
        tokens.MapDelete("/{id}", DeleteAsync);
        tokens.MapGet("/{id}/access", GetAccessAsync);
        tokens.MapPost("/{id}/access", AddAccessAsync);
        tokens.MapDelete("/{id}/access", DeleteAccessAsync);
        tokens.MapGet("/{id}/grants", GetGrantsAsync);
        return routes;
    }

    private static async Task<IResult> ListAsync(string organization, HttpContext context, SandboxStateStore store, CancellationToken ct)
    {
        if (!Paging.TryRead(context.Request, out var paging, out var error))
        {
            return error!;
        }

        var caller = context.GetCaller();
        return await store.ReadAsync(state =>
        {
            var org = state.FindOrganization(organization);
            if (org is null || !caller.Has(state, org, "read_service_tokens"))
            {
                return ApiError.NotFound();
            }

            var all = state.Tokens.Where(t => t.Organization == org.Name)
                .Select(t => ResponseMapper.Token(state, t, secret: null, withAccesses: false)).ToList();
            return Results.Json(paging.Envelope(context.Request, all), SandboxJson.Options);
        }, ct);
    }

    private static async Task<IResult> CreateAsync(string organization, HttpContext context, SandboxStateStore store, TimeProvider time, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var visible = await store.ReadAsync(state =>
            state.FindOrganization(organization) is { } org && caller.Has(state, org, "write_service_tokens"), ct);
        if (!visible)
        {
            return ApiError.NotFound();
        }

        var (body, error) = await RequestBodies.ReadCreateAsync(context.Request, ct);
        if (error is not null)
        {
            return error;
        }

        return await store.UpdateAsync(state =>
        {
            var org = state.FindOrganization(organization);
            if (org is null || !caller.Has(state, org, "write_service_tokens"))
            {
                return ApiError.NotFound();
            }

            var now = time.GetUtcNow();
            var secret = Credentials.NewSecret();
            var token = new TokenRecord
            {
                Id = NewUniqueId(state),
                Organization = org.Name,
                Name = body!.Name,
                SecretHash = Credentials.Hash(secret),
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = body.Ttl is { } ttl ? now + ttl : null,
                ActorId = caller.Id,
                ActorDisplayName = caller.DisplayName,
                ActorType = caller.ActorType,
            };
            state.Tokens.Add(token);
            Audit(state, caller, "service_token.created", token, now);
            return Results.Json(ResponseMapper.Token(state, token, secret, withAccesses: true), SandboxJson.Options);
        }, ct);
    }

    private static async Task<IResult> GetAsync(string organization, string id, HttpContext context, SandboxStateStore store, CancellationToken ct)
    {
        var caller = context.GetCaller();
        return await store.ReadAsync(state => FindToken(state, caller, organization, id, "read_service_tokens") is { } token
            ? Results.Json(ResponseMapper.Token(state, token, secret: null, withAccesses: true), SandboxJson.Options)
            : ApiError.NotFound(), ct);
    }

    private static async Task<IResult> DeleteAsync(string organization, string id, HttpContext context, SandboxStateStore store, TimeProvider time, CancellationToken ct)
    {
        var caller = context.GetCaller();
        return await store.UpdateAsync(state =>
        {
            if (FindToken(state, caller, organization, id, "delete_service_tokens") is not { } token)
            {
                return ApiError.NotFound();
            }

            state.Tokens.Remove(token);
            Audit(state, caller, "service_token.deleted", token, time.GetUtcNow());
            return Results.NoContent();
        }, ct);
    }

    private static async Task<IResult> GetAccessAsync(string organization, string id, HttpContext context, SandboxStateStore store, CancellationToken ct)
    {
        var caller = context.GetCaller();
        return await store.ReadAsync(state => FindToken(state, caller, organization, id, "read_service_tokens") is { } token
            ? AccessList(state, token)
            : ApiError.NotFound(), ct);
    }

    private static Task<IResult> AddAccessAsync(string organization, string id, HttpContext context, SandboxStateStore store, TimeProvider time, CancellationToken ct) =>
        ChangeAccessAsync(organization, id, context, store, ct, (state, token, resource, accesses) =>
        {
            var now = time.GetUtcNow();
            var added = false;
            var granted = new List<string>();
            foreach (var access in accesses)
            {
                // Idempotent: a permission already held on this resource is neither duplicated nor an error.
                if (token.Accesses.Exists(a => a.ResourceId == resource.Id && a.Access == access))
                {
                    continue;
                }

                token.Accesses.Add(new AccessRecord
                {
                    Id = NewUniqueId(state),
                    Access = access,
                    ResourceType = resource.Type,
                    ResourceId = resource.Id,
                    ResourceName = resource.Name,
                    CreatedAt = now,
                });
                added = true;
                granted.Add(access);
            }

            if (added)
            {
                token.UpdatedAt = now;
                Audit(state, context.GetCaller(), "service_token.access_granted", token, now, AccessChange(granted, resource));
            }

            return AccessList(state, token);
        });

    private static Task<IResult> DeleteAccessAsync(string organization, string id, HttpContext context, SandboxStateStore store, TimeProvider time, CancellationToken ct) =>
        ChangeAccessAsync(organization, id, context, store, ct, (state, token, resource, accesses) =>
        {
            // Permissions the token does not hold are ignored, so a retried DELETE is harmless.
            var removed = token.Accesses.Where(a => a.ResourceId == resource.Id && accesses.Contains(a.Access)).Select(a => a.Access).ToList();
            if (token.Accesses.RemoveAll(a => a.ResourceId == resource.Id && accesses.Contains(a.Access)) > 0)
            {
                token.UpdatedAt = time.GetUtcNow();
                Audit(state, context.GetCaller(), "service_token.access_removed", token, token.UpdatedAt, AccessChange(removed, resource));
            }

            return Results.NoContent();
        });

    // What POST and DELETE /access share: the caller must see the token with write_service_tokens (else 404,
    // before the body is even read), the body must be valid, and the resource it names must exist.
    private static async Task<IResult> ChangeAccessAsync(
        string organization,
        string id,
        HttpContext context,
        SandboxStateStore store,
        CancellationToken ct,
        Func<SandboxState, TokenRecord, (ResourceType Type, string Id, string Name), IReadOnlyCollection<string>, IResult> change)
    {
        var caller = context.GetCaller();
        if (!await store.ReadAsync(state => FindToken(state, caller, organization, id, "write_service_tokens") is not null, ct))
        {
            return ApiError.NotFound();
        }

        var (body, error) = await RequestBodies.ReadAccessAsync(context.Request, ct);
        if (error is not null)
        {
            return error;
        }

        return await store.UpdateAsync(state =>
            FindToken(state, caller, organization, id, "write_service_tokens") is { } token
            && ResolveResource(state, token, body!.Database) is { } resource
                ? change(state, token, resource, body.Accesses)
                : ApiError.NotFound(), ct);
    }

    private static async Task<IResult> GetGrantsAsync(string organization, string id, HttpContext context, SandboxStateStore store, CancellationToken ct)
    {
        var caller = context.GetCaller();
        return await store.ReadAsync(state => FindToken(state, caller, organization, id, "read_service_tokens") is { } token
            ? Results.Json(Paging.Single(ResponseMapper.Grants(token)), SandboxJson.Options)
            : ApiError.NotFound(), ct);
    }

    private static IResult AccessList(SandboxState state, TokenRecord token) =>
        Results.Json(Paging.Single(token.Accesses.Select(a => ResponseMapper.AccessRow(state, token, a)).ToList()), SandboxJson.Options);

    private static TokenRecord? FindToken(SandboxState state, Caller caller, string organization, string id, string requiredAccess)
    {
        var org = state.FindOrganization(organization);
        return org is not null && caller.Has(state, org, requiredAccess) ? state.FindToken(org.Name, id) : null;
    }

    private static (ResourceType Type, string Id, string Name)? ResolveResource(SandboxState state, TokenRecord token, string? database)
    {
        var org = state.FindOrganization(token.Organization)!;
        if (database is null)
        {
            return (ResourceType.Organization, org.Id, org.Name);
        }

        return org.FindDatabase(database) is { } db ? (ResourceType.Database, db.Id, db.Name) : null;
    }

    private static void Audit(SandboxState state, Caller caller, string action, TokenRecord token, DateTimeOffset at, Dictionary<string, string>? metadata = null) =>
        AuditTrail.Record(state, caller.Id, caller.ActorType, caller.DisplayName, action, token, at, metadata);

    private static Dictionary<string, string> AccessChange(IEnumerable<string> accesses, (ResourceType Type, string Id, string Name) resource) => new()
    {
        ["accesses"] = string.Join(",", accesses),
        [resource.Type == ResourceType.Database ? "database" : "organization"] = resource.Name,
    };

        private static string NewUniqueId(SandboxState state)
    {
        string id;
        do
        {
            id = Credentials.NewId();
        }
        while (state.IsIdTaken(id));

        return id;
    }
}
