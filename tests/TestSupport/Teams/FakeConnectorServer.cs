using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>A loopback Bot Connector that records every call and answers like Teams (201 {id}).</summary>
public sealed class FakeConnectorServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ConnectorCall> calls = new();
    private readonly SemaphoreSlim arrived = new(0);
    private int nextId;

    private FakeConnectorServer(WebApplication app) => this.app = app;

    public string ServiceUrl { get; private set; } = "";

    /// <summary>Status for POST /v3/conversations (create a 1:1 chat); 201 by default.</summary>
    public int CreateConversationStatus { get; set; } = 201;

    /// <summary>Status for posting or updating an activity (null: Teams' own 201/200), to make replies fail.</summary>
    public int? ActivityStatus { get; set; }

    /// <summary>
    /// The roster <c>GET /v3/conversations/{id}/members/{member}</c> answers from, by Entra object id (any conversation):
    /// Teams' TeamsChannelAccount with the user's mail and user principal name. Anyone else is answered 404.
    /// </summary>
    public ConcurrentDictionary<string, (string? Email, string? UserPrincipalName)> Members { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Status forced on every roster read (null: 200 for a known member, 404 otherwise).</summary>
    public int? MemberStatus { get; set; }

    /// <summary>Held before every answer (a slow or hung connector).</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<ConnectorCall> Calls => [.. calls];

    public static async Task<FakeConnectorServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeConnectorServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.ServiceUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/teams/";
        return server;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync();
        var decodedPath = Uri.UnescapeDataString(http.Request.Path.Value ?? "");
        var createsConversation = http.Request.Method == "POST" && decodedPath.EndsWith("/v3/conversations", StringComparison.Ordinal);
        var answeredId = createsConversation ? $"a:personal-{Interlocked.Increment(ref nextId)}" : $"activity-{Interlocked.Increment(ref nextId)}";
        var call = new ConnectorCall(http.Request.Method, http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget, decodedPath,
            http.Request.Headers.Authorization.ToString(), text.Length == 0 ? null : JsonNode.Parse(text)?.AsObject(), text) { AnsweredId = answeredId };
        calls.Enqueue(call);
        arrived.Release();
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (http.Request.Method == "GET" && decodedPath.Contains("/members/", StringComparison.Ordinal))
        {
            var member = decodedPath[(decodedPath.LastIndexOf('/') + 1)..];
            if (MemberStatus is { } forced)
            {
                http.Response.StatusCode = forced;
            }
            else if (Members.TryGetValue(member, out var known))
            {
                await http.Response.WriteAsJsonAsync(new
                {
                    id = "29:" + member, name = "Member", aadObjectId = member, email = known.Email,
                    userPrincipalName = known.UserPrincipalName, tenantId = LocalOpenIdServer.TenantId, userRole = "user",
                });
            }
            else
            {
                http.Response.StatusCode = 404;
                await http.Response.WriteAsJsonAsync(new { error = new { code = "MemberNotFoundInConversation", message = "The member is not in the conversation." } });
            }

            return;
        }

        if (createsConversation)
        {
            http.Response.StatusCode = CreateConversationStatus;
            if (CreateConversationStatus < 300)
            {
                await http.Response.WriteAsJsonAsync(new { id = answeredId });
            }

            return;
        }

        if (ActivityStatus is { } status)
        {
            http.Response.StatusCode = status;
            return;
        }

        http.Response.StatusCode = call.Method == "PUT" ? 200 : 201;
        await http.Response.WriteAsJsonAsync(new { id = answeredId });
    }

    /// <summary>Waits (up to a generous bound, for background work) until a call matches.</summary>
    public async Task<ConnectorCall> WaitForAsync(Func<ConnectorCall, bool> match)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var found = calls.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            try
            {
                await arrived.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException("The fake connector never received the expected call. Calls: " +
                    string.Join("; ", calls.Select(c => $"{c.Method} {c.DecodedPath}")));
            }
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

public sealed record ConnectorCall(string Method, string RawPath, string DecodedPath, string Authorization, JsonObject? Body, string RawBody)
{
    /// <summary>The id the fake answered with (the new activity's or conversation's).</summary>
    public string? AnsweredId { get; init; }

    public string? ActivityType => Body?["type"]?.GetValue<string>();

    public JsonObject? Card => Body?["attachments"]?[0]?["content"]?.AsObject();
}
