using System.Net;
using System.Text.Json;

namespace PscaleBot.Sandbox.Tests.Api;

public sealed class PaginationTests
{
    [Fact]
    public async Task TwoHundredThirtyTokensComeInThreePagesOfAHundred()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { Faults = { RateLimitPerMinute = 0 } });
        for (var i = 0; i < 224; i++)
        {
            await sandbox.CreateTokenAsync($$"""{"name":"bulk-{{i}}"}""");
        }

        var seen = new List<string>();
        var pages = new List<JsonElement>();
        for (var page = 1; page <= 3; page++)
        {
            var list = await sandbox.GetAsync($"organizations/acme/service-tokens?page={page}&per_page=100");
            pages.Add(list);
            seen.AddRange(list.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
        }

        Assert.Equal([100, 100, 30], pages.Select(p => p.GetProperty("data").GetArrayLength()));
        Assert.All(pages, p => Assert.Equal(230, p.GetProperty("total_count").GetInt32()));
        Assert.All(pages, p => Assert.Equal(3, p.GetProperty("total_pages").GetInt32()));
        Assert.Equal(230, seen.Distinct().Count());

        Assert.Equal(2, pages[0].GetProperty("next_page").GetInt32());
        Assert.Equal(JsonValueKind.Null, pages[0].GetProperty("prev_page").ValueKind);
        Assert.EndsWith("/v1/organizations/acme/service-tokens?page=2&per_page=100", pages[0].GetProperty("next_page_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, pages[1].GetProperty("next_page").GetInt32());
        Assert.Equal(1, pages[1].GetProperty("prev_page").GetInt32());
        Assert.EndsWith("?page=1&per_page=100", pages[1].GetProperty("prev_page_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, pages[2].GetProperty("next_page").ValueKind);
        Assert.Equal(JsonValueKind.Null, pages[2].GetProperty("next_page_url").ValueKind);

        var next = pages[0].GetProperty("next_page_url").GetString()!;
        var followed = await sandbox.GetAsync(next);
        Assert.Equal(2, followed.GetProperty("current_page").GetInt32());
    }

    [Fact]
    public async Task PerPageDefaultsTo25AndIsClampedTo100()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { Faults = { RateLimitPerMinute = 0 } });
        for (var i = 0; i < 24; i++)
        {
            await sandbox.CreateTokenAsync();
        }

        var first = await sandbox.GetAsync("organizations/acme/service-tokens");
        Assert.Equal(25, first.GetProperty("per_page").GetInt32());
        Assert.Equal(25, first.GetProperty("data").GetArrayLength());
        Assert.Equal(2, first.GetProperty("total_pages").GetInt32());

        var clamped = await sandbox.GetAsync("organizations/acme/service-tokens?per_page=500");
        Assert.Equal(100, clamped.GetProperty("per_page").GetInt32());
        Assert.Equal(30, clamped.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task APageBeyondTheEndIsEmpty()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var list = await sandbox.GetAsync("organizations/acme/service-tokens?page=9");
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("next_page").ValueKind);
        Assert.Equal(6, list.GetProperty("total_count").GetInt32());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("per_page=0", "per_page")]
    [InlineData("per_page=-3", "per_page")]
    public async Task BadPageParametersAreRejectedByName(string query, string parameter)
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var error = await sandbox.SendAsync(HttpMethod.Get, "organizations/acme/service-tokens?" + query, null, HttpStatusCode.BadRequest);
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.StartsWith(parameter + " must", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
