using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Tests.Execution;

namespace PscaleBot.Commands.Tests.PlanetScale.Budget;

/// <summary>
/// A read the budget has no room for is answered from the read cache past its TTL, and the answer says how old it is
/// (only then: within the TTL it says nothing). On fake clocks; nothing here waits on real time.
/// </summary>
public sealed class StaleAnswerTests : IDisposable
{
    private readonly PlanetScaleClientHarness harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:RequestsPerMinute"] = "1");

    [Fact]
    public async Task A_read_served_from_cache_past_its_ttl_while_the_budget_is_full_records_its_age()
    {
        harness.Handler.ThenFixture("tokens-minimal.json");
        await harness.Service.ListTokensAsync("acme", CancellationToken.None);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        using (var fresh = PlanetScaleCallContext.Begin())
        {
            await harness.Service.ListTokensAsync("acme", CancellationToken.None);
            Assert.Null(fresh.Context.OldestCachedAnswer);
        }

        harness.Time.Advance(TimeSpan.FromSeconds(9));
        using var stale = PlanetScaleCallContext.Begin();
        var tokens = await harness.Service.ListTokensAsync("acme", CancellationToken.None);

        Assert.Equal("txhc257pxjuc", Assert.Single(tokens).Id);
        Assert.Single(harness.Handler.Requests);
        Assert.Equal(TimeSpan.FromSeconds(10), stale.Context.OldestCachedAnswer);
    }

    [Fact]
    public async Task The_answer_of_a_command_served_from_cache_past_its_ttl_says_how_old_it_is()
    {
        var pipeline = new PipelineHarness(handlers: services => services.AddSingleton<IPlanetScaleService>(
            new CachedAnswers(Registered(services), TimeSpan.FromSeconds(9.2))));

        var (_, response) = await pipeline.RunAsync("service-token list");

        var note = Assert.IsType<MessageResult>(response.Results[^1]);
        Assert.StartsWith("As of 10 s ago:", note.Text, StringComparison.Ordinal);
        Assert.Contains("from the bot's cache", note.Text, StringComparison.Ordinal);
    }

    public void Dispose() => harness.Dispose();

    private static IPlanetScaleService Registered(IServiceCollection services) =>
        (IPlanetScaleService)services.Single(d => d.ServiceType == typeof(IPlanetScaleService)).ImplementationInstance!;

    // Answers reads as the read cache does past its TTL: records the answer's age on the command's call context.
    private sealed class CachedAnswers(IPlanetScaleService inner, TimeSpan age) : IPlanetScaleService
    {
        public Task<IReadOnlyList<ServiceToken>> ListTokensAsync(string organization, CancellationToken cancellationToken)
        {
            PlanetScaleCallContext.Current?.RecordCachedAnswer(age);
            return inner.ListTokensAsync(organization, cancellationToken);
        }

        public Task<ServiceToken> CreateTokenAsync(string organization, string? name, TimeSpan? ttl, CancellationToken cancellationToken) =>
            inner.CreateTokenAsync(organization, name, ttl, cancellationToken);

        public Task<ServiceToken> GetTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
            inner.GetTokenAsync(organization, tokenId, cancellationToken);

        public Task DeleteTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
            inner.DeleteTokenAsync(organization, tokenId, cancellationToken);

        public Task<IReadOnlyList<TokenAccess>> GetAccessAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
            inner.GetAccessAsync(organization, tokenId, cancellationToken);

        public Task<IReadOnlyList<TokenAccess>> AddAccessAsync(
            string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken) =>
            inner.AddAccessAsync(organization, tokenId, database, permissions, cancellationToken);

        public Task DeleteAccessAsync(
            string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken) =>
            inner.DeleteAccessAsync(organization, tokenId, database, permissions, cancellationToken);

        public Task<IReadOnlyList<TokenGrant>> GetGrantsAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
            inner.GetGrantsAsync(organization, tokenId, cancellationToken);

        public Task<IReadOnlyList<string>> ListOrganizationsAsync(CancellationToken cancellationToken) => inner.ListOrganizationsAsync(cancellationToken);

        public Task<IReadOnlyList<string>> ListDatabasesAsync(string organization, CancellationToken cancellationToken) =>
            inner.ListDatabasesAsync(organization, cancellationToken);
    }
}
