using System.Diagnostics;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.EndToEnd.Tests.Support;
using PscaleBot.Sandbox;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>An acknowledgement from the bot: status, body, and how many response_url posts had arrived when it did.</summary>
public sealed record SlackAck(System.Net.HttpStatusCode Status, string Body, TimeSpan Elapsed, int ResponseUrlPostsBefore, int SandboxCallsInFlight)
{
    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;
}

/// <summary>
/// The real bot on Kestrel with Slack on in HTTP mode, pointed at a fake Slack (Web API and response_url) on
/// loopback, talking to a real sandbox; signs every request as Slack would.
/// </summary>
public sealed class SlackBot : IAsyncDisposable
{
    private int sequence;

    private SlackBot(FakeSlackServer slack, BotUnderTest bot)
    {
        Slack = slack;
        Bot = bot;
        Client = bot.CreateClient();
        SandboxApi = new SandboxApi(bot.Sandbox);
    }

    public FakeSlackServer Slack { get; }
    public BotUnderTest Bot { get; }
    public HttpClient Client { get; }
    public SandboxApi SandboxApi { get; }

    public static async Task<SlackBot> StartAsync(string policy = SlackPolicies.Standard, SandboxOptions? sandbox = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var slack = await FakeSlackServer.StartAsync();
        // The bot token belongs to Acme's workspace: that is the one workspace served unless Slack:AllowedTeamIds says more.
        slack.AuthTestJson = $$"""{"ok":true,"team":"Acme","team_id":"{{SlackPeople.Team}}","user_id":"U0BOT","is_enterprise_install":false}""";
        var all = new Dictionary<string, string?>
        {
            ["Slack:Enabled"] = "true",
            ["Slack:Mode"] = "Http",
            ["Slack:SigningSecret"] = SlackSigner.Secret,
            ["Slack:BotToken"] = "xoxb-e2e-bot-token",
            ["Slack:ApiBaseUrl"] = slack.ApiBase.ToString(),
            ["Slack:ResponseUrlHosts:0"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var bot = await BotUnderTest.StartAsync(new BotSetup { PolicyYaml = policy, Sandbox = sandbox, ConfigureServices = configure, Settings = all });
        return new SlackBot(slack, bot);
    }

    /// <summary>A fresh response_url id.</summary>
    public string NewResponseId() => $"resp{Interlocked.Increment(ref sequence)}";

    /// <summary>Posts a signed slash command and measures the acknowledgement.</summary>
    public Task<SlackAck> CommandAsync(string user, string channel, string text, string responseId, string teamId = SlackPeople.Team) =>
        CommandWithResponseUrlAsync(user, channel, text, Slack.ResponseUrl(responseId), teamId);

    /// <summary>Posts a signed slash command whose response_url is <paramref name="responseUrl"/> (e.g. one that refuses connections).</summary>
    public async Task<SlackAck> CommandWithResponseUrlAsync(string user, string channel, string text, string responseUrl, string teamId = SlackPeople.Team)
    {
        var body = SlackForms.Command(user, channel, text, responseUrl, $"trigger.{Interlocked.Increment(ref sequence)}", teamId);
        return await SendAsync("/slack/commands", body);
    }

    /// <summary>Posts a signed block_actions payload: <paramref name="user"/> clicked a button of the message at <paramref name="messageTs"/>.</summary>
    public async Task<SlackAck> ClickAsync(string user, string channel, string messageTs, string actionId, string value, string responseId)
    {
        var body = SlackForms.Click(user, channel, messageTs, actionId, value, Slack.ResponseUrl(responseId),
            $"trigger.{Interlocked.Increment(ref sequence)}", $"1700000100.{Interlocked.Increment(ref sequence):000000}");
        return await SendAsync("/slack/interactions", body);
    }

    /// <summary>Posts a signed interaction payload (a submission, a suggestion request, a shortcut, a click) as the <c>payload</c> field.</summary>
    public Task<SlackAck> InteractAsync(JsonObject payload) =>
        SendAsync("/slack/interactions", SlackSigner.Form(("payload", payload.ToJsonString())));

    /// <summary>Posts a signed Events API body, as a retry when <paramref name="retryNum"/> is set.</summary>
    public async Task<SlackAck> EventAsync(JsonObject body, int? retryNum = null)
    {
        using var request = SlackSigner.SignedPost("/slack/events", body.ToJsonString());
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        using var response = await Client.SendAsync(request);
        return new SlackAck(response.StatusCode, await response.Content.ReadAsStringAsync(), TimeSpan.Zero, 0, 0);
    }

    /// <summary>A fresh trigger id.</summary>
    public string NewTriggerId() => $"trigger.{Interlocked.Increment(ref sequence)}";

    /// <summary>The response_url posts made to <paramref name="responseId"/>.</summary>
    public IReadOnlyList<JsonObject> PostsTo(string responseId) => [.. Slack.ResponseUrlPosts.Where(p => p.Id == responseId).Select(p => p.Body)];

    /// <summary>Waits for at least <paramref name="count"/> posts to <paramref name="responseId"/>.</summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForPostsAsync(string responseId, int count = 1, int seconds = 20)
    {
        await Eventually.TrueAsync(() => PostsTo(responseId).Count >= count, $"{count} post(s) to response_url {responseId}", seconds);
        return PostsTo(responseId);
    }

    private async Task<SlackAck> SendAsync(string path, string body)
    {
        using var request = SlackSigner.SignedPost(path, body);
        var clock = Stopwatch.StartNew();
        using var response = await Client.SendAsync(request);
        var elapsed = clock.Elapsed;

        // Read what had happened when the acknowledgement arrived, before anything else can move on.
        var postsBefore = Slack.ResponseUrlPosts.Count;
        var inFlight = Bot.Sandbox.Faults.PendingDelays;
        return new SlackAck(response.StatusCode, await response.Content.ReadAsStringAsync(), elapsed, postsBefore, inFlight);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        SandboxApi.Dispose();
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

/// <summary>Reads the table of a Block Kit message the way a person would.</summary>
public static class SlackTable
{
    /// <summary>The data rows of the message's table block (header row skipped), as cell texts; struck-through runs left out.</summary>
    public static IReadOnlyList<string[]> Rows(JsonObject message)
    {
        var table = ((JsonArray)message["blocks"]!).OfType<JsonObject>().Single(b => (string?)b["type"] == "table");
        return [.. ((JsonArray)table["rows"]!).OfType<JsonArray>().Skip(1).Select(row => row.Select(CellText).ToArray())];
    }

    /// <summary>Permission names shown for each resource (added ones without their "+"; removed, struck ones left out).</summary>
    public static Dictionary<string, HashSet<string>> Permissions(JsonObject message) =>
        Rows(message).ToDictionary(
            r => r[0],
            r => r[2].Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(p => p.TrimStart('+')).ToHashSet(StringComparer.Ordinal));

    private static string CellText(JsonNode? cell)
    {
        if ((string?)cell!["type"] == "raw_text")
        {
            return (string)cell["text"]!;
        }

        var runs = ((JsonArray)cell["elements"]!).OfType<JsonObject>()
            .SelectMany(section => ((JsonArray)section["elements"]!).OfType<JsonObject>())
            .Where(run => run["style"]?["strike"] is null && (string?)run["text"] != ", ");
        return string.Join(", ", runs.Select(run => (string)run["text"]!));
    }
}
