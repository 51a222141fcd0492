using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Hosting;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>
/// Issue 9, finding 4: an access store that fails after start makes <c>/readyz</c> unhealthy with the reason, and the
/// sweep's failure is logged once per state change and alerted to the approvers, like a failing revoke.
/// </summary>
public sealed class AccessStoreFailureTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string directory = Directory.CreateTempSubdirectory("pscale-access-fail-").FullName;

    private string DbPath => Path.Combine(directory, "access.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_store_that_becomes_corrupt_makes_readiness_unhealthy_alerts_approvers_once_and_recovers()
    {
        var world = new AccessWorld(new InMemoryAccessStore());
        var logs = new FakeLogCollector();
        using var host = BuildHost(world, logs);
        await host.StartAsync();
        try
        {
            var expiry = host.Services.GetServices<IHostedService>().OfType<GrantExpiryService>().Single();
            var health = host.Services.GetRequiredService<HealthCheckService>();
            await Eventually(() => expiry.CompletedSweeps >= 1);
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

            // Corrupt the file under the running bot: random bytes, as a broken disk or a bad restore leaves it.
            SqliteConnection.ClearAllPools();
            var backup = await File.ReadAllBytesAsync(DbPath);
            await File.WriteAllBytesAsync(DbPath, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 37 % 251))]);
            File.Delete(DbPath + "-wal");
            File.Delete(DbPath + "-shm");

            await Eventually(() =>
            {
                world.Time.Advance(TimeSpan.FromSeconds(31));
                return Errors(logs).Count >= 1 && expiry.CompletedSweeps >= 4;
            });

            var report = await health.CheckHealthAsync();
            Assert.Equal(HealthStatus.Unhealthy, report.Status);
            var readiness = HealthExtensions.Describe(report);
            Assert.StartsWith("Unhealthy\naccess-store: The access store (AccessRequests:StorePath) cannot be used since ", readiness);
            Assert.Contains("the file is not a SQLite database", readiness);
            Assert.Contains("time-bound grants are not revoked on time", readiness);
            // Several failed passes, one error in the log and one alert: per state change, not per pass.
            Assert.Single(Errors(logs));
            var alert = Assert.Single(world.Notices.Of<AccessAlert>());
            Assert.Equal(AccessAudience.Channel(Commands.Model.ChatPlatform.Slack, "slack:channel:CAPPROVE"), alert.Audience);
            Assert.Equal(["slack:usergroup:SLEADS"], alert.Approvers);
            Assert.StartsWith("The access store (AccessRequests:StorePath) cannot be used since ", alert.Text);

            SqliteConnection.ClearAllPools();
            await File.WriteAllBytesAsync(DbPath, backup);
            await Eventually(() =>
            {
                world.Time.Advance(TimeSpan.FromSeconds(31));
                return logs.GetSnapshot().Any(r => r.Message.StartsWith("The access store works again", StringComparison.Ordinal));
            });

            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
            Assert.Single(Errors(logs));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static List<FakeLogRecord> Errors(FakeLogCollector logs) =>
        [.. logs.GetSnapshot().Where(r => r.Level == LogLevel.Error && r.Category?.EndsWith(nameof(GrantExpiryService), StringComparison.Ordinal) == true)];

    private IHost BuildHost(AccessWorld world, FakeLogCollector logs)
    {
        var policyPath = Path.Combine(directory, "policy.yaml");
        File.WriteAllText(policyPath, """
            roles:
              oncall:
                commands: [add-access]
                organizations: [acme]
                databases: [prod]
                permissions: [read_branch]
                approval:
                  approvers: [slack:usergroup:SLEADS]
                  max_duration: 4h
                  request_channels: { slack: "slack:channel:CAPPROVE" }
            bindings:
              - { where: shell, who: "*", roles: [oncall] }
            """);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AccessRequests:StorePath"] = DbPath });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddSingleton<TimeProvider>(world.Time);
        builder.Services.AddSingleton<IPlanetScaleService>(world.Api);
        builder.Services.AddSingleton<IAuthorizationPolicy>(world.Policy);
        builder.Services.AddSingleton(new PolicyStore(
            Options.Create(new PolicyOptions { Path = policyPath }), world.Time, NullLogger<PolicyStore>.Instance, new PolicyPath(policyPath)));
        builder.Services.AddSingleton<IAuditLog>(world.Audit);
        builder.Services.AddSingleton<IAccessNotifier>(world.Notices);
        builder.AddHealth();
        builder.AddAccessRequests();
        return builder.Build();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        // Waits for the background service to act; the bound only guards against hanging forever.
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The background service did not act in time.");
            await Task.Delay(20);
        }
    }
}
