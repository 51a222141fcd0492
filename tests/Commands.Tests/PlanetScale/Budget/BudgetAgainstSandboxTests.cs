using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.PlanetScale.Budget;
using PscaleBot.Sandbox;
using Xunit.Abstractions;

namespace PscaleBot.Commands.Tests.PlanetScale.Budget;

/// <summary>The real client against the real sandbox over loopback HTTP, both on one fake clock where time matters.</summary>
public sealed class BudgetAgainstSandboxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 30, TimeSpan.Zero));
    private SandboxServer sandbox = null!;

    public async Task InitializeAsync() =>
        sandbox = await SandboxServer.StartAsync(new SandboxOptions { Faults = { RateLimitPerMinute = 0 } }, time, CancellationToken.None);

    public async Task DisposeAsync() => await sandbox.DisposeAsync();

    [Fact]
    public async Task Within_the_budget_a_burst_at_a_low_rate_limit_gets_every_answer_and_no_429()
    {
        await using var services = Client(time, requestsPerMinute: 5);
        using var calls = new MetricCollector<long>(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), PlanetScaleMetrics.MeterName, "pscalebot.planetscale.calls");
        // Twelve creates on a budget of five a minute take three minutes of the fake clock: seeding is driven too
        // (before, it was awaited with the clock standing still, and the sixth create waited for ever).
        var ids = (await DriveClockAsync([SeedTokensAsync(services, 12)]))[0];
        sandbox.Faults.SetRateLimit(5);

        var answers = await DriveClockAsync(ids.Select(id => services.GetRequiredService<IPlanetScaleService>().GetTokenAsync("acme", id, CancellationToken.None)));

        Assert.Equal(ids, answers.Select(a => a.Id));
        Assert.DoesNotContain(calls.GetMeasurementSnapshot(), m => (string?)m.Tags["status"] == "429");
    }

    [Fact]
    public async Task Without_the_budget_the_same_burst_draws_429s_that_reach_users()
    {
        await using var services = Client(time, requestsPerMinute: 0);
        var ids = await SeedTokensAsync(services, 12);
        sandbox.Faults.SetRateLimit(5);

        var failures = 0;
        foreach (var call in ids.Select(id => services.GetRequiredService<IPlanetScaleService>().GetTokenAsync("acme", id, CancellationToken.None)).ToList())
        {
            try
            {
                await DriveClockAsync([call]);
            }
            catch (PlanetScaleApiException exception) when (exception.Kind == PlanetScaleErrorKind.RateLimited)
            {
                failures++;
            }
        }

        Assert.True(failures > 0);
    }

    [Fact]
    public async Task A_burst_of_a_thousand_reads_from_fifty_users_makes_a_handful_of_calls()
    {
        // Real time here: the sandbox at its default 600 a minute, the client with its default budget and cache.
        var real = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
        await using var _ = real;
        await using var services = Client(TimeProvider.System, requestsPerMinute: 600, real);
        using var calls = new MetricCollector<long>(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), PlanetScaleMetrics.MeterName, "pscalebot.planetscale.calls");
        var tokens = await SeedTokensAsync(services, 2);
        calls.Clear();

        var burst = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            var service = services.GetRequiredService<IPlanetScaleService>(); // one per command, as in the bot
            switch (i % 4)
            {
                case 0: await service.ListTokensAsync("acme", CancellationToken.None); break;
                case 1: await service.ListTokensAsync("acme", CancellationToken.None); break; // list --format csv reads the same
                case 2: await service.GetGrantsAsync("acme", tokens[0], CancellationToken.None); break;
                default: await service.GetGrantsAsync("acme", tokens[1], CancellationToken.None); break;
            }
        }));
        await Task.WhenAll(burst);

        var sent = calls.GetMeasurementSnapshot().Sum(m => m.Value);
        output.WriteLine($"1,000 reads (list and show-access of 2 tokens, 50 users) made {sent} PlanetScale call(s).");
        Assert.InRange(sent, 3, 100);
        Assert.DoesNotContain(calls.GetMeasurementSnapshot(), m => (string?)m.Tags["status"] != "2xx");
    }

    private ServiceProvider Client(TimeProvider clock, int requestsPerMinute, SandboxServer? server = null)
    {
        server ??= sandbox;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PlanetScale:BaseUrl"] = server.BaseAddress.ToString(),
            ["PlanetScale:ServiceTokenId"] = server.ServiceTokenId,
            ["PlanetScale:ServiceToken"] = server.ServiceToken,
            ["PlanetScale:DefaultOrganization"] = "acme",
            ["PlanetScale:RequestsPerMinute"] = requestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PlanetScale:TotalTimeout"] = "00:05:00",
            // The fake clock may step while a loopback request is in flight when other tests keep the machine busy;
            // these tests are about the budget, so an attempt is not cut short by a step of the clock.
            ["PlanetScale:AttemptTimeout"] = "00:05:00",
        }).Build();
        return new ServiceCollection().AddSingleton(clock).AddLogging().AddPlanetScaleClient(configuration).BuildServiceProvider();
    }

    private static async Task<List<string>> SeedTokensAsync(ServiceProvider services, int count)
    {
        var service = services.GetRequiredService<IPlanetScaleService>();
        List<string> ids = [];
        for (var i = 0; i < count; i++)
        {
            ids.Add((await service.CreateTokenAsync("acme", $"burst-{i}", null, CancellationToken.None)).Id);
        }

        return ids;
    }

    // Moves the fake clock on in one-second steps while the calls run, each step once the process has gone quiet.
    private Task<T[]> DriveClockAsync<T>(IEnumerable<Task<T>> calls) => FakeClockDriver.DriveAsync(time, Task.WhenAll(calls), TimeSpan.FromSeconds(1));
}
