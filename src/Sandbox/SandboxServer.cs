using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using PscaleBot.Sandbox.Faults;
using PscaleBot.Sandbox.OnCall;
using PscaleBot.Sandbox.Pipeline;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox;

/// <summary>
/// The sandbox running in-process on a loopback port (used by the shell, tests and benchmarks).
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SandboxStateStore store;
    private int disposed;

    private SandboxServer(WebApplication app, SandboxStateStore store, Uri baseAddress, SandboxCredentials credentials, SandboxFaults faults)
    {
        this.app = app;
        this.store = store;
        BaseAddress = baseAddress;
        ServiceTokenId = credentials.BotTokenId;
        ServiceToken = credentials.BotSecret;
        AccessToken = credentials.AccessToken;
        Faults = faults;
    }

    /// <summary>The API root, ending in <c>/v1</c>, e.g. <c>http://127.0.0.1:5123/v1</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The id of the credential the bot uses to call the sandbox.</summary>
    public string ServiceTokenId { get; }

    /// <summary>The secret of the credential the bot uses to call the sandbox.</summary>
    public string ServiceToken { get; }

    /// <summary>An access token for <c>Authorization: Bearer …</c>, acting as an admin of every organization.</summary>
    public string AccessToken { get; }

    /// <summary>The live fault settings; change them while the server runs.</summary>
    public SandboxFaults Faults { get; }

    /// <summary>Who the simulated PagerDuty and Opsgenie say is on call; change it while the server runs.</summary>
    public OnCallRota OnCall => app.Services.GetRequiredService<OnCallRota>();

    /// <summary>The simulated PagerDuty API root (<c>OnCall:PagerDuty:BaseUrl</c>), e.g. <c>http://127.0.0.1:5123/pagerduty</c>.</summary>
    public Uri PagerDutyBaseAddress => new(BaseAddress, "/pagerduty");

    /// <summary>The simulated Opsgenie API root (<c>OnCall:Opsgenie:BaseUrl</c>), e.g. <c>http://127.0.0.1:5123/opsgenie</c>.</summary>
    public Uri OpsgenieBaseAddress => new(BaseAddress, "/opsgenie");

    /// <summary>The state file, or null when state is in memory only.</summary>
    public string? StatePath => store.StatePath;

    /// <summary>Starts the sandbox on 127.0.0.1 with a free port.</summary>
    public static Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, TimeProvider.System, cancellationToken);

    /// <summary>Starts the sandbox on 127.0.0.1 (port <see cref="SandboxOptions.Port"/>, 0 for a free one) with the given clock.</summary>
    /// <exception cref="OptionsValidationException">A setting is unusable; the message names it.</exception>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var validation = new SandboxOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SandboxOptions), validation.Failures);
        }

        var credentials = new SandboxCredentials(
            options.ServiceTokenId ?? SandboxSeed.BotTokenId,
            options.ServiceToken ?? Credentials.NewSecret(),
            options.AccessToken ?? "pscale_oauth_" + Credentials.NewSecret()[Credentials.SecretPrefix.Length..]);
        var store = await SandboxStateStore.OpenAsync(
            options.StatePath, options.Fresh, timeProvider.GetUtcNow(), credentials.BotTokenId, credentials.BotSecret, cancellationToken);
        var faults = new SandboxFaults(options.Faults ?? new FaultOptions());

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The host process's appsettings and ASPNETCORE_* variables are not the sandbox's business.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, InProcessHostLifetime>();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddSandboxServices(store, credentials, faults, timeProvider);

        var app = builder.Build();
        app.UseSandboxPipeline();
        app.MapSandboxEndpoints();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            store.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxServer(app, store, new Uri(address.TrimEnd('/') + "/v1"), credentials, faults);
    }

    /// <summary>Completes when the application is asked to stop (used by the standalone program).</summary>
    internal Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        store.Dispose();
    }
}
