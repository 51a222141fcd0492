using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Hosting;
using PscaleBot.Commands.Policy;
using PscaleBot.EndToEnd.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace PscaleBot.EndToEnd.Tests.Deploy;

/// <summary>
/// No container engine runs here, so the deployment files are checked against the real bot instead: every environment
/// variable they set is a setting the server reads, every probe and health-check path is an endpoint it maps, the
/// scrape path answers, and the policy they mount is valid.
/// </summary>
public sealed partial class DeploymentFilesTests : IAsyncLifetime
{
    /// <summary>The repository root (where PscaleBot.slnx is).</summary>
    internal static readonly string Root = FindRoot();
    private BotUnderTest bot = null!;

    public async Task InitializeAsync() => bot = await BotUnderTest.StartAsync(new BotSetup { PolicyYaml = Policies.ShellAdmin });

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public void Every_environment_variable_in_compose_and_kubernetes_is_a_real_setting()
    {
        var settings = new KnownSettings(bot.Services);
        Assert.True(settings.Sections.Contains("Telemetry"));
        Assert.True(settings.Sections.Contains("Policy"));
        // The check itself tells a real setting from a typo.
        Assert.Null(settings.Problem("Slack__ResponseUrlHosts__0"));
        Assert.NotNull(settings.Problem("Slack__SigningSecrett"));
        Assert.NotNull(settings.Problem("Telemetry"));
        Assert.NotNull(settings.Problem("Shell__User"));

        var variables = ComposeVariables().Concat(KubernetesVariables()).ToList();
        Assert.Contains(variables, v => v.Name == "Storage__Provider");
        Assert.Contains(variables, v => v.Name == "PlanetScale__ServiceToken" && v.File.EndsWith("secret.yaml", StringComparison.Ordinal));
        var problems = variables.Select(v => settings.Problem(v.Name) is { } p ? $"{v.File}: {p}" : null).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Every_probe_and_health_check_path_is_an_endpoint_of_the_bot()
    {
        var routes = bot.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>().Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/')).ToHashSet(StringComparer.Ordinal);

        var container = Deployment()["spec"]["template"]["spec"]["containers"][0];
        Assert.Equal("/healthz", Text(container["livenessProbe"]["httpGet"]["path"]));
        Assert.Equal("/readyz", Text(container["readinessProbe"]["httpGet"]["path"]));
        var paths = new[] { "livenessProbe", "readinessProbe", "startupProbe" }
            .Select(p => Text(container[p]["httpGet"]["path"]))
            .Append(DockerHealthCheckPath())
            .ToList();
        Assert.All(paths, p => Assert.Contains(p, routes));

        var annotations = (YamlMappingNode)Deployment()["spec"]["template"]["metadata"]["annotations"];
        Assert.Equal("true", Text(annotations["prometheus.io/scrape"]));
        Assert.Equal(TelemetryExtensions.MetricsPath, Text(annotations["prometheus.io/path"]));
        using var client = bot.CreateClient();
        using var scrape = await client.GetAsync(Text(annotations["prometheus.io/path"]));
        Assert.Equal(System.Net.HttpStatusCode.OK, scrape.StatusCode);
    }

    [Fact]
    public async Task The_Dockerfile_health_check_command_passes_against_the_running_bot()
    {
        var command = DockerHealthCheckCommand();
        Assert.Equal("bash", command[0]);
        // The image listens on 8080; the bot under test on a free port.
        var script = command[2].Replace("127.0.0.1/8080", $"127.0.0.1/{bot.BaseAddress.Port}", StringComparison.Ordinal);
        Assert.NotEqual(command[2], script);

        Assert.Equal(0, (await RunAsync("bash", "-c", script)).ExitCode);
        Assert.NotEqual(0, (await RunAsync("bash", "-c", script.Replace("/healthz", "/no-such-path", StringComparison.Ordinal))).ExitCode);
    }

    [Fact]
    public void The_policy_the_manifests_mount_is_valid_and_where_Policy_Path_points()
    {
        var policyPath = KubernetesVariables().Single(v => v.Name == "Policy__Path").Value!;
        var pod = Deployment()["spec"]["template"]["spec"];
        var mount = ((YamlSequenceNode)pod["containers"][0]["volumeMounts"]).Single(m => Text(m["name"]) == "policy");
        Assert.Equal(Text(mount["mountPath"]), Path.GetDirectoryName(policyPath));
        Assert.False(((YamlMappingNode)mount).Children.ContainsKey("subPath"), "a subPath mount is never updated, so the policy would not reload");
        var configMapName = Text(((YamlSequenceNode)pod["volumes"]).Single(v => Text(v["name"]) == "policy")["configMap"]["name"]);
        var configMap = Documents("kubernetes").Single(d => Text(d.Node["kind"]) == "ConfigMap" && Text(d.Node["metadata"]["name"]) == configMapName).Node;
        var yaml = Text(configMap["data"][Path.GetFileName(policyPath)]);
        var result = PolicyFileLoader.Parse(yaml);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));

