using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// Readiness of the shared database: on PostgreSQL, one <c>SELECT 1</c> through the pool within a few seconds, so a
/// replica that cannot reach the database leaves the load balancer and <c>/readyz</c> says why. SQLite files are
/// checked by their own stores (the access sweep), so this reports healthy there.
/// </summary>
public sealed class DatabaseHealthCheck(IServiceProvider services, IOptions<StorageOptions> options) : IHealthCheck
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.Engine != StorageProvider.Postgres)
        {
            return HealthCheckResult.Healthy("the stores are SQLite files");
        }

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var where = PostgresDatabase.Describe(dataSource);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(budget.Token);
            return HealthCheckResult.Healthy($"PostgreSQL ({where}) answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(Sentence(where, $"it did not answer within {Budget.TotalSeconds:0} s"));
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(Sentence(where, StoreFailure.Reason(ex)));
        }
    }

    private static string Sentence(string where, string reason) =>
        $"The database ({StorageOptions.ConnectionStringSetting}, {where}) cannot be used: {reason}; commands that need it answer that they are temporarily unavailable until it works again.";
}
