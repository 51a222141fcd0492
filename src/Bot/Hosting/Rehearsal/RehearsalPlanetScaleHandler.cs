using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PscaleBot.Commands.PlanetScale.Api;

namespace PscaleBot.Bot.Hosting.Rehearsal;

/// <summary>
/// The rehearsal's PlanetScale: answers the read endpoints the rehearsed commands call, from memory, in the API's own
/// JSON (written with the client's serializers), so the client's whole read path runs (handlers, resilience, Refit,
/// JSON) without a byte leaving the process. Anything else is PlanetScale's 404 and is counted in
/// <see cref="Unanswered"/>, so a rehearsal that starts calling something new is noticed by its test.
/// </summary>
internal sealed class RehearsalPlanetScaleHandler : HttpMessageHandler
{
    /// <summary>The rehearsal's organization.</summary>
    public const string Organization = "rehearsal";

    /// <summary>The token the rehearsal lists, shows and shows the access of.</summary>
    public const string TokenId = "rehearsal0t1";

    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;
    private static readonly PlanetScaleJsonContext Json = PlanetScaleJsonContext.Default;
    private int unanswered;

    /// <summary>Requests answered 404 because the rehearsal has no answer for them.</summary>
    public int Unanswered => Volatile.Read(ref unanswered);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Completes later, as a network answer does: every async method above suspends here, as it will for real, and
        // so is compiled and loaded whole (an answer completed at once would skip the suspension paths).
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var segments = request.RequestUri?.AbsolutePath.Trim('/').Split('/') ?? [];
        var answer = request.Method == HttpMethod.Get ? Answer(segments) : null;
        if (answer is null)
        {
            Interlocked.Increment(ref unanswered);
            answer = Body(new PlanetScaleErrorBody("not_found", "Not found (the start-up rehearsal has no answer for this call)", null, null, null), Json.PlanetScaleErrorBody, HttpStatusCode.NotFound);
        }

        answer.RequestMessage = request;
        return answer;
    }

    // Paths after the version segment: organizations[/{org}/(databases|service-tokens[/{id}[/access|/grants]])].
    private static HttpResponseMessage? Answer(string[] path) => path.Skip(1).ToArray() switch
    {
        ["organizations"] => Body(List([new OrganizationDto("rehearsal0org", Organization)]), Json.PlanetScaleListOrganizationDto),
        ["organizations", _, "databases"] => Body(List([new DatabaseDto("rehearsal0db1", "rehearsal")]), Json.PlanetScaleListDatabaseDto),
        ["organizations", _, "service-tokens"] => Body(List([Token(TokenId, "rehearsal"), Token("rehearsal0t2", null)]), Json.PlanetScaleListServiceTokenDto),
        ["organizations", _, "service-tokens", var id] => Body(Token(id, "rehearsal") with { ServiceTokenAccesses = [Access()] }, Json.ServiceTokenDto),
        ["organizations", _, "service-tokens", _, "access"] => Body(List([Access()]), Json.PlanetScaleListTokenAccessDto),
        ["organizations", _, "service-tokens", _, "grants"] => Body(
            List([new TokenGrantDto("rehearsal0g1", "ServiceTokenGrant", "rehearsal", "Database", "rehearsal0db1",
                [new GrantAccessDto("read_branch", "Read a branch"), new GrantAccessDto("connect_branch", "Connect to a branch")])]),
            Json.PlanetScaleListTokenGrantDto),
        _ => null,
    };

    private static ServiceTokenDto Token(string id, string? name) =>
        new(id, "ServiceToken", name, name ?? id, null, null, At, At, null, At, "rehearsal0actor", "pscale-bot", "User", null);

    private static TokenAccessDto Access() =>
        new("rehearsal0a1", "DatabaseAccess", "read_branch", "Read a branch", "rehearsal", "rehearsal0db1", "Database", null);

    private static PlanetScaleList<T> List<T>(IReadOnlyList<T> items) =>
        new("list", 1, 25, null, null, null, null, items.Count, 1, items);

    private static HttpResponseMessage Body<T>(T value, JsonTypeInfo<T> type, HttpStatusCode status = HttpStatusCode.OK)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(status) { Content = content };
    }
}
