using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Commands.Tests.PlanetScale.Budget;

/// <summary>The budget inside the real client: priorities reach the HTTP call, and a 429 pauses every caller.</summary>
public sealed class BudgetThroughClientTests : IDisposable
{
    private const string Credential = "token:" + PlanetScaleClientHarness.ServiceTokenId;
    private readonly List<(HttpMethod Method, string Path, DateTimeOffset At)> seen = [];
    private PlanetScaleClientHarness? harness;

    [Fact]
    public async Task A_429_with_retry_after_pauses_every_caller_until_it_has_passed()
    {
        var client = Harness();
        var start = client.Time.GetUtcNow();
        Answer(1, _ =>
        {
            var tooMany = ScriptedPlanetScaleHandler.Json(HttpStatusCode.TooManyRequests, """{"code":"too_many_requests","message":"slow down"}""");
            tooMany.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(10));
            return tooMany;
        });
        Answer(2, _ => ScriptedPlanetScaleHandler.Json(HttpStatusCode.OK, ScriptedPlanetScaleHandler.Fixture("token-get.json")));

        var first = client.Service.GetTokenAsync("acme", "token0000001", CancellationToken.None);
        await UntilSeenAsync(1);
        // The pause starts when the 429 has come back through the budget's handler, a moment after the server saw it.
        await UntilPausedAsync();
        var other = client.Service.GetTokenAsync("acme", "token0000002", CancellationToken.None);
        await UntilWaitingAsync(1);

        client.Time.Advance(TimeSpan.FromSeconds(10));
        await other;
        // The first call's own retry waits the 10 s on the clock too, but Polly may start that wait only after the advance
        // above (it runs once the 429 has gone back up the pipeline); moving the clock on a second at a time lets it end.
        await UntilDoneAsync(first, client.Time);

        Assert.Equal(3, Seen().Count);
        Assert.All(Seen().Skip(1), request => Assert.True(request.At >= start + TimeSpan.FromSeconds(10), $"{request.Path} went out during the pause"));
    }

    [Fact]
    public async Task A_revocation_queued_behind_many_reads_is_the_next_request_sent()
    {
        // One permit a minute: whatever gets the next one is the next request PlanetScale sees.
        // Twenty reads at one a minute wait twenty minutes of the fake clock: the total timeout allows it.
        var client = Harness(("PlanetScale:RequestsPerMinute", "1"), ("PlanetScale:TotalTimeout", "00:30:00"));
        Answer(22, _ => ScriptedPlanetScaleHandler.Json(HttpStatusCode.OK, ScriptedPlanetScaleHandler.Fixture("token-get.json")));
        await client.Service.GetTokenAsync("acme", "token0000000", CancellationToken.None);
        var reads = Enumerable.Range(1, 20).Select(i => client.Service.GetTokenAsync("acme", $"token{i:D7}", CancellationToken.None)).ToList();
        await UntilWaitingAsync(20);
        Task revocation;
        using (PlanetScalePriority.Revocation())
        {
            revocation = client.Service.DeleteAccessAsync("acme", "token0000001", null, ["read_branch"], CancellationToken.None);
        }

        await UntilWaitingAsync(21);

        client.Time.Advance(SlidingWindowRateBudget.Window);
        await revocation;

        Assert.Equal(HttpMethod.Delete, Seen()[1].Method);
        // Every read still gets its turn, one window after another.
        for (var window = 0; window < 25 && !reads.All(r => r.IsCompleted); window++)
        {
            await UntilSeenOrDoneAsync(2 + window, reads);
            client.Time.Advance(SlidingWindowRateBudget.Window);
        }

        await Task.WhenAll(reads);
        Assert.Equal(22, Seen().Count);
        Assert.All(Seen().Skip(2), request => Assert.Equal(HttpMethod.Get, request.Method));
    }

    public void Dispose() => harness?.Dispose();

    private PlanetScaleClientHarness Harness(params (string Key, string Value)[] settings) =>
        harness = PlanetScaleClientHarness.Create(s =>
        {
            s["PlanetScale:TotalTimeout"] = "00:05:00";
            s["PlanetScale:ReadCacheTtl"] = "00:00:00";
            foreach (var (key, value) in settings)
            {
                s[key] = value;
            }
        });

    private void Answer(int times, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        for (var i = 0; i < times; i++)
        {
            harness!.Handler.Then((request, _) =>
            {
                lock (seen)
                {
                    seen.Add((request.Method, request.RequestUri!.AbsolutePath, harness!.Time.GetUtcNow()));
                }

                return Task.FromResult(request.Method == HttpMethod.Delete ? new HttpResponseMessage(HttpStatusCode.NoContent) : respond(request));
            });
        }
    }

    private List<(HttpMethod Method, string Path, DateTimeOffset At)> Seen()
    {
        lock (seen)
        {
            return [.. seen];
        }
    }

    private async Task UntilWaitingAsync(int count)
    {
        var budget = (SlidingWindowRateBudget)harness!.Provider.GetRequiredService<IPlanetScaleRateBudget>();
        for (var spin = 0; spin < 5000 && budget.Waiting(Credential) < count; spin++)
        {
            await Task.Delay(1);
        }

        Assert.Equal(count, budget.Waiting(Credential));
    }

    private async Task UntilPausedAsync()
    {
        var budget = harness!.Provider.GetRequiredService<IPlanetScaleRateBudget>();
        for (var spin = 0; spin < 5000 && budget.IsFreeNow(Credential, PlanetScaleCallPriority.Read); spin++)
        {
            await Task.Delay(1);
        }

        Assert.False(budget.IsFreeNow(Credential, PlanetScaleCallPriority.Read), "The 429 never paused the budget.");
    }

    private async Task UntilSeenOrDoneAsync(int count, List<Task<PscaleBot.Commands.PlanetScale.ServiceToken>> calls)
    {
        for (var spin = 0; spin < 5000 && Seen().Count < count && !calls.All(c => c.IsCompleted); spin++)
        {
            await Task.Delay(1);
        }
    }

    private static async Task UntilDoneAsync(Task call, FakeTimeProvider clock)
    {
        for (var step = 0; step < 600 && !call.IsCompleted; step++)
        {
            await Task.WhenAny(call, Task.Delay(5));
            if (!call.IsCompleted)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.True(call.IsCompleted, "The call did not finish within 600 s of the fake clock.");
        await call;
    }

    private async Task UntilSeenAsync(int count)
    {
        for (var spin = 0; spin < 5000 && Seen().Count < count; spin++)
        {
            await Task.Delay(1);
        }

        Assert.Equal(count, Seen().Count);
    }
}
