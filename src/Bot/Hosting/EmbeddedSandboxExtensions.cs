using PscaleBot.Commands.PlanetScale;
using PscaleBot.Sandbox;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Runs the PlanetScale sandbox in-process and points the client at it. The shell does this whenever
/// no PlanetScale credentials are configured; the server only when <c>PlanetScale:UseSandbox</c> says so
/// (appsettings.Development.json does).
/// </summary>
public static class EmbeddedSandboxExtensions
{
    /// <summary>The organization the sandbox is seeded with.</summary>
    public const string SandboxOrganization = "acme";

    /// <summary>
    /// Starts the sandbox when configuration asks for it (or, with <paramref name="whenNoCredentials"/>,
    /// when no credentials are configured and <c>PlanetScale:UseSandbox</c> is not set) and overrides the
    /// PlanetScale settings to use it. Returns the running sandbox, or null when the real API is used.
    /// </summary>
    public static async Task<SandboxServer?> AddEmbeddedSandboxAsync(
        this IHostApplicationBuilder builder,
        bool whenNoCredentials,
        CancellationToken cancellationToken)
    {
        var section = builder.Configuration.GetSection(PlanetScaleOptions.SectionName);
        var planetScale = section.Get<PlanetScaleOptions>() ?? new PlanetScaleOptions();
        var explicitChoice = section[nameof(PlanetScaleOptions.UseSandbox)];
        var useSandbox = explicitChoice is null ? whenNoCredentials && !planetScale.HasCredentials : planetScale.UseSandbox;
        if (!useSandbox)
        {
            return null;
        }

        var sandboxOptions = builder.Configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions();
        var sandbox = await SandboxServer.StartAsync(sandboxOptions, cancellationToken);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PlanetScale:UseSandbox"] = "true",
            ["PlanetScale:BaseUrl"] = sandbox.BaseAddress.ToString(),
            ["PlanetScale:ServiceTokenId"] = sandbox.ServiceTokenId,
            ["PlanetScale:ServiceToken"] = sandbox.ServiceToken,
            ["PlanetScale:AccessToken"] = null,
            ["PlanetScale:DefaultOrganization"] = string.IsNullOrWhiteSpace(planetScale.DefaultOrganization)
                ? SandboxOrganization
                : planetScale.DefaultOrganization,
        });
        builder.Services.AddSingleton(sandbox);
        builder.Services.AddHostedService<EmbeddedSandboxLifetime>();
        return sandbox;
    }
}

/// <summary>Announces the embedded sandbox in the log and stops it with the host.</summary>
internal sealed partial class EmbeddedSandboxLifetime(SandboxServer sandbox, ILogger<EmbeddedSandboxLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogUsingSandbox(sandbox.BaseAddress);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await sandbox.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Using the embedded PlanetScale sandbox at {BaseAddress}: no real PlanetScale organization is touched (PlanetScale:UseSandbox)")]
    private partial void LogUsingSandbox(Uri baseAddress);
}
