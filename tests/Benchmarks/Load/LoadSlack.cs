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
        await app.StartAsync();
        server.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>Registers what command <paramref name="id"/> asks, and returns its response_url.</summary>
    public string Expect(string id, LoadCommand command, string userId)
    {
        expected[id] = (command, userId);
        return new Uri(BaseUri, $"/response/{id}").ToString();
    }

    /// <summary>The first answer for <paramref name="id"/>, if any arrived.</summary>
    public Answer? AnswerOf(string id) => answers.TryGetValue(id, out var answer) ? answer : null;

    private async Task<IResult> HandleApiAsync(string method, HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        Interlocked.Increment(ref apiCalls);
        return method switch
        {
            "usergroups.list" => Results.Content(usergroupsJson, "application/json"),
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
            answers.TryAdd(id, new Answer(at, what.Command.Classify(body, what.UserId)));
        }

        return Results.Text("ok");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
