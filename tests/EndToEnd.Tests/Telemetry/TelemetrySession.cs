using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;
using PscaleBot.EndToEnd.Tests.Slack;
using PscaleBot.EndToEnd.Tests.Support;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Telemetry;

/// <summary>
/// The real bot with Slack (HTTP) and Teams on, every OpenTelemetry signal also going to in-memory exporters, so a
/// test can read exactly what a collector would receive.
/// </summary>
public sealed partial class TelemetrySession : IAsyncDisposable
{
    /// <summary>The Teams app password; unique so a leak is unmistakable.</summary>
    public const string TeamsAppPassword = "teams-app-password-e2e-q7Zr4";

    /// <summary>The Slack bot token.</summary>
    public const string SlackBotToken = "xoxb-e2e-telemetry-bot-token-9fK2";

    private int sequence;

    private TelemetrySession(FakeSlackServer slack, LocalOpenIdServer openId, FakeConnectorServer connector, BotUnderTest bot, Exported exported)
    {
        Slack = slack;
        OpenId = openId;
        Connector = connector;
        Bot = bot;
        Exported = exported;
        Client = bot.CreateClient();
    }

    public FakeSlackServer Slack { get; }
    public LocalOpenIdServer OpenId { get; }
    public FakeConnectorServer Connector { get; }
    public BotUnderTest Bot { get; }
    public HttpClient Client { get; }
    public Exported Exported { get; }

    /// <summary>Slack's policy, plus the Teams caller as token admin in #dbops.</summary>
    public static string Policy => SlackPolicies.Standard + $"""

          - where: teams:channel:{ActivityJson.ChannelId}
            who: teams:user:{ActivityJson.UserAad}
            roles: [token-admin]
        """;

    public static async Task<TelemetrySession> StartAsync()
    {
        var slack = await FakeSlackServer.StartAsync();
        slack.AuthTestJson = $$"""{"ok":true,"team":"Acme","team_id":"{{Team}}","user_id":"U0BOT","is_enterprise_install":false}""";
        var openId = await LocalOpenIdServer.StartAsync();
        var connector = await FakeConnectorServer.StartAsync();
        var exported = new Exported();
        var bot = await BotUnderTest.StartAsync(new BotSetup
        {
            PolicyYaml = Policy,
            Settings = new()
            {
                ["Slack:Enabled"] = "true",
                ["Slack:Mode"] = "Http",
                ["Slack:SigningSecret"] = SlackSigner.Secret,
                ["Slack:BotToken"] = SlackBotToken,
                ["Slack:ApiBaseUrl"] = slack.ApiBase.ToString(),
                ["Slack:ResponseUrlHosts:0"] = "127.0.0.1",
                ["Teams:Enabled"] = "true",
                ["Teams:AppId"] = LocalOpenIdServer.AppId,
                ["Teams:AppPassword"] = TeamsAppPassword,
                ["Teams:AppTenantId"] = LocalOpenIdServer.TenantId,
                ["Teams:BotFrameworkOpenIdMetadataUrl"] = openId.BotFrameworkMetadataUrl,
                ["Teams:EntraOpenIdMetadataUrlTemplate"] = openId.EntraMetadataTemplate,
                ["Teams:AllowLoopbackServiceUrls"] = "true",
            },
            ConfigureServices = services =>
            {
                services.RemoveAll<IBotConnectorTokenSource>();
                services.AddSingleton<IBotConnectorTokenSource, FakeTokenSource>();
                services.Configure<OpenTelemetryLoggerOptions>(o =>
                {
                    o.IncludeFormattedMessage = true;
                    o.IncludeScopes = true;
                });
                services.AddOpenTelemetry()
                    .WithTracing(t => t.AddInMemoryExporter(exported.Spans))
                    .WithMetrics(m => m.AddInMemoryExporter(exported.Metrics))
                    .WithLogging(l => l.AddInMemoryExporter(exported.Logs));
            },
        });
        return new TelemetrySession(slack, openId, connector, bot, exported);
    }

    /// <summary>A signed slash command; returns the response_url id its answers go to.</summary>
    public async Task<string> SlashAsync(string user, string channel, string text)
    {
        var reply = $"tel{Interlocked.Increment(ref sequence)}";
        var body = SlackSigner.Form(
            ("token", "deprecated"), ("team_id", Team), ("team_domain", "acme"), ("channel_id", channel), ("channel_name", channel.ToLowerInvariant()),
            ("user_id", user), ("user_name", user.ToLowerInvariant()), ("command", "/pscale"), ("text", text),
            ("api_app_id", "A0APP"), ("is_enterprise_install", "false"), ("response_url", Slack.ResponseUrl(reply)),
            ("trigger_id", $"trigger.tel.{Interlocked.Increment(ref sequence)}"));
        using var request = SlackSigner.SignedPost("/slack/commands", body);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return reply;
    }

