using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Execution.Handlers;
using PscaleBot.Commands.Model;
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
    public async Task A_failing_access_handler_is_worded_as_an_internal_error_and_logged()
    {
        var harness = new PipelineHarness(handlers: services => services.ReplaceCommandHandler<AccessListCommand, ThrowingHandler>());

        var (_, response) = await harness.RunAsync("access list");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Internal, error.Category);
        Assert.DoesNotContain("pscale_tkn_", error.Message + error.Hint);
        Assert.DoesNotContain("boom", error.Message + error.Hint);
        var log = harness.HandlerLogger.Collector.LatestRecord.Message;
        Assert.Contains("System.InvalidOperationException: boom in [REDACTED]", log);
        Assert.DoesNotContain("abcdef123456", log);
        Assert.Equal("error: internal InvalidOperationException", (await harness.LastAuditAsync()).Outcome);
    }

    [Fact]
    public async Task An_access_store_failure_names_the_database_and_its_sqlstate_never_the_servers_words()
    {
        var harness = new PipelineHarness(handlers: services => services.ReplaceCommandHandler<AccessListCommand, DatabaseDownHandler>());

        var (_, response) = await harness.RunAsync("access list");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Internal, error.Category);
        Assert.Equal("The bot's own database failed while handling the access request (StoreDown 57P01).", error.Message);
        Assert.Contains("`access list`", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message + error.Hint, StringComparison.Ordinal);
        Assert.Equal("error: database StoreDown 57P01", (await harness.LastAuditAsync()).Outcome);
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
        var handler = new ShowTokenHandler(service);
        var context = new CommandContext(new ChatRequest(PipelineHarness.Alice, PipelineHarness.Admins, "service-token show hnmkbklsndgi"), "acme", new PolicyDecision.Allowed(["db-admin"]));

        var outcome = await handler.HandleAsync(new ShowTokenCommand(CommonOptions.Default, "hnmkbklsndgi"), context, CancellationToken.None);

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
        Assert.All(HandledCommands, type => Assert.NotNull(provider.GetKeyedService<ICommandRoute>(type)));
        Assert.NotNull(provider.GetKeyedService<ICommandRoute>(CommandRoutes.AccessRequest));
        Assert.IsType<TextResultRenderer>(provider.GetRequiredService<ITextResultRenderer>());
        Assert.NotNull(provider.GetRequiredService<CommandResponseTextRenderer>());
    }

    // Every command that is not answered at preparation (help, whoami) has a handler.
    public static readonly Type[] HandledCommands =
    [
        typeof(CreateTokenCommand), typeof(ListTokensCommand), typeof(ShowTokenCommand), typeof(DeleteTokenCommand),
        typeof(AddAccessCommand), typeof(DeleteAccessCommand), typeof(ShowAccessCommand), typeof(AuditCommand),
        typeof(AccessListCommand), typeof(AccessApproveCommand), typeof(AccessDenyCommand), typeof(AccessRevokeCommand),
        typeof(AccessExtendCommand), typeof(AccessCancelCommand),
    ];

    [Fact]
    public async Task A_handler_registered_first_is_kept()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.ReplaceCommandHandler<AccessListCommand, ThrowingHandler>();
        services.AddCommandExecution();
        using var provider = services.BuildServiceProvider();

        var context = new CommandContext(new ChatRequest(PipelineHarness.Alice, PipelineHarness.Admins, "access list"), "acme", new PolicyDecision.Allowed(["db-admin"]));
        var outcome = await provider.GetRequiredService<CommandHandlers>().RunAsync(new AccessListCommand(CommonOptions.Default), context, CancellationToken.None);

        Assert.Equal("error: internal InvalidOperationException", outcome.Outcome);
        Assert.Single(services, d => d.IsKeyedService && Equals(d.ServiceKey, typeof(AccessListCommand)));
    }

    [Fact]
    public async Task A_command_without_a_handler_is_refused_as_not_runnable()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        using var provider = services.AddTransient<CommandHandlers>().BuildServiceProvider();

        var context = new CommandContext(new ChatRequest(PipelineHarness.Alice, PipelineHarness.Admins, "service-token list"), "acme", new PolicyDecision.Allowed(["db-admin"]));
        var outcome = await provider.GetRequiredService<CommandHandlers>().RunAsync(new ListTokensCommand(CommonOptions.Default), context, CancellationToken.None);

        Assert.Equal("error: not runnable", outcome.Outcome);
        Assert.Equal(ErrorCategory.Usage, Assert.IsType<ErrorResult>(Assert.Single(outcome.Results)).Category);
    }

    private sealed class ThrowingHandler : ICommandHandler<AccessListCommand>
    {
        public Task<ExecutionOutcome> HandleAsync(AccessListCommand command, CommandContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom in pscale_tkn_abcdef123456");
    }

    // Wrapped, as a store's own exception may wrap the driver's.
    private sealed class DatabaseDownHandler : ICommandHandler<AccessListCommand>
    {
        public Task<ExecutionOutcome> HandleAsync(AccessListCommand command, CommandContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the access store failed", new StoreDown());
    }

    private sealed class StoreDown() : System.Data.Common.DbException("terminating connection due to administrator command; password=hunter2")
    {
        public override string? SqlState => "57P01";
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
