using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox;

/// <summary>
/// Standalone entry point: <c>dotnet run --project src/Sandbox [-- --port 5280 --state path --fresh --in-memory]</c>.
/// Settings also come from <c>sandbox.json</c> in the working directory and <c>Sandbox__*</c> environment variables.
/// </summary>
public static class SandboxProgram
{
    /// <summary>The port used standalone when none is configured.</summary>
    public const int DefaultPort = 5280;

    /// <summary>Runs the sandbox until stopped (Ctrl+C); 2 when the settings are unusable.</summary>
    public static async Task<int> Main(string[] args)
    {
        var fresh = args.Contains("--fresh", StringComparer.Ordinal);
        var inMemory = args.Contains("--in-memory", StringComparer.Ordinal);
        var rest = args.Where(a => a is not ("--fresh" or "--in-memory")).ToArray();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "sandbox.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(rest, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["--port"] = "Sandbox:Port",
                ["--state"] = "Sandbox:StatePath",
            })
            .Build();

        var section = configuration.GetSection(SandboxOptions.SectionName);
        var options = new SandboxOptions { Port = DefaultPort };
        section.Bind(options);
        options.Fresh |= fresh;
        options.StatePath = inMemory ? null : options.StatePath ?? SandboxOptions.DefaultStatePath;
        var secretConfigured = options.ServiceToken is not null;
        var accessTokenConfigured = options.AccessToken is not null;

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        // `docker stop`, systemd and `timeout` send SIGTERM: stop the same orderly way as on Ctrl+C.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        SandboxServer server;
        try
        {
            server = await SandboxServer.StartAsync(options, TimeProvider.System, stop.Token);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("The sandbox settings are unusable: " + string.Join(" ", e.Failures));
            return 2;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        await using (server)
        {
            Console.WriteLine($"PlanetScale sandbox listening on {server.BaseAddress}");
            Console.WriteLine($"State: {(server.StatePath is { } statePath ? Path.GetFullPath(statePath) : "in memory")}{(options.Fresh ? " (fresh from the seed)" : "")}");
            Console.WriteLine($"Organization: {SandboxSeed.Organization}");
            Console.WriteLine($"Service token id: {server.ServiceTokenId}");
            // Sandbox-only credentials, generated for this run: printing them is how a local user gets to use them.
            Console.WriteLine(secretConfigured
                ? "Service token: (as configured in Sandbox:ServiceToken)"
                : $"Service token: {server.ServiceToken}   (sandbox-only; set Sandbox:ServiceToken to keep one across restarts)");
            if (!accessTokenConfigured)
            {
                Console.WriteLine($"Bearer access token: {server.AccessToken}   (sandbox-only admin)");
            }

            Console.WriteLine("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping.");
            }
        }

        return 0;
    }
}
