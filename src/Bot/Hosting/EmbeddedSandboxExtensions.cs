using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Sandbox;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Runs the PlanetScale sandbox in-process and points the client at it. The shell does this whenever
/// no PlanetScale credentials are configured; the server only when <c>PlanetScale:UseSandbox</c> says so
/// (appsettings.Development.json does).
/// </summary>
/// <remarks>
/// The sandbox is a web host of its own. It starts as the first hosted service, after the bot's host is
/// built, never before: a host built earlier would be taken for the application's host by tooling that
/// watches host construction (WebApplicationFactory in the tests, EF tools). Its port and credential are
/// chosen here, up front, so the PlanetScale settings are complete before anything reads them.
/// </remarks>
public static class EmbeddedSandboxExtensions
{
    /// <summary>The organization the sandbox is seeded with.</summary>
    public const string SandboxOrganization = "acme";

    /// <summary>
    /// Registers the sandbox when configuration asks for it (or, with <paramref name="whenNoCredentials"/>,
    /// when no credentials are configured and <c>PlanetScale:UseSandbox</c> is not set) and overrides the
    /// PlanetScale settings to use it. Returns the sandbox's API root, or null when the real API is used.
    /// </summary>
    public static Uri? AddEmbeddedSandbox(this IHostApplicationBuilder builder, bool whenNoCredentials)
    {
        var section = builder.Configuration.GetSection(PlanetScaleOptions.SectionName);
        var planetScale = section.Get<PlanetScaleOptions>() ?? new PlanetScaleOptions();
        var explicitChoice = section[nameof(PlanetScaleOptions.UseSandbox)];
        // Half a credential is a mistake to report (the options validator names the missing half), never a
        // reason to quietly act on the sandbox instead of the organization the person meant.
        var useSandbox = explicitChoice is null ? whenNoCredentials && !planetScale.HasAnyCredentialSetting : planetScale.UseSandbox;
        if (!useSandbox)
        {
            return null;
        }

        var sandboxOptions = builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
        if (sandboxOptions.Port == 0)
        {
            sandboxOptions.Port = FreeLoopbackPort();
        }

        sandboxOptions.ServiceTokenId ??= SandboxSeed.BotTokenId;
        sandboxOptions.ServiceToken ??= NewSandboxSecret();
        var baseAddress = new Uri($"http://127.0.0.1:{sandboxOptions.Port}/v1");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PlanetScale:UseSandbox"] = "true",
            ["PlanetScale:BaseUrl"] = baseAddress.ToString(),
            ["PlanetScale:ServiceTokenId"] = sandboxOptions.ServiceTokenId,
            ["PlanetScale:ServiceToken"] = sandboxOptions.ServiceToken,
            ["PlanetScale:AccessToken"] = null,
            ["PlanetScale:DefaultOrganization"] = string.IsNullOrWhiteSpace(planetScale.DefaultOrganization)
                ? SandboxOrganization
                : planetScale.DefaultOrganization,
        });
        builder.Services.AddHostedService(sp => new EmbeddedSandboxLifetime(
            sandboxOptions, sp.GetRequiredService<ILogger<EmbeddedSandboxLifetime>>()));
        return baseAddress;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The shape PlanetScale secrets have; the sandbox accepts only that shape.
    private static string NewSandboxSecret() =>
        "pscale_tkn_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 43);
}

/// <summary>Starts the embedded sandbox with the host, announces it in the log, and stops it with the host.</summary>
internal sealed partial class EmbeddedSandboxLifetime(SandboxOptions options, ILogger<EmbeddedSandboxLifetime> logger) : IHostedService
{
    private SandboxServer? sandbox;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Build the sandbox's host on a flow that does not carry this host's async-locals: tooling that
        // watches host construction (WebApplicationFactory follows the flow it started the app on) must
        // not mistake it for the application and, say, swap its Kestrel for a test server.
        Task<SandboxServer> starting;
        using (ExecutionContext.SuppressFlow())
        {
            starting = Task.Run(() => SandboxServer.StartAsync(options, cancellationToken), cancellationToken);
        }

        sandbox = await starting;
        LogUsingSandbox(sandbox.BaseAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (sandbox is not null)
        {
            await sandbox.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Using the embedded PlanetScale sandbox at {BaseAddress}: no real PlanetScale organization is touched (PlanetScale:UseSandbox)")]
    private partial void LogUsingSandbox(Uri baseAddress);
}