    /// <summary>A signed Approve click on the request message at <paramref name="messageTs"/>.</summary>
    public async Task<string> ApproveAsync(string user, string channel, string messageTs, string requestId)
    {
        var reply = $"tel{Interlocked.Increment(ref sequence)}";
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = Team, ["domain"] = "acme" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user.ToLowerInvariant(), ["name"] = user.ToLowerInvariant(), ["team_id"] = Team },
            ["api_app_id"] = "A0APP",
            ["trigger_id"] = $"trigger.tel.{Interlocked.Increment(ref sequence)}",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = channel.ToLowerInvariant() },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = messageTs, ["text"] = "request" },
            ["response_url"] = Slack.ResponseUrl(reply),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = AccessActionIds.Approve,
                ["block_id"] = "access",
                ["value"] = requestId,
                ["action_ts"] = $"1700000100.{Interlocked.Increment(ref sequence):000000}",
            }),
        };
        using var request = SlackSigner.SignedPost("/slack/interactions", SlackSigner.Form(("payload", payload.ToJsonString())));
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return reply;
    }

    /// <summary>The response_url posts to <paramref name="reply"/>, once at least <paramref name="count"/> arrived.</summary>
    public async Task<IReadOnlyList<JsonObject>> PostsAsync(string reply, int count = 1)
    {
        await Eventually.TrueAsync(() => Slack.ResponseUrlPosts.Count(p => p.Id == reply) >= count, $"{count} post(s) to {reply}", 30);
        return [.. Slack.ResponseUrlPosts.Where(p => p.Id == reply).Select(p => p.Body)];
    }

    /// <summary>A Teams @mention in #dbops; waits for the reply.</summary>
    public async Task<ConnectorCall> TeamsAsync(string text)
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> " + text, "channel");
        using var response = await Client.SendAsync(ActivityJson.Post("/api/messages", activity, OpenId.MintBotFramework(activity["serviceUrl"]!.GetValue<string>())));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = activity["id"]!.GetValue<string>();
        return await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + id, StringComparison.Ordinal));
    }

    /// <summary>Flushes every provider so the exporters hold everything recorded so far.</summary>
    public void Flush()
    {
        Bot.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Bot.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Bot.Services.GetRequiredService<LoggerProvider>().ForceFlush();
    }

    [GeneratedRegex(@"pscale_tkn_[A-Za-z0-9_\-]+")]
    public static partial Regex SecretShape();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Bot.DisposeAsync();
        await Connector.DisposeAsync();
        await OpenId.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

/// <summary>What the in-memory exporters received.</summary>
public sealed class Exported
{
    public LockedList<Activity> Spans { get; } = new();
    public LockedList<MetricSnapshot> Metrics { get; } = new();
    public LockedList<LogRecord> Logs { get; } = new();

    /// <summary>Every string exported, each with where it was found: names, attributes, events, labels, messages, state.</summary>
    public IReadOnlyList<(string Where, string Text)> Texts()
    {
        List<(string, string)> texts = [];
        {
            foreach (var span in Spans.Snapshot())
            {
                var where = $"span {span.DisplayName}";
                texts.Add((where, span.DisplayName));
                texts.Add((where, span.OperationName));
                texts.Add((where, span.StatusDescription ?? ""));
                texts.AddRange(span.TagObjects.Select(t => (where, $"{t.Key}={t.Value}")));
                texts.AddRange(span.Baggage.Select(b => (where, $"{b.Key}={b.Value}")));
                foreach (var e in span.Events)
                {
                    texts.Add((where, e.Name));
                    texts.AddRange(e.Tags.Select(t => (where, $"{t.Key}={t.Value}")));
                }
            }
        }

        {
            foreach (var metric in Metrics.Snapshot())
            {
                var where = $"metric {metric.Name}";
                texts.Add((where, $"{metric.Name} {metric.Description} {metric.Unit} {metric.MeterName}"));
                foreach (var point in metric.MetricPoints)
                {
                    foreach (var tag in point.Tags)
                    {
                        texts.Add((where, $"{tag.Key}={tag.Value}"));
                    }
                }
            }
        }

        {
            foreach (var log in Logs.Snapshot())
            {
                var where = $"log {log.CategoryName}";
                texts.Add((where, $"{log.CategoryName} {log.EventId.Name} {log.FormattedMessage} {log.Body} {log.Exception}"));
                texts.AddRange((log.Attributes ?? Array.Empty<KeyValuePair<string, object?>>()).Select(a => (where, $"{a.Key}={a.Value}")));
                log.ForEachScope(
                    (scope, _) =>
                    {
                        foreach (var item in scope)
                        {
                            texts.Add((where, $"{item.Key}={item.Value}"));
                        }
                    },
                    (object?)null);
            }
        }

        return texts;
    }
}

/// <summary>A list the exporters add to from their threads while the test reads it.</summary>
public sealed class LockedList<T> : ICollection<T>
{
    private readonly List<T> items = [];

    public int Count
    {
        get
        {
            lock (items)
            {
                return items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public T[] Snapshot()
    {
        lock (items)
        {
            return [.. items];
        }
    }

    public void Add(T item)
    {
        lock (items)
        {
            items.Add(item);
        }
    }

    public void Clear()
    {
        lock (items)
        {
            items.Clear();
        }
    }

    public bool Contains(T item) => Snapshot().Contains(item);

    public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    public bool Remove(T item)
    {
        lock (items)
        {
            return items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
