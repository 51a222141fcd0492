using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Access.Handlers;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>The composition and the hosted services, in a real host over a real SQLite file with a fake clock.</summary>
public sealed class AccessHostingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "pscale-access-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(directory, "access.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task On_start_the_expiry_service_revokes_what_fell_due_while_the_bot_was_down_then_wakes_for_new_grants()
    {
        var before = new AccessWorld(new SqliteAccessStore(DbPath));
        await before.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1));
        SqliteConnection.ClearAllPools();
        before.Time.Advance(TimeSpan.FromHours(2));
        Assert.True(before.Holds());

        using var host = BuildHost(before, new Dictionary<string, string?> { ["AccessRequests:StorePath"] = DbPath });
        await host.StartAsync();
        try
        {
            var expiry = host.Services.GetServices<IHostedService>().OfType<GrantExpiryService>().Single();
            await Eventually(() => !before.Holds() && expiry.CompletedSweeps >= 1);
            Assert.True(before.Holds("read_branch"));
            var sweeps = expiry.CompletedSweeps;

            // A grant made while the service sleeps: the wake signal makes it compute the new due time.
            await using (var scope = host.Services.CreateAsyncScope())
            {
                var service = scope.ServiceProvider.GetRequiredService<GrantRequests>();
                var made = await service.GrantTimeBoundAsync(AccessWorld.Chat(AccessWorld.Carol), before.Api.Organization,
                    AccessWorld.AddAccess("prod", TimeSpan.FromMinutes(5), "check", false, "read_deploy_request"), default);
                Assert.True(made.Succeeded);
            }

            Assert.True(before.Holds("read_deploy_request"));
            await Eventually(() => expiry.CompletedSweeps > sweeps);
            before.Time.Advance(TimeSpan.FromMinutes(5));

            // Nudge the clock while waiting, in case the service armed its timer just after the advance above.
            await Eventually(() =>
            {
                before.Time.Advance(TimeSpan.FromSeconds(1));
                return !before.Holds("read_deploy_request");
            });
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_bot_stopped_mid_revoke_hands_the_grant_to_another_replica_at_once()
    {
        var world = new AccessWorld(new SqliteAccessStore(DbPath));
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        world.Time.Advance(TimeSpan.FromHours(2));
        var deleting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Api.BeforeDelete = async cancellationToken =>
        {
            deleting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        };

        using var host = BuildHost(world, new Dictionary<string, string?> { ["AccessRequests:StorePath"] = DbPath });
        await host.StartAsync();
        await deleting.Task.WaitAsync(Patience);

        // A rolling deploy whose stop budget is already spent: the DELETE is abandoned and the claim handed back.
        await host.StopAsync(new CancellationToken(canceled: true));
        world.Api.BeforeDelete = null;

        Assert.Null((await world.Store.GetGrantAsync(grant.Id, default))!.Claim);
        var other = world.OtherReplica(new SqliteAccessStore(DbPath));
        await other.SweepAsync();
        Assert.False(other.Holds());
        Assert.Equal(AccessGrantState.Expired, (await other.Store.GetGrantAsync(grant.Id, default))!.State);
        Assert.Empty(world.Notices.Of<AccessAlert>());
    }

    [Fact]
    public async Task The_reconcile_service_reports_drift_every_interval()
    {
        var world = new AccessWorld(new SqliteAccessStore(DbPath));
        await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(4));
        world.Api.SetByHand(AccessWorld.Token, "prod", "connect_production_branch", held: false);

        using var host = BuildHost(world, new Dictionary<string, string?>
        {
            ["AccessRequests:StorePath"] = DbPath,
            ["AccessRequests:ReconcileInterval"] = "00:05:00",
        });
        await host.StartAsync();
        try
        {
            Assert.Empty(world.Audit.Transitions(AccessTransitions.Drift));
            await Eventually(() =>
            {
                world.Time.Advance(TimeSpan.FromMinutes(5));
                return world.Audit.Transitions(AccessTransitions.Drift).Count > 0;
            });
            Assert.Contains("should be held", world.Audit.Transitions(AccessTransitions.Drift)[0].Command, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData("AccessRequests:StorePath", "", "AccessRequests:StorePath")]
    [InlineData("AccessRequests:RosterPath", "/nonexistent/oncall.yaml", "AccessRequests:RosterPath")]
    [InlineData("AccessRequests:RevokeRetryInitialDelay", "00:00:00", "AccessRequests:RevokeRetryInitialDelay")]
    [InlineData("AccessRequests:RevokeAlertAfterFailures", "0", "RevokeAlertAfterFailures")]
    public async Task Bad_settings_stop_the_start_with_a_message_naming_the_setting(string key, string value, string named)
    {
        var world = new AccessWorld(new InMemoryAccessStore());
        using var host = BuildHost(world, new Dictionary<string, string?> { ["AccessRequests:StorePath"] = DbPath, [key] = value });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_composition_resolves_every_access_service_with_the_headless_notifier()
    {
        var world = new AccessWorld(new InMemoryAccessStore());
        using var host = BuildHost(world, new Dictionary<string, string?> { ["AccessRequests:StorePath"] = DbPath });
        using var scope = host.Services.CreateScope();
        Assert.IsType<SqliteAccessStore>(scope.ServiceProvider.GetRequiredService<IAccessStore>());
        Assert.IsType<EmptyOnCallRoster>(scope.ServiceProvider.GetRequiredService<IOnCallRoster>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<GrantRequests>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<RequestSettlement>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<GrantChanges>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<AccessListing>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<AccessRequestHandler>());
        Assert.IsType<LoggingAccessNotifier>(Assert.Single(scope.ServiceProvider.GetServices<IAccessNotifier>()));
    }

    [Fact]
    public void A_configured_roster_path_uses_the_schedule_file()
    {
        var roster = Path.Combine(directory, "oncall.yaml");
        Directory.CreateDirectory(directory);
        File.WriteAllText(roster, "[]");
        var world = new AccessWorld(new InMemoryAccessStore());
        using var host = BuildHost(world, new Dictionary<string, string?> { ["AccessRequests:StorePath"] = DbPath, ["AccessRequests:RosterPath"] = roster });
        Assert.IsType<ScheduleFileOnCallRoster>(host.Services.GetRequiredService<IOnCallRoster>());
    }

    private static IHost BuildHost(AccessWorld world, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(world.Time);
        builder.Services.AddSingleton<IPlanetScaleService>(world.Api);
        builder.Services.AddSingleton<IAuthorizationPolicy>(world.Policy);
        builder.Services.AddSingleton<IAuditLog>(world.Audit);
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
