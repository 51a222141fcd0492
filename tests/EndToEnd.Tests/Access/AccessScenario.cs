using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;
using PscaleBot.EndToEnd.Tests.Support;
using PscaleBot.Sandbox;

namespace PscaleBot.EndToEnd.Tests.Access;

/// <summary>
/// The real bot over real HTTP against a real sandbox, both on one <see cref="FakeTimeProvider"/>, with people who
/// type commands through <see cref="ICommandPipeline"/> (one DI scope per command, as a chat request gets) and a
/// look at the token's real permissions in the sandbox over HTTP.
/// </summary>
internal sealed partial class AccessScenario : IAsyncDisposable
{
    public const string Token = "ci7deploy0a1";

    /// <summary>Permissions the seeded token holds on prod before any grant: they must survive every grant's end.</summary>
    public static readonly string[] PermanentOnProd = ["read_branch", "create_deploy_request", "read_deploy_request"];

    public static readonly ChatIdentity Oliver = Person("oliver");
    public static readonly ChatIdentity Sam = Person("sam");
    public static readonly ChatIdentity Ada = Person("ada");
    public static readonly ChatIdentity Ben = Person("ben");

    // Generous bounds: they only stop a broken test from hanging; nothing is asserted about how long anything took.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly HttpClient sandboxClient = new();
    private readonly bool ownsDirectory;

    private AccessScenario(BotUnderTest bot, FakeTimeProvider time, bool ownsDirectory)
    {
        Bot = bot;
        Time = time;
        this.ownsDirectory = ownsDirectory;
        sandboxClient.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{bot.Sandbox.ServiceTokenId}:{bot.Sandbox.ServiceToken}");
        sandboxClient.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public BotUnderTest Bot { get; }

    public FakeTimeProvider Time { get; }

    public IAccessStore Store => Bot.Services.GetRequiredService<IAccessStore>();

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Starts a bot under <see cref="AccessPolicies.OnCall"/>; with <paramref name="dataDirectory"/>, over that folder (a
    /// restart); <paramref name="settings"/> go over the scenario's (<c>Storage:Provider</c>, …).
    /// </summary>
    public static async Task<AccessScenario> StartAsync(
        FakeTimeProvider? time = null, string? dataDirectory = null, bool persistSandbox = false, Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        time ??= NewClock();
        var ownsDirectory = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("pscale-bot-access-e2e-").FullName;
        var setup = new BotSetup
        {
            PolicyYaml = AccessPolicies.OnCall,
            Time = time,
            // The sandbox keeps its state in the bot's data folder when a test restarts the bot over it.
            Sandbox = persistSandbox ? new SandboxOptions { StatePath = Path.Combine(dataDirectory, "sandbox.json") } : null,
            ConfigureServices = configureServices,
            Settings = new Dictionary<string, string?>
            {
                // One HTTP attempt per revoke, so each forced failure is one failed revoke the workflow must retry itself;
                // timeouts far beyond any clock jump a test makes, so moving the fake clock never times out a call in flight.
                ["PlanetScale:MaxRetryAttempts"] = "0",
                ["PlanetScale:AttemptTimeout"] = "23:00:00",
                ["PlanetScale:TotalTimeout"] = "23:00:00",
                ["AccessRequests:RevokeRetryInitialDelay"] = "00:00:30",
                ["AccessRequests:RevokeRetryMaxDelay"] = "00:05:00",
                ["AccessRequests:RevokeAlertAfterFailures"] = "3",
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            setup.Settings[key] = value;
        }

        var bot = await BotUnderTest.StartAsync(setup, dataDirectory);
        return new AccessScenario(bot, time, ownsDirectory);
    }

    /// <summary>Stops the bot and its sandbox, keeping the data folder, so a test can start another bot over it.</summary>
    public async Task StopAsync()
    {
        await Bot.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        sandboxClient.Dispose();
        await StopAsync();
        if (ownsDirectory)
        {
            try
            {
                Directory.Delete(Bot.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Types <paramref name="text"/> as <paramref name="who"/> in the place the policy binds (the shell).</summary>
    public async Task<CommandResponse> RunAsync(ChatIdentity who, string text)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<ICommandPipeline>();
        return await pipeline.RunAsync(new ChatRequest(who, ChatPlace.Shell, text), CancellationToken.None);
    }

    /// <summary>The answer as the shell prints it (human, JSON or CSV as the command asked).</summary>
    public string Render(CommandResponse response) => Bot.Services.GetRequiredService<CommandResponseTextRenderer>().Render(response);

    /// <summary>The one message or error text of an answer.</summary>
    public static string Text(CommandResponse response) => Assert.Single(response.Results) switch
    {
        MessageResult message => message.Text,
        ErrorResult error => "Error: " + error.Message,
        var other => other.ToString() ?? "",
    };

    /// <summary>Files a request as <paramref name="who"/> and returns its id.</summary>
    public async Task<string> RequestAsync(ChatIdentity who, string permissions, string duration = "2h")
    {
        var response = await RunAsync(who, $"service-token add-access {Token} {permissions} --database prod --for {duration} --reason \"INC-4711 replica lag\"");
        var text = Text(response);
        Assert.False(response.IsError, text);
        return RequestId().Match(text) is { Success: true } match ? match.Value : throw new Xunit.Sdk.XunitException($"No request id in: {text}");
    }

    /// <summary>The one active grant's id for <paramref name="who"/>.</summary>
    public async Task<AccessGrant> ActiveGrantOfAsync(ChatIdentity who) =>
        Assert.Single(await Store.ListActiveGrantsAsync(CancellationToken.None), g => g.Requester.UserId == who.UserId);

    /// <summary>What the token really holds on <paramref name="database"/>, read from the sandbox over HTTP.</summary>
    public async Task<IReadOnlySet<string>> HeldOnAsync(string database = "prod")
    {
        var uri = new Uri($"{Bot.Sandbox.BaseAddress.ToString().TrimEnd('/')}/organizations/acme/service-tokens/{Token}/access");
        using var response = await sandboxClient.GetAsync(uri);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("data");
        return rows.EnumerateArray()
            .Where(r => r.GetProperty("resource").GetProperty("name").GetString() == database)
            .Select(r => r.GetProperty("access").GetString()!)
            .ToHashSet();
    }

    /// <summary>Runs one expiry pass now and waits for it, so a check that nothing was revoked cannot pass merely by being early.</summary>
    public async Task SweepNowAsync()
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccessSweeper>().SweepAsync(CancellationToken.None);
    }

    public GrantExpiryService ExpiryService => Bot.Services.GetServices<IHostedService>().OfType<GrantExpiryService>().Single();

    /// <summary>
    /// Waits for the bot's own expiry service to make <paramref name="condition"/> true. While waiting, nudges the clock
    /// forward by <paramref name="nudge"/> per poll, at most <paramref name="nudgeLimit"/> in all: the service may have armed
    /// its timer just after the test moved the clock, and it sleeps at most <c>AccessRequests:MaxIdleWait</c> anyway.
    /// </summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? nudge = null, TimeSpan? nudgeLimit = null)
    {
        var step = nudge ?? TimeSpan.FromSeconds(10);
        var limit = nudgeLimit ?? TimeSpan.FromMinutes(6);
        var nudged = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The bot did not act in time: {what}.");
            if (nudged + step <= limit)
            {
                Time.Advance(step);
                nudged += step;
            }

            await Task.Delay(PollInterval);
        }
    }

    private static ChatIdentity Person(string name) => new(ChatPlatform.Shell, "shell:user:" + name, [], name);

    [GeneratedRegex("r-[a-z0-9]{4,}")]
    private static partial Regex RequestId();
}
