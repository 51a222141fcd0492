using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PscaleBot.Benchmarks.Load;

/// <summary>A command's first answer on its response_url: when it arrived and what it was.</summary>
internal sealed record Answer(long At, Verdict Verdict);

/// <summary>
/// Slack's side on 127.0.0.1 for the load runs: <c>auth.test</c>, <c>usergroups.list</c> (one group holding every load
/// user), <c>ok</c> for any other Web API method, and response_urls that judge each command's first answer as it
/// arrives (so a 60-second steady run keeps verdicts, not bodies).
/// </summary>
internal sealed class LoadSlack : IAsyncDisposable
{
    /// <summary>The workspace of every command.</summary>
    public const string TeamId = "T0LOAD";

    /// <summary>The channel of every command.</summary>
    public const string ChannelId = "C0LOAD";

    /// <summary>The user group every load user is in (the policy binds the viewer role to it).</summary>
    public const string GroupId = "S0LOADVIEW";

    private readonly WebApplication app;
    private readonly string usergroupsJson;
    private readonly ConcurrentDictionary<string, (LoadCommand Command, string UserId)> expected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Answer> answers = new(StringComparer.Ordinal);

    // A file answer (a CSV, or a list too long for a message) arrives in the user's DM and names no command: it answers
    // the user's oldest list command still waiting (a list's answers are alike, so only the latency is approximate).
    // When a command credited with a file then gets its own answer on its response_url, the guess was wrong: the file
    // belonged to a later command of the same user, and is passed on to it (else that command would count as unanswered,
    // and the response_url answer would go unjudged).
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> fileAnswerWaiters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Waiter, string Content, long At)> creditedFiles = new(StringComparer.Ordinal);
    private readonly Lock fileGate = new();
    private readonly ConcurrentDictionary<string, (string Extension, int Length, string? Content)> files = new(StringComparer.Ordinal);
    private int fileIds;
    private int apiCalls;

    private LoadSlack(WebApplication app, string usergroupsJson)
    {
        this.app = app;
        this.usergroupsJson = usergroupsJson;
    }

    /// <summary>The server's root.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Where a server's Web API client points.</summary>
    public Uri ApiBase => new(BaseUri, "/api/");

    /// <summary>A sample of each kind of answer not judged correct.</summary>
    public WrongAnswers Wrong { get; } = new();

    /// <summary>Web API calls received (notices, DMs, user groups).</summary>
    public int ApiCalls => Volatile.Read(ref apiCalls);

    /// <summary>Starts it, with <paramref name="users"/> users in the one group.</summary>
    public static async Task<LoadSlack> StartAsync(int users)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var members = string.Join(',', Enumerable.Range(0, users).Select(i => $"\"{LoadCommand.User(i)}\""));
        var json = $$"""{"ok":true,"usergroups":[{"id":"{{GroupId}}","handle":"load","users":[{{members}}],"date_delete":0}]}""";
        var server = new LoadSlack(app, json);
        app.MapPost("/api/{method}", server.HandleApiAsync);
        app.MapPost("/response/{id}", server.HandleResponseUrlAsync);
        app.MapPost("/upload/{fileId}", server.HandleUploadAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>Registers what command <paramref name="id"/> asks, and returns its response_url.</summary>
    public string Expect(string id, LoadCommand command, string userId)
    {
        expected[id] = (command, userId);
        if (command.MayAnswerAsFile)
        {
            fileAnswerWaiters.GetOrAdd(FileWaiter(userId, command.FileExtension), _ => new()).Enqueue(id);
        }

        return new Uri(BaseUri, $"/response/{id}").ToString();
    }

    /// <summary>The first answer for <paramref name="id"/>, if any arrived.</summary>
    public Answer? AnswerOf(string id) => answers.TryGetValue(id, out var answer) ? answer : null;

    /// <summary>
    /// Command <paramref name="id"/> was answered in its acknowledgement (e.g. "busy"), so no file in the user's DM
    /// answers it. Without this, a refused list stayed first in line for its user's files for the rest of the run, and
    /// later commands, even another server's, counted as unanswered (57 CSV lists once, after a baseline's 57 busy ones).
    /// A file already credited to it is passed on.
    /// </summary>
    public void AnsweredInAck(string id, Answer answer)
    {
        lock (fileGate)
        {
            Settle(id, answer);
        }
    }

    private async Task<IResult> HandleApiAsync(string method, HttpContext context)
    {
        var form = method.StartsWith("files.", StringComparison.Ordinal) || method == "conversations.open"
            ? await context.Request.ReadFormAsync()
            : null;
        if (form is null)
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
        }

        Interlocked.Increment(ref apiCalls);
        return method switch
        {
            "usergroups.list" => Results.Content(usergroupsJson, "application/json"),
            "conversations.open" => Results.Content($$$"""{"ok":true,"channel":{"id":"D{{{form!["users"]}}}"}}""", "application/json"),
            "files.getUploadURLExternal" => Results.Content(ReserveUpload(form!), "application/json"),
            "files.completeUploadExternal" => Results.Content(CompleteUpload(form!), "application/json"),
            "auth.test" => Results.Content($$"""{"ok":true,"team_id":"{{TeamId}}","user_id":"U0LOADBOT","bot_id":"B0LOAD"}""", "application/json"),
            _ => Results.Content("""{"ok":true}""", "application/json"),
        };
    }

    private async Task<IResult> HandleResponseUrlAsync(string id, HttpContext context)
    {
        // The person sees the answer from its arrival on.
        var at = Stopwatch.GetTimestamp();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (expected.TryGetValue(id, out var what))
        {
            var verdict = what.Command.Classify(body, what.UserId);
            lock (fileGate)
            {
                if (Settle(id, new Answer(at, verdict)))
                {
                    Wrong.Note(id, what.Command, verdict, body);
                }
            }
        }

        return Results.Text("ok");
    }

    private static string FileWaiter(string userId, string extension) => $"{userId}.{extension}";

    private string ReserveUpload(IFormCollection form)
    {
        var id = $"F{Interlocked.Increment(ref fileIds)}";
        files[id] = (Path.GetExtension(form["filename"].ToString()).TrimStart('.'), int.TryParse(form["length"], out var length) ? length : -1, null);
        return $$"""{"ok":true,"upload_url":"{{new Uri(BaseUri, $"/upload/{id}")}}","file_id":"{{id}}"}""";
    }

    private async Task<IResult> HandleUploadAsync(string fileId, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var content = await reader.ReadToEndAsync();
        if (!files.TryGetValue(fileId, out var file))
        {
            return Results.NotFound();
        }

        files[fileId] = file with { Content = content };
        return Results.Text("OK");
    }

    private string CompleteUpload(IFormCollection form)
    {
        var at = Stopwatch.GetTimestamp();
        var user = form["channel_id"].ToString().TrimStart('D');
        using var shared = System.Text.Json.JsonDocument.Parse(form["files"].ToString() is { Length: > 0 } json ? json : "[]");
        foreach (var entry in shared.RootElement.EnumerateArray())
        {
            // Like Slack: a file whose bytes never arrived, or not as many as reserved, is not shared.
            var id = entry.GetProperty("id").GetString() ?? "";
            if (!files.TryRemove(id, out var file) || file.Content is null || Encoding.UTF8.GetByteCount(file.Content) != file.Length)
            {
                return """{"ok":false,"error":"file_not_found"}""";
            }

            lock (fileGate)
            {
                CreditFile(FileWaiter(user, file.Extension), file.Content, at);
            }
        }

        return """{"ok":true,"files":[]}""";
    }

    // Under fileGate: records the command's own answer; false when it already has one. An answer that was only a file
    // credited by guess gives way, and the file is passed on to the next command still waiting for one.
    private bool Settle(string id, Answer answer)
    {
        if (answers.TryAdd(id, answer))
        {
            return true;
        }

        if (!creditedFiles.Remove(id, out var file))
        {
            return false;
        }

        answers[id] = answer;
        CreditFile(file.Waiter, file.Content, file.At);
        return true;
    }

    // Under fileGate: the file answers the oldest command of its waiter still without an answer.
    private void CreditFile(string waiter, string content, long at)
    {
        if (!fileAnswerWaiters.TryGetValue(waiter, out var waiting))
        {
            return;
        }

        while (waiting.TryDequeue(out var commandId))
        {
            var what = expected[commandId];
            var verdict = what.Command.Classify(content, what.UserId);
            if (answers.TryAdd(commandId, new Answer(at, verdict)))
            {
                creditedFiles[commandId] = (waiter, content, at);
                Wrong.Note(commandId, what.Command, verdict, "(file) " + content);
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
