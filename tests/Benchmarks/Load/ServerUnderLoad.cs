using System.Globalization;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// Starts one server of a <see cref="ServerSpec"/> as a real process pointed at the sandbox and the loopback Slack:
/// the bot published in Release (its own executable, or <c>dotnet PscaleBot.Bot.dll</c> for an older framework-dependent
/// publish; Slack HTTP mode, settings by environment) or the
/// Bolt peer (<c>node index.js</c>).
/// </summary>
internal static class ServerUnderLoad
{
    /// <summary>The signing secret of every command.</summary>
    public const string SigningSecret = "load-signing-secret-0123456789abcdef";

    private static readonly string Policy = $$"""
        roles:
          viewer:
            commands: [list, show, show-access]
        bindings:
          - where: slack:channel:{{LoadSlack.ChannelId}}
            who: slack:usergroup:{{LoadSlack.GroupId}}
            roles: [viewer]
        """;

    /// <summary>
    /// Starts one process of the server on a free port, working in <paramref name="dataDirectory"/> (its log and policy
    /// there), the bot with <paramref name="storage"/>'s settings; returns the process and its root URL (not waiting for
    /// readiness).
    /// </summary>
    public static (ServerProcess Process, Uri Root) Start(
        ServerSpec server, StandaloneSandbox sandbox, LoadSlack slack, string dataDirectory, IReadOnlyDictionary<string, string> storage)
    {
        var port = ServerProcess.FreePort();
        var root = new Uri($"http://127.0.0.1:{port}/");
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var log = Path.Combine(dataDirectory, server.Kind == ServerKind.Bot ? "bot.log" : "bolt.log");
        if (server.Kind == ServerKind.Bolt)
        {
            var boltEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PORT"] = portText,
                ["SLACK_SIGNING_SECRET"] = SigningSecret,
                ["SLACK_BOT_TOKEN"] = "xoxb-load-bot-token",
                ["SLACK_API_URL"] = slack.ApiBase.ToString(),
                ["PLANETSCALE_BASE_URL"] = sandbox.ApiBase.ToString(),
                ["PLANETSCALE_TOKEN_ID"] = StandaloneSandbox.ServiceTokenId,
                ["PLANETSCALE_TOKEN"] = sandbox.ServiceToken,
                ["PLANETSCALE_ORG"] = "acme",
                ["NODE_ENV"] = "production",
            };
            return (ServerProcess.Start("node", ["index.js"], server.Folder, boltEnvironment, log), root);
        }

        // A folder of its own, as in the compose and Kubernetes files (/etc/pscale-bot): the bot watches the policy's
        // folder, and beside the SQLite files every write to them would be a file-system event for it to filter out.
        var policyPath = Path.Combine(Directory.CreateDirectory(Path.Combine(dataDirectory, "policy")).FullName, "policy.yaml");
        File.WriteAllText(policyPath, Policy);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = root.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Slack__Enabled"] = "true",
            ["Slack__Mode"] = "Http",
            ["Slack__SigningSecret"] = SigningSecret,
            ["Slack__BotToken"] = "xoxb-load-bot-token",
            ["Slack__ApiBaseUrl"] = slack.ApiBase.ToString(),
            ["Slack__ResponseUrlHosts__0"] = "127.0.0.1",
            ["Slack__AllowedTeamIds__0"] = LoadSlack.TeamId,
            ["PlanetScale__BaseUrl"] = sandbox.ApiBase.ToString(),
            ["PlanetScale__ServiceTokenId"] = StandaloneSandbox.ServiceTokenId,
            ["PlanetScale__ServiceToken"] = sandbox.ServiceToken,
            ["PlanetScale__DefaultOrganization"] = "acme",
            ["PlanetScale__UseSandbox"] = "false",
            ["Policy__Path"] = policyPath,
        };
        foreach (var (key, value) in storage)
        {
            environment[key] = value;
        }

        // For experiments on the bot alone (a runtime knob, a log level), not on the driver or the sandbox:
        // PSCALE_LOAD_BOT_ENV="DOTNET_TieredPGO=0;Logging__LogLevel__Default=Debug".
        foreach (var pair in (Environment.GetEnvironmentVariable("PSCALE_LOAD_BOT_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        // A self-contained publish (the image's, since f826931) is started as the image starts it, by its own executable;
        // an older, framework-dependent one through the dotnet host.
        var process = File.Exists(Path.Combine(server.Folder, "libcoreclr.so"))
            ? ServerProcess.Start(Path.Combine(server.Folder, "PscaleBot.Bot"), [], dataDirectory, environment, log)
            : ServerProcess.Start("dotnet", [Path.Combine(server.Folder, "PscaleBot.Bot.dll")], dataDirectory, environment, log);
        return (process, root);
    }
}
