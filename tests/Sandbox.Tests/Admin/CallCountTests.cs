using System.Net;
using System.Text.Json;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.Admin;

public sealed class CallCountTests
{
    [Fact]
    public async Task EveryApiCallIsCountedWithItsFinalStatusAndResetClearsTheCount()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = new Uri(sandbox.Server.BaseAddress, "/") };
        sandbox.Server.Faults.Force("GET", "/v1/organizations/*/service-tokens/*/grants", 429, times: 1, retryAfterSeconds: 1);
        var grants = $"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}/grants";

        await sandbox.SendAsync(HttpMethod.Get, grants, null, HttpStatusCode.TooManyRequests);
        await sandbox.GetAsync(grants);
        await sandbox.GetAsync("organizations/acme/service-tokens");
        using (var unauthenticated = sandbox.NewClient(null))
        {
            await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.Unauthorized, unauthenticated);
        }

        var counts = await ReadAsync(await admin.GetAsync("/_sandbox/calls"));
        Assert.Equal(4, counts.GetProperty("total").GetInt64());
        var byStatus = counts.GetProperty("byStatus");
        Assert.Equal(2, byStatus.GetProperty("200").GetInt64());
        Assert.Equal(1, byStatus.GetProperty("429").GetInt64());
        Assert.Equal(1, byStatus.GetProperty("401").GetInt64());
        Assert.Equal(2, counts.GetProperty("byRoute").GetProperty($"GET /v1/{grants}").GetInt64());

        // The admin calls themselves are not PlanetScale calls: only /v1 is counted.
        var reset = await ReadAsync(await admin.DeleteAsync("/_sandbox/calls"));
        Assert.Equal(0, reset.GetProperty("total").GetInt64());
        await sandbox.GetAsync("organizations");
        Assert.Equal(1, (await ReadAsync(await admin.GetAsync("/_sandbox/calls"))).GetProperty("total").GetInt64());
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await RunningSandbox.ReadJsonAsync(response);
        }
    }
}