        var compose = ComposeBot();
        var composePolicy = ComposeEnvironment(compose).Single(v => v.Name == "Policy__Path").Value!;
        var volume = ((YamlSequenceNode)compose["volumes"]).Select(Text).Single(v => v.Split(':')[1] == composePolicy);
        var hostFile = Path.GetFullPath(Path.Combine(Root, "deploy", volume.Split(':')[0]));
        Assert.True(File.Exists(hostFile), $"compose mounts {hostFile}, which does not exist");
        Assert.True(PolicyFileLoader.Load(hostFile).IsValid);
    }

    [Fact]
    public void The_manifests_run_two_replicas_behind_a_disruption_budget_with_the_secret_they_name()
    {
        Assert.Equal("2", Text(Deployment()["spec"]["replicas"]));
        Assert.Equal("2", Text(ComposeBot()["deploy"]["replicas"]));
        var docs = Documents("kubernetes").Select(d => d.Node).ToList();
        var labels = Deployment()["spec"]["selector"]["matchLabels"];
        var budget = docs.Single(d => Text(d["kind"]) == "PodDisruptionBudget");
        Assert.Equal(Text(labels["app.kubernetes.io/name"]), Text(budget["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]));
        Assert.Equal("1", Text(budget["spec"]["minAvailable"]));
        var service = docs.Single(d => Text(d["kind"]) == "Service");
        Assert.Equal(Text(labels["app.kubernetes.io/name"]), Text(service["spec"]["selector"]["app.kubernetes.io/name"]));
        var composeDb = Compose()["services"]["postgres"];
        Assert.Equal("postgres:15", Text(composeDb["image"]));
    }

    private static IEnumerable<(string File, string Name, string? Value)> ComposeVariables() => ComposeEnvironment(ComposeBot());

    private static IEnumerable<(string File, string Name, string? Value)> ComposeEnvironment(YamlNode service) =>
        service["environment"] switch
        {
            YamlMappingNode map => map.Children.Select(kv => ("compose.yaml", Text(kv.Key), (string?)Text(kv.Value))),
            YamlSequenceNode list => list.Select(Text).Select(e => ("compose.yaml", e.Split('=', 2)[0], (string?)e.Split('=', 2).ElementAtOrDefault(1))),
            _ => [],
        };

    private static IEnumerable<(string File, string Name, string? Value)> KubernetesVariables()
    {
        var docs = Documents("kubernetes").ToList();
        foreach (var (file, node) in docs.Where(d => Text(d.Node["kind"]) == "Deployment"))
        {
            foreach (var container in (YamlSequenceNode)node["spec"]["template"]["spec"]["containers"])
            {
                var map = (YamlMappingNode)container;
                if (map.Children.TryGetValue("env", out var env))
                {
                    foreach (var variable in (YamlSequenceNode)env)
                    {
                        var value = ((YamlMappingNode)variable).Children.TryGetValue("value", out var v) ? Text(v) : null;
                        yield return (file, Text(variable["name"]), value);
                    }
                }

                if (map.Children.TryGetValue("envFrom", out var from))
                {
                    foreach (var source in (YamlSequenceNode)from)
                    {
                        var secretName = Text(source["secretRef"]["name"]);
                        var secret = docs.SingleOrDefault(d => Text(d.Node["kind"]) == "Secret" && Text(d.Node["metadata"]["name"]) == secretName);
                        Assert.True(secret.Node is not null, $"{file} takes variables from Secret {secretName}, which no manifest defines");
                        foreach (var key in ((YamlMappingNode)secret.Node["stringData"]).Children.Keys)
                        {
                            yield return (secret.File, Text(key), null);
                        }
                    }
                }
            }
        }
    }

    private static YamlNode Deployment() => Documents("kubernetes").Single(d => Text(d.Node["kind"]) == "Deployment").Node;

    private static YamlNode Compose() => Documents("compose.yaml").Single().Node;

    // The bot is the service built from this repository's Dockerfile.
    private static YamlNode ComposeBot() =>
        ((YamlMappingNode)Compose()["services"]).Children.Values.Single(s => ((YamlMappingNode)s).Children.ContainsKey("build"));

    private static IEnumerable<(string File, YamlNode Node)> Documents(string under)
    {
        var full = Path.Combine(Root, "deploy", under);
        var files = Directory.Exists(full) ? Directory.GetFiles(full, "*.yaml").Order(StringComparer.Ordinal) : new[] { full }.AsEnumerable();
        foreach (var file in files)
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            foreach (var document in stream.Documents)
            {
                yield return (Path.GetRelativePath(Root, file), document.RootNode);
            }
        }
    }

    private static string[] DockerHealthCheckCommand()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var line = dockerfile.Split('\n').Single(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        var json = line[(line.IndexOf("CMD", StringComparison.Ordinal) + 3)..].Trim();
        return System.Text.Json.JsonSerializer.Deserialize<string[]>(json)!;
    }

    private static string DockerHealthCheckPath() => HealthCheckRequest().Match(DockerHealthCheckCommand()[2]).Groups["path"].Value;

    /// <summary>Runs <paramref name="file"/> to its end (at most a minute); its exit code and what it wrote to stdout and stderr.</summary>
    internal static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        // Read while it runs, so a full pipe cannot stall it.
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PscaleBot.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (PscaleBot.slnx) is not above the test's folder.");
    }

    [GeneratedRegex(@"GET (?<path>/\S*) HTTP")]
    private static partial Regex HealthCheckRequest();
}
