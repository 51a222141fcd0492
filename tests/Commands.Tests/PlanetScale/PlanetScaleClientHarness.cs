using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.TestSupport.Time;

namespace PscaleBot.Commands.Tests.PlanetScale;

/// <summary>
/// The real registration (<see cref="PlanetScaleClientServiceCollectionExtensions.AddPlanetScaleClient"/>) with a
/// scripted fake server as the primary handler, a fake clock and a fake log.
/// </summary>
internal sealed class PlanetScaleClientHarness : IDisposable
{
    public const string ServiceTokenId = "svcid0000001";
    public const string ServiceTokenSecret = "pscale_tkn_HARNESSSECRETvalue0123456789";

    private PlanetScaleClientHarness(ServiceProvider provider, ScriptedPlanetScaleHandler handler, FakeTimeProvider time)
    {
        Provider = provider;
        Handler = handler;
        Time = time;
    }

    public ServiceProvider Provider { get; }

    public ScriptedPlanetScaleHandler Handler { get; }

    public FakeTimeProvider Time { get; }

    public IPlanetScaleService Service => Provider.GetRequiredService<IPlanetScaleService>();

    public FakeLogCollector Logs => Provider.GetFakeLogCollector();

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["PlanetScale:BaseUrl"] = "https://api.planetscale.test/v1",
        ["PlanetScale:DefaultOrganization"] = "acme",
        ["PlanetScale:ServiceTokenId"] = ServiceTokenId,
        ["PlanetScale:ServiceToken"] = ServiceTokenSecret,
        ["PlanetScale:DiagnoseNotFound"] = "false",
    };

    public static PlanetScaleClientHarness Create(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = DefaultSettings();
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var handler = new ScriptedPlanetScaleHandler();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 18, 0, 0, TimeSpan.Zero));

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
        services.AddFakeLogging();
        services.AddPlanetScaleClient(configuration);
        services.AddHttpClient(PlanetScaleClientServiceCollectionExtensions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new PlanetScaleClientHarness(provider, handler, time);
    }

    /// <summary>
    /// Runs a call while moving the fake clock on in one-second steps until it finishes, so backoff delays and timeouts
    /// elapse without real waiting. Each step waits for the process to go quiet first (see <see cref="FakeClockDriver"/>).
    /// </summary>
    public Task<T> RunWithClockAsync<T>(Func<Task<T>> call) => FakeClockDriver.DriveAsync(Time, call(), TimeSpan.FromSeconds(1));

    public Task RunWithClockAsync(Func<Task> call) => RunWithClockAsync(async () =>
    {
        await call();
        return true;
    });

    /// <summary>
    /// Disposes the container while moving the fake clock on: Polly waits, on the pipeline's clock, for calls still in
    /// flight (a cancelled call to a server that never answers, a call queued in the budget), which on a clock nobody
    /// moves never ends. On the thread pool, so the wait never needs the test framework's synchronization context.
    /// </summary>
    public void Dispose() => Task.Run(() => FakeClockDisposal.DisposeAsync(Time, Provider.DisposeAsync)).GetAwaiter().GetResult();
}
