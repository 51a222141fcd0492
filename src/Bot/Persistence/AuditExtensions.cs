using Microsoft.Extensions.Options;
using Npgsql;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Persistence;

/// <summary>Registers the audit store.</summary>
public static class AuditExtensions
{
    /// <summary>
    /// Adds <see cref="IAuditLog"/> for <c>Storage:Provider</c>: a <see cref="SqliteAuditLog"/> in <c>Audit:Path</c>
    /// (default <c>data/audit.db</c> under the content root), or a <see cref="PostgresAuditLog"/> in the shared database;
    /// validated and migrated at start.
    /// </summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.AddStorage();
        builder.Services.AddOptions<AuditOptions>()
            .Bind(builder.Configuration.GetSection(AuditOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditEngine>().Store);
        // The same instance, seen as what audit verify and the export read: decorators of IAuditLog (group commit) do not hide it.
        builder.Services.AddSingleton<IAuditChainStore>(sp => (IAuditChainStore)sp.GetRequiredService<AuditEngine>().Store);
        builder.Services.AddSingleton(sp => new AuditEngine(sp.UsesPostgres()
            ? new PostgresAuditLog(
                sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<PostgresAuditLog>>())
            : new SqliteAuditLog(
                Path.GetFullPath(sp.GetRequiredService<IOptions<AuditOptions>>().Value.Path, contentRoot),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<SqliteAuditLog>>())));
        builder.Services.MigrateAtStartup<IAuditLog>($"{AuditOptions.SectionName}:{nameof(AuditOptions.Path)}");
        builder.Services.AddHealthChecks().AddCheck<AuditStoreHealth>("audit-store");
        return builder;
    }

    /// <summary>The one store instance of the chosen engine, behind every audit interface.</summary>
    private sealed record AuditEngine(IAuditLog Store);
}
