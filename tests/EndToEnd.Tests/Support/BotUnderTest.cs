using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PscaleBot.Sandbox;
using PscaleBot.Sandbox.OnCall;
using PscaleBot.TestSupport.Time;

namespace PscaleBot.EndToEnd.Tests.Support;

/// <summary>What a test wants of the bot it starts.</summary>
public sealed record BotSetup
{
    /// <summary>The policy file's text.</summary>
    public required string PolicyYaml { get; init; }

    /// <summary>Extra settings (Slack:…, Teams:…, AccessRequests:…), applied over the harness's.</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    /// <summary>The clock of the bot and the sandbox; the system clock when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Sandbox settings (latency, faults); in-memory with no rate limit when null.</summary>
    public SandboxOptions? Sandbox { get; init; }

    /// <summary>Further service overrides.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>
/// The real bot (Program) listening on a loopback port through Kestrel, talking over real HTTP to a real
/// sandbox, with its own temporary data folder and policy file, and every log record captured.
/// </summary>
public sealed class BotUnderTest : IAsyncDisposable
{
    private readonly BotFactory factory;
    private readonly TimeProvider? time;

    private BotUnderTest(BotFactory factory, SandboxServer sandbox, string dataDirectory, TimeProvider? time)
    {
        this.factory = factory;
        this.time = time;
        Sandbox = sandbox;
        DataDirectory = dataDirectory;
    }

    /// <summary>The sandbox the bot talks to.</summary>
    public SandboxServer Sandbox { get; }

    /// <summary>Where the audit log and access store live.</summary>
    public string DataDirectory { get; }

    /// <summary>The audit database.</summary>
    public string AuditPath => Path.Combine(DataDirectory, "audit.db");

    /// <summary>The access-request store.</summary>
    public string AccessStorePath => Path.Combine(DataDirectory, "access.db");

    /// <summary>The bot's root URL on loopback.</summary>
    public Uri BaseAddress => factory.ClientOptions.BaseAddress;

    /// <summary>The bot's services.</summary>
    public IServiceProvider Services => factory.Services;

    /// <summary>Every log record the bot wrote, at every level.</summary>
    public FakeLogCollector Logs => factory.Services.GetRequiredService<FakeLogCollector>();

    /// <summary>Starts the sandbox, then the bot pointed at it.</summary>
    public static async Task<BotUnderTest> StartAsync(BotSetup setup, string? dataDirectory = null)
    {
        var sandboxOptions = setup.Sandbox ?? new SandboxOptions();
        sandboxOptions.Faults.RateLimitPerMinute = setup.Sandbox?.Faults.RateLimitPerMinute ?? 0;
        var sandbox = await SandboxServer.StartAsync(sandboxOptions, setup.Time ?? TimeProvider.System, CancellationToken.None);

        dataDirectory ??= Directory.CreateTempSubdirectory("pscale-bot-e2e-").FullName;
        var policyPath = Path.Combine(dataDirectory, "policy.yaml");
        await File.WriteAllTextAsync(policyPath, setup.PolicyYaml);
        var settings = new Dictionary<string, string?>
        {
            ["PlanetScale:BaseUrl"] = sandbox.BaseAddress.ToString(),
            ["PlanetScale:ServiceTokenId"] = sandbox.ServiceTokenId,
            ["PlanetScale:ServiceToken"] = sandbox.ServiceToken,
            ["PlanetScale:DefaultOrganization"] = "acme",
            ["PlanetScale:UseSandbox"] = "false",
            ["Policy:Path"] = policyPath,
            ["Audit:Path"] = Path.Combine(dataDirectory, "audit.db"),
            ["AccessRequests:StorePath"] = Path.Combine(dataDirectory, "access.db"),
            // The sandbox's PagerDuty and Opsgenie; asked only when the policy has an oncall: pagerduty: / opsgenie: section.
            ["OnCall:PagerDuty:BaseUrl"] = sandbox.PagerDutyBaseAddress.ToString(),
            ["OnCall:PagerDuty:ApiKey"] = OnCallRota.PagerDutyApiKey,
            ["OnCall:Opsgenie:BaseUrl"] = sandbox.OpsgenieBaseAddress.ToString(),
            ["OnCall:Opsgenie:ApiKey"] = OnCallRota.OpsgenieApiKey,
        };
        foreach (var (key, value) in setup.Settings)
        {
            settings[key] = value;
        }

        var factory = new BotFactory(settings, setup.Time, setup.ConfigureServices);
        // No port here: WebApplicationFactory.UseKestrel(port) races with the server's address list
        // (dotnet/aspnetcore#67714); the loopback port-0 endpoint is set in Kestrel's options instead.
        factory.UseKestrel();
        factory.StartServer();
        var bot = new BotUnderTest(factory, sandbox, dataDirectory, setup.Time);
        // Settle first: the start-up credential check calls PlanetScale in the background, and tests
        // that count the bot's outbound calls must not see it.
        await bot.WaitForLogAsync(r => r.Category?.EndsWith(".PlanetScaleStartupCheck", StringComparison.Ordinal) == true);
        return bot;
    }

    /// <summary>A client for the bot's real HTTP endpoint.</summary>
    public HttpClient CreateClient() => factory.CreateClient();

    /// <summary>True when any log record (message, state values or exception) contains <paramref name="text"/>.</summary>
    public bool LogsContain(string text) => Logs.GetSnapshot().Any(r =>
        r.Message.Contains(text, StringComparison.Ordinal)
        || (r.Exception?.ToString().Contains(text, StringComparison.Ordinal) ?? false)
        || (r.StructuredState?.Any(kv => kv.Value?.Contains(text, StringComparison.Ordinal) ?? false) ?? false));

    /// <summary>Waits (bounded) until the bot has logged a record that matches.</summary>
    public async Task<FakeLogRecord> WaitForLogAsync(Func<FakeLogRecord, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Logs.GetSnapshot().FirstOrDefault(match) is { } record)
            {
                return record;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Stops the bot and the sandbox; keeps the data folder when a test wants to restart over it.</summary>
    public async ValueTask DisposeAsync()
    {
        await FakeClockDisposal.DisposeAsync(time, factory.DisposeAsync);
        await Sandbox.DisposeAsync();
    }

    private sealed class BotFactory(
        Dictionary<string, string?> settings,
        TimeProvider? time,
        Action<IServiceCollection>? configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Not Development: nothing starts an embedded sandbox; the test's own sandbox is configured.
            builder.UseEnvironment("Testing");
            builder.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
            builder.ConfigureLogging(l => l.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
            builder.ConfigureServices(services =>
            {
                if (time is not null)
                {
                    services.RemoveAll<TimeProvider>();
                    services.AddSingleton(time);
                }

                configure?.Invoke(services);
            });
        }
    }
}
