using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Rotation;

namespace PscaleBot.Commands.Tests.Rotation;

/// <summary>A rotation whose second grant cannot be copied: exactly what exists is said, and nothing is scheduled.</summary>
public sealed class GrantCopyTests
{
    private readonly RotationWorld world = new();

    [Fact]
    public async Task A_copy_that_fails_halfway_names_what_was_copied_what_was_not_and_schedules_nothing()
    {
        var now = world.Time.GetUtcNow();
        var old = world.PlanetScale.SeedToken("acme", "ci-deploy", now.AddDays(-10));
        world.PlanetScale.Grant("acme", old, "prod", "read_branch");
        world.PlanetScale.Grant("acme", old, "staging", "connect_branch");
        world.PlanetScale.Grant("acme", old, null, "read_databases");
        var grants = await world.PlanetScale.GetGrantsAsync("acme", old, default);

        // The first copy goes through; the second is refused.
        var failing = new SecondAddFails(world.PlanetScale);
        var handler = new RotateTokenHandler(
            failing, new GrantCopy(failing), world.Store, world.AccessStore, world.Policy, new RotationCancellation(world.Store, world.Time),
            new TokenRetirementWake(), world.Time);
        var command = new RotateTokenCommand(CommonOptions.Default, old, TimeSpan.FromHours(1));
        var request = new ChatRequest(RotationWorld.Alice, ChatPlace.Shell, "service-token rotate " + old);
        var outcome = await handler.HandleAsync(command, new CommandContext(request, "acme", world.Policy.Authorize(RotationWorld.Alice, ChatPlace.Shell, command, "acme")), default);

        Assert.True(outcome.Failed);
        var created = Assert.Single(Assert.IsType<TokenTable>(outcome.Results[0]).Tokens);
        Assert.NotNull(created.Secret);
        var held = await world.PlanetScale.GetGrantsAsync("acme", created.Id, default);
        var first = grants[0];
        Assert.Equal(RotationText.Describe(first), RotationText.List(held));
        var error = Assert.IsType<ErrorResult>(outcome.Results[^1]);
        Assert.Contains($"new token {created.Id} was created", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Copied to {created.Id}: {RotationText.Describe(first)}.", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Not copied: {RotationText.List(grants.Skip(1))}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"The old token {old} is unchanged and nothing is scheduled", error.Message, StringComparison.Ordinal);
        Assert.Contains($"`{RotationText.AddCommand(created.Id, grants[1])}`", error.Hint, StringComparison.Ordinal);
        Assert.Contains($"`service-token delete {created.Id}`", error.Hint, StringComparison.Ordinal);
        Assert.StartsWith($"error: partial rotation: new token {created.Id} exists; copied: {RotationText.Describe(first)}; not copied: ", outcome.Outcome, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret!.Reveal(), outcome.Outcome, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret.Reveal(), error.Message + error.Hint, StringComparison.Ordinal);
        Assert.Empty(await world.Store.ListOpenAsync(default));
        Assert.True(world.PlanetScale.HasToken("acme", old));
    }

    /// <summary>PlanetScale that refuses the second add-access call with a 422.</summary>
    private sealed class SecondAddFails(IPlanetScaleService inner) : IPlanetScaleService
    {
        private int adds;

        public Task<IReadOnlyList<TokenAccess>> AddAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken) =>
            ++adds == 2
                ? throw new PlanetScaleApiException(PlanetScaleErrorKind.Invalid, "PlanetScale refused the grant (422)", 422)
                : inner.AddAccessAsync(organization, tokenId, database, permissions, cancellationToken);

        public Task<IReadOnlyList<ServiceToken>> ListTokensAsync(string organization, CancellationToken cancellationToken) => inner.ListTokensAsync(organization, cancellationToken);
        public Task<ServiceToken> CreateTokenAsync(string organization, string? name, TimeSpan? ttl, CancellationToken cancellationToken) => inner.CreateTokenAsync(organization, name, ttl, cancellationToken);
        public Task<ServiceToken> GetTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) => inner.GetTokenAsync(organization, tokenId, cancellationToken);
        public Task DeleteTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) => inner.DeleteTokenAsync(organization, tokenId, cancellationToken);
        public Task<IReadOnlyList<TokenAccess>> GetAccessAsync(string organization, string tokenId, CancellationToken cancellationToken) => inner.GetAccessAsync(organization, tokenId, cancellationToken);
        public Task DeleteAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken) => inner.DeleteAccessAsync(organization, tokenId, database, permissions, cancellationToken);
        public Task<IReadOnlyList<TokenGrant>> GetGrantsAsync(string organization, string tokenId, CancellationToken cancellationToken) => inner.GetGrantsAsync(organization, tokenId, cancellationToken);
        public Task<IReadOnlyList<string>> ListOrganizationsAsync(CancellationToken cancellationToken) => inner.ListOrganizationsAsync(cancellationToken);
        public Task<IReadOnlyList<string>> ListDatabasesAsync(string organization, CancellationToken cancellationToken) => inner.ListDatabasesAsync(organization, cancellationToken);
    }
}
