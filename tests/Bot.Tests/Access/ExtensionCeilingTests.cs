using PscaleBot.Commands.Access;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>
/// Issue 9, finding 12: a role's max_duration bounds a grant's whole lifetime from when it was granted, not each
/// extension alone. Past it, the role's approval rule decides (an extension request); without one, it is refused.
/// </summary>
public sealed class ExtensionCeilingTests
{
    private const string SelfService = """
        roles:
          reader:
            commands: [add-access, access-extend]
            organizations: [acme]
            databases: [prod]
            permissions: [connect_production_branch]
            max_duration: 4h
        bindings:
          - where: slack:channel:CONCALL
            who: "*"
            roles: [reader]
        """;

    private const string WithApprovalRule = """
        roles:
          reader:
            commands: [add-access, access-extend]
            organizations: [acme]
            databases: [prod]
            permissions: [connect_production_branch]
            max_duration: 4h
            approval:
              required_for:
                databases: [staging]
              approvers: [slack:user:UBOB]
              max_duration: 8h
        bindings:
          - where: slack:channel:CONCALL
            who: "*"
            roles: [reader]
        """;

    private readonly AccessWorld world = new(new InMemoryAccessStore());

    [Fact]
    public async Task Without_an_approval_rule_extensions_stop_at_max_duration_counted_from_the_grant()
    {
        world.Policy.Real = Evaluator(SelfService);
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;

        var first = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(3), null, default);
        Assert.True(first.Succeeded, Text(first));
        Assert.Equal(grant.GrantedAt + TimeSpan.FromHours(4), first.Grant!.EndsAt);

        var second = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(3), null, default);

        var error = Assert.IsType<ErrorResult>(second.Result);
        Assert.Equal(ErrorCategory.Denied, error.Category);
        Assert.Contains("at most 4h in all, counted from when it was granted", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing of that is left", error.Message, StringComparison.Ordinal);
        Assert.Contains("ask for new access when it ends", error.Hint, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(grant.GrantedAt + TimeSpan.FromHours(4), (await world.Store.GetGrantAsync(grant.Id, default))!.EndsAt);
        var refused = Assert.Single(world.Audit.Transitions(AccessTransitions.ExtensionRefused));
        Assert.Equal(AccessWorld.Carol.UserId, refused.UserId);
        Assert.Empty(await world.Store.ListPendingRequestsAsync(default));
    }

    [Fact]
    public async Task The_refusal_says_how_much_is_left()
    {
        world.Policy.Real = Evaluator(SelfService);
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;

        var outcome = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(4), null, default);

        var error = Assert.IsType<ErrorResult>(outcome.Result);
        Assert.Contains("3h of that is left", error.Message, StringComparison.Ordinal);
        Assert.Contains("--for 3h or less", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_approval_rule_going_past_max_duration_files_an_extension_request_up_to_the_rules_ceiling()
    {
        world.Policy.Real = Evaluator(WithApprovalRule);
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        Assert.True((await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(3), null, default)).Succeeded);

        var asked = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(3), "still on it", default);

        Assert.True(asked.Succeeded, Text(asked));
        Assert.Equal(AccessRequestKind.Extension, asked.Request!.Kind);
        Assert.Equal(grant.GrantedAt + TimeSpan.FromHours(4), (await world.Store.GetGrantAsync(grant.Id, default))!.EndsAt);
        var approved = await world.ApproveAsync(asked.Request.Id, AccessWorld.Bob);
        Assert.True(approved.Succeeded, Text(approved));
        Assert.Equal(grant.GrantedAt + TimeSpan.FromHours(7), (await world.Store.GetGrantAsync(grant.Id, default))!.EndsAt);

        var beyond = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(3), "more", default);
        Assert.False(beyond.Succeeded);
        Assert.Single(world.Audit.Transitions(AccessTransitions.ExtensionRefused));
    }

    [Fact]
    public async Task Two_extension_requests_approved_together_cannot_add_up_past_the_ceiling()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(2))).Request!.Id;
        var grant = (await world.ApproveAsync(id, AccessWorld.Bob)).Grant!;
        var first = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Alice), grant.Id, TimeSpan.FromHours(2), "one", default);
        var second = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Alice), grant.Id, TimeSpan.FromHours(1.5), "two", default);
        Assert.True(first.Succeeded && second.Succeeded);

        Assert.True((await world.ApproveAsync(first.Request!.Id, AccessWorld.Carol)).Succeeded);
        var late = await world.ApproveAsync(second.Request!.Id, AccessWorld.Carol);

        Assert.False(late.Succeeded);
        Assert.Equal(grant.GrantedAt + TimeSpan.FromHours(4), (await world.Store.GetGrantAsync(grant.Id, default))!.EndsAt);
    }

    [Fact]
    public async Task Two_self_service_extensions_at_once_cannot_add_up_past_the_ceiling()
    {
        var store = new InterleavingStore(new InMemoryAccessStore());
        var concurrent = new AccessWorld(store);
        concurrent.Policy.Real = Evaluator(SelfService);
        var grant = (await concurrent.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;

        // The first extension has read the grant and passed the check; just before its compare-and-set, the second
        // runs to the end (it read the same version, so it passed too). 1h + 2h + 2h would be 5h of a 4h ceiling.
        AccessOutcome? second = null;
        store.BeforeNextGrantUpdate = async () =>
            second = await concurrent.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(2), null, default);
        var first = await concurrent.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(2), null, default);

        Assert.True(second!.Succeeded, Text(second));
        Assert.False(first.Succeeded, Text(first));
        Assert.Contains("at most 4h in all", Assert.IsType<ErrorResult>(first.Result).Message, StringComparison.Ordinal);
        Assert.Equal(grant.GrantedAt + TimeSpan.FromHours(3), (await store.GetGrantAsync(grant.Id, default))!.EndsAt);
        Assert.Single(concurrent.Audit.Transitions(AccessTransitions.Extended));
        Assert.Single(concurrent.Audit.Transitions(AccessTransitions.ExtensionRefused));
    }

    private static PolicyEvaluator Evaluator(string yaml)
    {
        var result = PolicyFileLoader.Parse(yaml);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return new PolicyEvaluator(result.Document!);
    }

    private static string Text(AccessOutcome outcome) => outcome.Result switch
    {
        MessageResult m => m.Text,
        ErrorResult e => e.Message + " / " + e.Hint,
        _ => outcome.Result.ToString(),
    };
}

