using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Sandbox.Faults;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.Faults;

public sealed class FaultInjectionTests
{
    private const string AccessPath = "/v1/organizations/*/service-tokens/*/access";

    [Fact]
    public async Task AForcedStatusHitsOnlyMatchingRequestsForTheGivenNumberOfCalls()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.Faults.Force("DELETE", AccessPath, 429, times: 2, retryAfterSeconds: 3);
        var path = $"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}/access";
        const string body = """{"database":"prod","access":["read_branch"]}""";

        await sandbox.GetAsync(path.Replace("/access", "/grants", StringComparison.Ordinal));
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, path) { Content = RunningSandbox.Json(body) };
            using var response = await sandbox.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
            var error = await RunningSandbox.ReadJsonAsync(response);
            Assert.Equal("too_many_requests", error.GetProperty("code").GetString());
        }

        await sandbox.SendAsync(HttpMethod.Delete, path, body, HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AForcedFaultWithAfterLetsThatManyMatchingRequestsThroughFirst()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.Faults.Force("GET", "/v1/organizations", 503, times: 1, after: 2);

        await sandbox.GetAsync("organizations");
        await sandbox.GetAsync("organizations/acme/service-tokens");
        await sandbox.GetAsync("organizations");
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.ServiceUnavailable);
        await sandbox.GetAsync("organizations");
        Assert.Contains(
            "After must be 0 or more",
            Assert.Throws<ArgumentException>(() => sandbox.Server.Faults.Force(null, "/v1/**", 500, after: -1)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForcedFaultWithoutTimesKeepsFailingUntilReset()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.Faults.Force(null, "/v1/organizations", 500);
        for (var i = 0; i < 3; i++)
        {
            var error = await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.InternalServerError);
            Assert.Equal("internal_server_error", error.GetProperty("code").GetString());
        }

        sandbox.Server.Faults.Reset();
        await sandbox.GetAsync("organizations");
    }

    [Fact]
    public async Task ARawBodyIsSentAsIsToSimulateAGatewayPage()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.Faults.Set(new FaultOptions { Forced = [new ForcedFault { Path = "/v1/**", Status = 502, RawBody = "<html>Bad gateway</html>", Times = 1 }] });
        using var response = await sandbox.Client.GetAsync("organizations/acme/service-tokens");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("<html>Bad gateway</html>", await response.Content.ReadAsStringAsync());
        Assert.Single(response.Headers.GetValues("X-Request-Id"));
    }

    [Fact]
    public async Task RandomErrorsFollowTheSeed()
    {
        async Task<List<int>> RunAsync()
        {
            await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { Faults = new FaultOptions { ErrorRate = 0.5, Seed = 1234 } });
            var statuses = new List<int>();
            for (var i = 0; i < 20; i++)
            {
                using var response = await sandbox.Client.GetAsync("organizations");
                statuses.Add((int)response.StatusCode);
            }

            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();
        Assert.Equal(first, second);
        Assert.Contains(500, first);
        Assert.Contains(200, first);
        Assert.All(first, s => Assert.True(s is 200 or 500));
    }

    [Fact]
    public async Task TheRateLimitAnswers429WithRetryAfterUntilTheWindowEnds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 15, TimeSpan.Zero));
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { Faults = new FaultOptions { RateLimitPerMinute = 3 } }, time);
        for (var i = 0; i < 3; i++)
        {
            await sandbox.GetAsync("organizations");
        }

        using (var limited = await sandbox.Client.GetAsync("organizations"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(45), limited.Headers.RetryAfter?.Delta);
            var error = await RunningSandbox.ReadJsonAsync(limited);
            Assert.Equal("too_many_requests", error.GetProperty("code").GetString());
        }

        // Another caller has its own window.
        using var admin = sandbox.NewClient("Bearer " + sandbox.Server.AccessToken);
        await sandbox.GetAsync("organizations", admin);

        time.Advance(TimeSpan.FromSeconds(45));
        await sandbox.GetAsync("organizations");
    }

    [Fact]
    public async Task TheRateLimitCanBeChangedOrTurnedOffAtRuntime()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        Assert.Equal(600, sandbox.Server.Faults.RateLimitPerMinute);
        sandbox.Server.Faults.SetRateLimit(1);
        await sandbox.GetAsync("organizations");
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.TooManyRequests);
        sandbox.Server.Faults.SetRateLimit(0);
        await sandbox.GetAsync("organizations");
    }

    [Fact]
    public async Task LatencyHoldsTheResponseUntilTheClockMoves()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sandbox = await RunningSandbox.StartAsync(time: time);
        sandbox.Server.Faults.Set(new FaultOptions { LatencyMs = 2000 });

        var pending = sandbox.Client.GetAsync("organizations");
        while (sandbox.Server.Faults.PendingDelays == 0)
        {
            Assert.False(pending.IsCompleted, "The request finished without waiting for the injected latency.");
            await Task.Delay(5);
        }

        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(1, sandbox.Server.Faults.PendingDelays);
        Assert.False(pending.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ForcingAnotherFaultKeepsTheRemainingCountsOfEarlierOnes()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.Faults.Force("GET", "/v1/organizations", 503, times: 2);
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.ServiceUnavailable);

        sandbox.Server.Faults.Force("GET", "/v1/organizations/*/databases", 500, times: 1);
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.ServiceUnavailable);
        await sandbox.GetAsync("organizations");
        await sandbox.SendAsync(HttpMethod.Get, "organizations/acme/databases", null, HttpStatusCode.InternalServerError);
        await sandbox.GetAsync("organizations/acme/databases");
    }

    [Fact]
    public async Task InvalidRuntimeSettingsAreRejected()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        Assert.Throws<ArgumentException>(() => sandbox.Server.Faults.Set(new FaultOptions { ErrorRate = -1 }));
        Assert.Throws<ArgumentException>(() => sandbox.Server.Faults.Force("GET", "relative", 500));
        Assert.Throws<ArgumentException>(() => sandbox.Server.Faults.SetRateLimit(-1));
        Assert.Equal(0, sandbox.Server.Faults.Current.ErrorRate);
        Assert.Empty(sandbox.Server.Faults.Current.Forced);
        Assert.Equal(600, sandbox.Server.Faults.RateLimitPerMinute);
    }

    [Fact]
    public async Task TheAdminEndpointChangesFaultsFromLoopbackWithoutCredentials()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = new Uri(sandbox.Server.BaseAddress, "/") };

        using (var put = await admin.PutAsJsonAsync("/_sandbox/faults", new { forced = new[] { new { method = "GET", path = "/v1/organizations", status = 503, times = 1 } } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(503, Assert.Single(sandbox.Server.Faults.Current.Forced).Status);
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.ServiceUnavailable);
        await sandbox.GetAsync("organizations");

        using (var bad = await admin.PutAsJsonAsync("/_sandbox/faults", new { errorRate = 3 }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
            Assert.Contains("ErrorRate", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var reset = await admin.DeleteAsync("/_sandbox/faults");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Empty(sandbox.Server.Faults.Current.Forced);
    }
}
