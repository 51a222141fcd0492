using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PscaleBot.Bot.Tests.Slack.Fakes;

public sealed record RecordedApiCall(string Method, string? Authorization, string ContentType, string Body);

public sealed record ScriptedReply(int Status, string Json, string? RetryAfter = null);

/// <summary>A file reserved (and, once <see cref="Content"/> is set, uploaded) at the fake Slack.</summary>
public sealed record FakeSlackFile(string Id, string Name, long Length, byte[]? Content = null, string? Title = null)
{
    public string Text => Content is null ? "" : Encoding.UTF8.GetString(Content);
}

/// <summary>
/// Slack's side on 127.0.0.1: the Web API (/api/{method}), response_url endpoints (/response/{id}),
/// and a Socket Mode WebSocket (/link) that re-delivers envelopes not acknowledged before a disconnect.
/// </summary>
public sealed class FakeSlackServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedReply>> scripts = new();
    private readonly Lock socketsGate = new();
    private readonly List<WebSocket> sockets = [];
    private readonly List<(string Id, string Json)> unacked = [];

    private FakeSlackServer(WebApplication app) => this.app = app;

    public Uri BaseUri { get; private set; } = null!;
    public Uri ApiBase => new(BaseUri, "/api/");
    public ConcurrentQueue<RecordedApiCall> ApiCalls { get; } = new();
    public ConcurrentQueue<(string Id, JsonObject Body)> ResponseUrlPosts { get; } = new();
    public ConcurrentQueue<JsonObject> Acks { get; } = new();
    public int ConnectionsAccepted;
    public int ConnectionsClosedByClient;
    public int OpenSockets { get { lock (socketsGate) { return sockets.Count; } } }
    public int Unacked { get { lock (socketsGate) { return unacked.Count; } } }
    public string UsergroupsJson { get; set; } = """{"ok":true,"usergroups":[]}""";

    /// <summary>How long every <c>usergroups.list</c> takes to answer (a slow Slack).</summary>
    public TimeSpan UsergroupsDelay { get; set; } = TimeSpan.Zero;
    /// <summary>What auth.test answers: the workspace the bot token belongs to.</summary>
    public string AuthTestJson { get; set; } = """{"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"pscalebot","team_id":"T0TEAM","user_id":"U0BOT","bot_id":"B0BOT","is_enterprise_install":false}""";
    public int ResponseUrlStatus { get; set; } = 200;

    /// <summary>
    /// The people <c>users.info</c> knows, by user id, with their profile email (null: Slack leaves the email out, as
    /// without <c>users:read.email</c>). Anyone else is answered <c>user_not_found</c>.
    /// </summary>
    public ConcurrentDictionary<string, string?> UserEmails { get; } = new(StringComparer.Ordinal);

    /// <summary>An answer forced on every call to a Web API method (by method name), after any scripted reply; null answers normally.</summary>
    public Func<string, ScriptedReply?>? ApiFault { get; set; }

    /// <summary>Held before every Web API answer (a slow or hung Slack).</summary>
    public TimeSpan ApiDelay { get; set; }

    /// <summary>Held before every response_url answer.</summary>
    public TimeSpan ResponseUrlDelay { get; set; }

    public string ResponseUrl(string id) => new Uri(BaseUri, $"/response/{id}").ToString();

    public static async Task<FakeSlackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeSlackServer(app);
        app.UseWebSockets();
        app.MapPost("/api/{method}", server.HandleApiAsync);
        app.MapPost("/response/{id}", server.HandleResponseUrlAsync);
        app.MapPost("/upload/{id}", server.HandleUploadAsync);
        app.Map("/link", server.HandleSocketAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        return server;
    }

    public void Script(string method, params ScriptedReply[] replies)
    {
        var queue = scripts.GetOrAdd(method, _ => new());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public IEnumerable<RecordedApiCall> Calls(string method) => ApiCalls.Where(c => c.Method == method);

    /// <summary>The JSON bodies of the calls to a write method (chat.*), in order.</summary>
    public IReadOnlyList<JsonObject> JsonCalls(string method) =>
        [.. Calls(method).Select(c => (JsonObject)JsonNode.Parse(c.Body)!)];

    private int messages;

    /// <summary>Messages answered with ok by the default chat.postMessage: channel, the ts handed out, and the request.</summary>
    public ConcurrentQueue<(string Channel, string Ts, JsonObject Body)> PostedMessages { get; } = new();

    private string RecordPosted(string body)
    {
        var channel = ChannelOf(body) ?? "C1";
        var ts = $"1700000000.{Interlocked.Increment(ref messages):000000}";
        if (JsonNode.Parse(body) is JsonObject json)
        {
            PostedMessages.Enqueue((channel, ts, json));
        }

        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts }.ToJsonString();
    }

    private string UserInfo(string body)
    {
        var user = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).TryGetValue("user", out var id) ? id.ToString() : "";
        if (!UserEmails.TryGetValue(user, out var email))
        {
            return """{"ok":false,"error":"user_not_found"}""";
        }

        var profile = new JsonObject { ["real_name"] = user };
        if (email is not null)
        {
            profile["email"] = email;
        }

        return new JsonObject
        {
            ["ok"] = true,
            ["user"] = new JsonObject { ["id"] = user, ["name"] = user.ToLowerInvariant(), ["deleted"] = false, ["is_bot"] = false, ["profile"] = profile },
        }.ToJsonString();
    }

    private static string? ChannelOf(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject json ? (string?)json["channel"] : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Queues an envelope and sends it on the newest socket (or on the next connection).</summary>
    public async Task SendEnvelopeAsync(JsonObject envelope, bool dropAfterSending = false)
    {
        var id = (string)envelope["envelope_id"]!;
        WebSocket? socket;
        lock (socketsGate)
        {
            unacked.Add((id, envelope.ToJsonString()));
            socket = sockets.LastOrDefault();
        }

        if (socket is not null)
        {
            await SendAsync(socket, envelope.ToJsonString());
            if (dropAfterSending)
            {
                socket.Abort();
            }
        }
    }

    public async Task SendToNewestAsync(string json)
    {
        WebSocket? socket;
        lock (socketsGate)
        {
            socket = sockets.LastOrDefault();
        }

        if (socket is not null)
        {
            await SendAsync(socket, json);
        }
    }

    /// <summary>Kills every socket without a close handshake, as a network failure would.</summary>
    public void DropAll()
    {
        lock (socketsGate)
        {
            foreach (var socket in sockets)
            {
                socket.Abort();
            }
        }
    }

    private async Task<IResult> HandleApiAsync(string method, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        ApiCalls.Enqueue(new RecordedApiCall(method, context.Request.Headers.Authorization.ToString(), context.Request.ContentType ?? "", body));
        if (method == "usergroups.list" && UsergroupsDelay > TimeSpan.Zero)
        {
            await Task.Delay(UsergroupsDelay, context.RequestAborted);
        }

        if (scripts.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = scripted.RetryAfter;
            }

            return Results.Content(scripted.Json, "application/json", Encoding.UTF8, scripted.Status);
        }

        if (ApiDelay > TimeSpan.Zero)
        {
            await Task.Delay(ApiDelay, context.RequestAborted);
        }

        if (ApiFault?.Invoke(method) is { } fault)
        {
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = fault.RetryAfter;
            }

            return Results.Content(fault.Json, "application/json", Encoding.UTF8, fault.Status);
        }

        return method switch
        {
            "apps.connections.open" => Results.Content(
                new JsonObject { ["ok"] = true, ["url"] = $"ws://127.0.0.1:{BaseUri.Port}/link?ticket={Guid.NewGuid():N}" }.ToJsonString(), "application/json"),
            "usergroups.list" => Results.Content(UsergroupsJson, "application/json"),
            "auth.test" => Results.Content(AuthTestJson, "application/json"),
            "chat.postMessage" => Results.Content(RecordPosted(body), "application/json"),
            "users.info" => Results.Content(UserInfo(body), "application/json"),
            "files.getUploadURLExternal" => Results.Content(ReserveUpload(body), "application/json"),
            "files.completeUploadExternal" => Results.Content(CompleteUpload(body), "application/json"),
            "conversations.open" => Results.Content(
                new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + Form(body, "users") } }.ToJsonString(), "application/json"),
            "chat.getPermalink" => Results.Content(
                new JsonObject { ["ok"] = true, ["permalink"] = $"https://acme.slack.com/archives/{Form(body, "channel")}/p{Form(body, "message_ts").Replace(".", "", StringComparison.Ordinal)}" }.ToJsonString(), "application/json"),
            _ => Results.Content("""{"ok":true}""", "application/json"),
        };
    }

    private int uploads;

    /// <summary>Files reserved with files.getUploadURLExternal, by file id: name, declared length, and the bytes once uploaded.</summary>
    public ConcurrentDictionary<string, FakeSlackFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Files shared with files.completeUploadExternal: the file, the conversation and the comment.</summary>
    public ConcurrentQueue<(FakeSlackFile File, string ChannelId, string Comment)> SharedFiles { get; } = new();

    private static string Form(string body, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).TryGetValue(name, out var value) ? value.ToString() : "";

    private string ReserveUpload(string body)
    {
        var id = $"F{Interlocked.Increment(ref uploads):0000}";
        if (!long.TryParse(Form(body, "length"), out var length) || Form(body, "filename") is not { Length: > 0 } name)
        {
            return """{"ok":false,"error":"invalid_arguments"}""";
        }

        Files[id] = new FakeSlackFile(id, name, length);
        return new JsonObject { ["ok"] = true, ["upload_url"] = new Uri(BaseUri, $"/upload/{id}").ToString(), ["file_id"] = id }.ToJsonString();
    }

    private string CompleteUpload(string body)
    {
        var files = JsonNode.Parse(Form(body, "files")) as JsonArray;
        var channel = Form(body, "channel_id");
        foreach (var entry in files ?? [])
        {
            // Slack refuses to share a file whose bytes never arrived, or whose size differs from the reservation.
            if (!Files.TryGetValue((string?)entry?["id"] ?? "", out var file) || file.Content is null || file.Content.Length != file.Length)
            {
                return """{"ok":false,"error":"file_not_found"}""";
            }

            SharedFiles.Enqueue((file with { Title = (string?)entry!["title"] }, channel, Form(body, "initial_comment")));
        }

        return """{"ok":true,"files":[]}""";
    }

    private async Task<IResult> HandleUploadAsync(string id, HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        if (!Files.TryGetValue(id, out var file))
        {
            return Results.NotFound();
        }

        Files[id] = file with { Content = buffer.ToArray() };
        return Results.Text("OK - " + buffer.Length);
    }

    private async Task<IResult> HandleResponseUrlAsync(string id, HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        ResponseUrlPosts.Enqueue((id, (JsonObject)body!));
        if (ResponseUrlDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseUrlDelay, context.RequestAborted);
        }

        return ResponseUrlStatus == 200 ? Results.Text("ok") : Results.Text("expired_url", statusCode: ResponseUrlStatus);
    }

    private async Task HandleSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref ConnectionsAccepted);
        List<string> redeliver;
        lock (socketsGate)
        {
            sockets.Add(socket);
            redeliver = [.. unacked.Select(u => u.Json)];
        }

        try
        {
            await SendAsync(socket, """{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"}}""");
            foreach (var json in redeliver)
            {
                await SendAsync(socket, json);
            }

            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Interlocked.Increment(ref ConnectionsClosedByClient);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }

                var ack = (JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!;
                var id = (string?)ack["envelope_id"];
                lock (socketsGate)
                {
                    unacked.RemoveAll(u => u.Id == id);
                }

                Acks.Enqueue(ack);
            }
        }
        catch (Exception)
        {
            // Aborted by the test or by the client: exactly what a dropped connection looks like.
        }
        finally
        {
            lock (socketsGate)
            {
                sockets.Remove(socket);
            }
        }
    }

    private static async Task SendAsync(WebSocket socket, string json)
    {
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        DropAll();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public static class Eventually
{
    /// <summary>Waits for a condition the system under test will reach on its own; fails after a generous limit.</summary>
    // diagnose: what to add to the failure, the state that explains it (logs, the last answer).
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 15, Func<string>? diagnose = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                Assert.Fail($"Timed out waiting for: {what}" + (diagnose is null ? "" : $"\n{diagnose()}"));
            }

            await Task.Delay(20);
        }
    }
}
