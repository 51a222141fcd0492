using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>
/// A loopback Entra token endpoint (<c>POST /{tenant}/oauth2/v2.0/token</c>, client credentials) and Microsoft Graph
/// (<c>GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.group</c>, paged two groups at a time) over HTTPS with
/// a certificate made for the test: MSAL refuses http authorities. Group membership nests: a group may hold users
/// and other groups, and a user's transitive groups are computed as Graph does.
/// </summary>
public sealed class FakeEntraServer : IAsyncDisposable
{
    /// <summary>The access token the token endpoint issues and Graph requires.</summary>
    public const string AccessToken = "fake-graph-access-token";

    private readonly WebApplication app;
    private readonly X509Certificate2 certificate;
    private readonly ConcurrentQueue<string> requests = new();

    private FakeEntraServer(WebApplication app, X509Certificate2 certificate)
    {
        this.app = app;
        this.certificate = certificate;
    }

    /// <summary>The root URL (https, loopback): the authority host.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The Graph base URL, version included.</summary>
    public string GraphBaseUrl => BaseUrl + "/v1.0";

    /// <summary>Members of each group (user or group object ids).</summary>
    public ConcurrentDictionary<string, string[]> GroupMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Status forced on every Graph read (null: 200).</summary>
    public int? GraphStatus { get; set; }

    /// <summary>The client secret the token endpoint accepts.</summary>
    public string? ExpectedClientSecret { get; set; }

    /// <summary>"METHOD path?query" of every request, in order.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    public static async Task<FakeEntraServer> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeEntraServer(app, certificate);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>A handler that trusts this server's certificate (and only it), for the bot's Entra HttpClient.</summary>
    public HttpMessageHandler CreateTrustingHandler() => new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.Thumbprint },
    };

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        requests.Enqueue($"{http.Request.Method} {path}{http.Request.QueryString}");
        if (http.Request.Method == "POST" && path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            var form = await http.Request.ReadFormAsync();
            if (form["grant_type"] != "client_credentials" || (ExpectedClientSecret is not null && form["client_secret"] != ExpectedClientSecret))
            {
                http.Response.StatusCode = 401;
                await http.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." });
                return;
            }

            await http.Response.WriteAsJsonAsync(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3600, ["ext_expires_in"] = 3600, ["access_token"] = AccessToken });
            return;
        }

        const string prefix = "/v1.0/users/";
        const string suffix = "/transitiveMemberOf/microsoft.graph.group";
        if (http.Request.Method == "GET" && path.StartsWith(prefix, StringComparison.Ordinal) && path.EndsWith(suffix, StringComparison.Ordinal))
        {
            if (http.Request.Headers.Authorization != "Bearer " + AccessToken)
            {
                http.Response.StatusCode = 401;
                return;
            }

            if (GraphStatus is { } status)
            {
                http.Response.StatusCode = status;
                return;
            }

            var user = Uri.UnescapeDataString(path[prefix.Length..^suffix.Length]);
            var all = TransitiveGroups(user);
            var skip = int.TryParse(http.Request.Query["$skiptoken"], out var s) ? s : 0;
            var page = new JsonArray([.. all.Skip(skip).Take(2).Select(g => (JsonNode)new JsonObject { ["@odata.type"] = "#microsoft.graph.group", ["id"] = g })]);
            var body = new JsonObject { ["value"] = page };
            if (skip + 2 < all.Count)
            {
                body["@odata.nextLink"] = $"{GraphBaseUrl}{path[5..]}?$select=id&$skiptoken={skip + 2}";
            }

            await http.Response.WriteAsJsonAsync(body);
            return;
        }

        http.Response.StatusCode = 404;
    }

    private List<string> TransitiveGroups(string member)
    {
        var found = new List<string>();
        var frontier = new Queue<string>([member]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (group, members) in GroupMembers)
            {
                if (members.Contains(current, StringComparer.OrdinalIgnoreCase) && !found.Contains(group, StringComparer.OrdinalIgnoreCase))
                {
                    found.Add(group);
                    frontier.Enqueue(group);
                }
            }
        }

        return found;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fake-entra", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so the private key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        certificate.Dispose();
    }
}
