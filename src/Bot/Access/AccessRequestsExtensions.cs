using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Rotation;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Access;

/// <summary>Composition of on-call access requests, approvals and time-bound grants.</summary>
public static class AccessRequestsExtensions
{
    /// <summary>
    /// Registers on-call access requests, approvals and time-bound grants: options (section <c>AccessRequests</c>),
    /// the store (SQLite, or PostgreSQL by <c>Storage:Provider</c>), the workflow, the headless notifier, and the expiry and reconcile services, and puts the workflow's
    /// command handlers in place (<see cref="AccessWorkflowRegistration.AddAccessWorkflow"/>), before or after
    /// <c>AddCommandCore()</c>. Needs <c>IAuthorizationPolicy</c>, <c>IPlanetScaleService</c> and <c>IAuditLog</c> from
    /// the command core. Chat adapters add their own <see cref="IAccessNotifier"/> with <c>TryAddEnumerable</c>.
    /// </summary>
    public static IHostApplicationBuilder AddAccessRequests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccessRequestOptions>()
            .Bind(builder.Configuration.GetSection(AccessRequestOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                o => string.IsNullOrWhiteSpace(o.RosterPath) || File.Exists(o.RosterPath),
                "AccessRequests:RosterPath names an on-call schedule file that does not exist.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        builder.AddStorage();
        services.TryAddSingleton<IAccessStore>(sp => sp.UsesPostgres()
            ? new PostgresAccessStore(
                sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<PostgresAccessStore>>())
            : new SqliteAccessStore(
                sp.GetRequiredService<IOptions<AccessRequestOptions>>().Value.StorePath,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<SqliteAccessStore>>()));
        services.MigrateAtStartup<IAccessStore>($"{AccessRequestOptions.SectionName}:{nameof(AccessRequestOptions.StorePath)}");
        services.AddOnCallRoster(builder.Configuration);
        // Replicas on one PostgreSQL database serialise grant and revoke on a token through an advisory lock; SQLite is one process.
        services.TryAddSingleton<ITokenChangeLock>(sp => sp.UsesPostgres()
            ? new PostgresTokenChangeLock(sp.GetRequiredService<NpgsqlDataSource>())
            : new TokenOperationLock());
        services.TryAddSingleton<AccessWakeSignal>();
        // One run of this bot: a stable instance id (the host name unless AccessRequests:InstanceId says otherwise) and
        // the start of this run, so a restart recognises the claims its dead predecessor left. The shell adds its own first.
        services.TryAddSingleton(sp => AccessReplicaIdentity.ForBot(
            sp.GetRequiredService<IOptions<AccessRequestOptions>>().Value.InstanceId, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ReportedDrift>();
        services.TryAddSingleton<AccessIdGenerator>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAccessNotifier, LoggingAccessNotifier>());

        // Scoped: the PlanetScale client and the policy may be scoped or transient; the background services open a scope per pass.
        services.TryAddScoped<AccessAuditor>();
        services.TryAddScoped<AccessNotificationDispatcher>();
        services.TryAddScoped<AccessGrantor>();
        services.TryAddScoped<AccessSweeper>();
        services.TryAddScoped<AccessReconciler>();
        // Replaces the explaining handlers whichever of AddCommandCore and this runs first (the defaults are only TryAdd-ed).
        services.AddAccessWorkflow();
        services.AddTokenRotation(builder.Configuration);

        services.TryAddSingleton<AccessSweepHealth>();
        services.AddHealthChecks().AddCheck<AccessSweepHealth>("access-store");
        services.AddHostedService<GrantExpiryService>();
        services.AddHostedService<GrantReconcileService>();
        return builder;
    }

    /// <summary>
    /// Maps the endpoints of on-call access requests. There are none of its own: approvals arrive as chat
    /// commands and button clicks through the Slack and Teams endpoints.
    /// </summary>
    public static IEndpointRouteBuilder MapAccessRequests(this IEndpointRouteBuilder endpoints) => endpoints;
}
