using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;
using PscaleBot.Commands.Tests.Execution.Fakes;

namespace PscaleBot.Commands.Tests.Execution;

public sealed class ExecutionEdgeTests
{
    [Theory]
    [InlineData("--format json")]
    [InlineData("--format csv")]
    public async Task Empty_answers_for_scripts_are_empty_tables(string flags)
    {
        var harness = new PipelineHarness();

        var (_, response) = await harness.RunAsync("service-token list " + flags);

        var table = Assert.IsType<TokenTable>(Assert.Single(response.Results));
        Assert.Empty(table.Tokens);
        var renderer = new TextResultRenderer(harness.Time);
        Assert.Equal(
            response.Format == OutputFormat.Json ? "[]" : "ID,Name,LastUsedAt,ExpiresAt,CreatedAt\r\n",
            renderer.Render(table, response.Format));
    }

    [Fact]
    public async Task A_failing_gateway_is_worded_as_an_internal_error_and_logged()
    {
        var harness = new PipelineHarness(approvals: new ThrowingGateway());

        var (_, response) = await harness.RunAsync("access list");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Internal, error.Category);
        Assert.DoesNotContain("pscale_tkn_", error.Message + error.Hint);
        Assert.DoesNotContain("boom", error.Message + error.Hint);
        var log = harness.PipelineLogger.Collector.LatestRecord.Message;
        Assert.Contains("System.InvalidOperationException: boom in [REDACTED]", log);
        Assert.DoesNotContain("abcdef123456", log);
        Assert.Equal("error: internal InvalidOperationException", (await harness.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task A_PlanetScale_outage_during_a_change_says_the_change_may_have_happened()
    {
        var harness = new PipelineHarness();
        harness.PlanetScale.FailNext(nameof(IPlanetScaleService.CreateTokenAsync), new PlanetScaleApiException(PlanetScaleErrorKind.Timeout, "PlanetScale did not answer in time.", null));

        var (_, response) = await harness.RunAsync("service-token create --name ci");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(("PlanetScale did not answer in time.", ErrorCategory.Api), (error.Message, error.Category));
        Assert.Contains("may or may not have been made", error.Hint);
        Assert.Null(response.Announcement);
    }

    [Fact]
    public async Task Show_never_passes_on_a_secret_a_client_filled_in()
    {
        var service = new SecretLeakingService();
        var runner = new TokenCommandRunner(service, new InMemoryAuditLog(), NullLogger<TokenCommandRunner>.Instance);

        var outcome = await runner.RunAsync(new ShowTokenCommand(CommonOptions.Default, "hnmkbklsndgi"), "acme", PipelineHarness.Alice, CancellationToken.None);

        var table = Assert.IsType<TokenTable>(Assert.Single(outcome.Results));
        Assert.False(table.ContainsSecret);
    }

    [Fact]
    public void Add_command_execution_wires_a_working_pipeline()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ICommandParser, SmallCommandParser>();
        services.AddSingleton<IAuthorizationPolicy>(new RulePolicy());
        services.AddSingleton<IHelpText, ListingHelpText>();
        services.AddSingleton<IPlanetScaleService>(new InMemoryPlanetScale(TimeProvider.System));
        services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        services.AddSingleton(Options.Create(new PlanetScaleOptions { DefaultOrganization = "acme" }));
        services.AddCommandExecution();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<CommandPipeline>(provider.GetRequiredService<ICommandPipeline>());
        Assert.IsType<ExplainingApprovalGateway>(provider.GetRequiredService<IApprovalGateway>());
        Assert.IsType<TextResultRenderer>(provider.GetRequiredService<ITextResultRenderer>());
        Assert.NotNull(provider.GetRequiredService<CommandResponseTextRenderer>());
    }

    [Fact]
    public void A_gateway_registered_first_is_kept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IApprovalGateway, ThrowingGateway>();
        services.AddCommandExecution();

        Assert.Equal(typeof(ThrowingGateway), services.Single(d => d.ServiceType == typeof(IApprovalGateway)).ImplementationType);
    }

    private sealed class ThrowingGateway : IApprovalGateway
    {
        public Task<CommandResponse> RequestApprovalAsync(PreparedCommand prepared, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");

        public Task<CommandResponse> HandleAccessCommandAsync(PreparedCommand prepared, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom in pscale_tkn_abcdef123456");
    }

    private sealed class SecretLeakingService : IPlanetScaleService
    {
        public Task<ServiceToken> GetTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
            Task.FromResult(new ServiceToken(tokenId, null, DateTimeOffset.UnixEpoch, null, null, new TokenSecret("pscale_tkn_leak")));

        public Task<IReadOnlyList<ServiceToken>> ListTokensAsync(string organization, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ServiceToken> CreateTokenAsync(string organization, string? name, TimeSpan? ttl, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DeleteTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<TokenAccess>> GetAccessAsync(string organization, string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<TokenAccess>> AddAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DeleteAccessAsync(string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<TokenGrant>> GetGrantsAsync(string organization, string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> ListOrganizationsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> ListDatabasesAsync(string organization, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