/// <summary>
/// An access store that runs a hook once, just before the next grant compare-and-set reaches the store: a
/// deterministic stand-in for a second request that slips in between a read and its update.
/// </summary>
internal sealed class InterleavingStore(IAccessStore inner) : IAccessStore
{
    public Func<Task>? BeforeNextGrantUpdate { get; set; }

    public async Task<bool> TryUpdateGrantAsync(AccessGrant grant, long expectedVersion, CancellationToken cancellationToken)
    {
        if (BeforeNextGrantUpdate is { } hook)
        {
            BeforeNextGrantUpdate = null;
            await hook();
        }

        return await inner.TryUpdateGrantAsync(grant, expectedVersion, cancellationToken);
    }

    public Task<bool> IdExistsAsync(string id, CancellationToken cancellationToken) => inner.IdExistsAsync(id, cancellationToken);

    public Task InsertRequestAsync(AccessRequest request, CancellationToken cancellationToken) => inner.InsertRequestAsync(request, cancellationToken);

    public Task<AccessRequest?> GetRequestAsync(string id, CancellationToken cancellationToken) => inner.GetRequestAsync(id, cancellationToken);

    public Task<bool> TryUpdateRequestAsync(AccessRequest request, long expectedVersion, CancellationToken cancellationToken) =>
        inner.TryUpdateRequestAsync(request, expectedVersion, cancellationToken);

    public Task<IReadOnlyList<AccessRequest>> ListPendingRequestsAsync(CancellationToken cancellationToken) => inner.ListPendingRequestsAsync(cancellationToken);

    public Task InsertGrantAsync(AccessGrant grant, CancellationToken cancellationToken) => inner.InsertGrantAsync(grant, cancellationToken);

    public Task<bool> TrySettleRequestWithGrantAsync(AccessRequest request, long expectedRequestVersion, AccessGrant grant, CancellationToken cancellationToken) =>
        inner.TrySettleRequestWithGrantAsync(request, expectedRequestVersion, grant, cancellationToken);

    public Task<AccessGrant?> GetGrantAsync(string id, CancellationToken cancellationToken) => inner.GetGrantAsync(id, cancellationToken);

    public Task<bool> TryEndGrantAsync(AccessGrant ended, long expectedVersion, IReadOnlyList<GrantUpdate> heirs, CancellationToken cancellationToken) =>
        inner.TryEndGrantAsync(ended, expectedVersion, heirs, cancellationToken);

    /// <summary>How many times every active grant was listed (the whole table).</summary>
    public int FullListings { get; private set; }

    public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsAsync(CancellationToken cancellationToken)
    {
        FullListings++;
        return inner.ListActiveGrantsAsync(cancellationToken);
    }

    public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsOnTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        inner.ListActiveGrantsOnTokenAsync(organization, tokenId, cancellationToken);

    public Task<IReadOnlyList<AccessGrant>> ListEndedGrantsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        inner.ListEndedGrantsAsync(since, cancellationToken);

    public Task<AccessGrant?> TryClaimGrantAsync(string grantId, RevokeClaim claim, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryClaimGrantAsync(grantId, claim, now, cancellationToken);
}
