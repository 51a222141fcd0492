using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PscaleBot.Benchmarks.Latency;

/// <summary>
/// Slack's side of the conversation on 127.0.0.1: the Web API methods the bot calls on the acknowledgement path
/// (<c>usergroups.list</c>; anything else answers <c>ok</c>) and <c>response_url</c> endpoints that note when each
/// command's first answer arrives.
/// </summary>
public sealed class LoopbackSlack : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, long> firstPostAt = new(StringComparer.Ordinal);
    private readonly string usergroupsJson;
    private int posts;

    private LoopbackSlack(WebApplication app, string usergroupsJson)
    {
        this.app = app;
        this.usergroupsJson = usergroupsJson;
    }

    /// <summary>The server's root.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Where the bot's Web API client points (<c>Slack:ApiBaseUrl</c>).</summary>
    public Uri ApiBase => new(BaseUri, "/api/");

    /// <summary>Every response_url post received, including second and later posts for one command.</summary>
    public int Posts => Volatile.Read(ref posts);

    /// <summary>Starts the server; <paramref name="groupOfUser"/> is the one user group and its member.</summary>
    public static async Task<LoopbackSlack> StartAsync((string GroupId, string UserId) groupOfUser)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var json = $$"""{"ok":true,"usergroups":[{"id":"{{groupOfUser.GroupId}}","handle":"bench","users":["{{groupOfUser.UserId}}"],"date_delete":0}]}""";
        var server = new LoopbackSlack(app, json);
        app.MapPost("/api/{method}", server.HandleApiAsync);
        app.MapPost("/response/{id}", server.HandleResponseUrlAsync);
        await app.StartAsync();
        server.BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>The response_url for command <paramref name="id"/>.</summary>
    public string ResponseUrl(string id) => new Uri(BaseUri, $"/response/{id}").ToString();

    /// <summary>The <see cref="Stopwatch"/> timestamp of the first post for <paramref name="id"/>, if any arrived.</summary>
    public long? FirstPostAt(string id) => firstPostAt.TryGetValue(id, out var at) ? at : null;

    private async Task<IResult> HandleApiAsync(string method, HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        return method == "usergroups.list"
            ? Results.Content(usergroupsJson, "application/json")
            : Results.Content("""{"ok":true}""", "application/json");
    }

    private async Task<IResult> HandleResponseUrlAsync(string id, HttpContext context)
    {
        // The time the post arrived, before reading its body: the person sees the answer from here on.
        var at = Stopwatch.GetTimestamp();
        await context.Request.Body.CopyToAsync(Stream.Null);
        firstPostAt.TryAdd(id, at);
        Interlocked.Increment(ref posts);
        return Results.Text("ok");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
