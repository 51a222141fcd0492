using System.Net;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class PlanetScalePagingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_server_that_never_ends_is_stopped_after_the_page_cap_with_a_clear_message()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:MaxPages"] = "3");
        for (var page = 1; page <= 5; page++)
        {
            harness.Handler.ThenJson(HttpStatusCode.OK, Page(page, next: page + 1));
        }

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Equal(
            "PlanetScale's answer to \"list the service tokens of organization `acme`\" could not be read: PlanetScale still offered more service tokens after 3 pages of 100; the bot stopped there rather than loop forever.",
            error.Message);
        Assert.Equal(3, harness.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_next_page_that_points_backwards_is_refused()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, Page(1, next: 2)).ThenJson(HttpStatusCode.OK, Page(2, next: 1));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Contains("page 2 of the service tokens pointed to page 1 as the next one, which would loop", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, harness.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_list_without_data_is_malformed()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, """{"type":"list","next_page":null}""");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.ListDatabasesAsync("acme", None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Equal(
            "PlanetScale's answer to \"list the databases of organization `acme`\" could not be read: page 1 of the databases had no `data`.",
            error.Message);
    }

    [Fact]
    public async Task Pages_follow_next_page_even_when_it_skips_numbers()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, Page(1, next: 3)).ThenJson(HttpStatusCode.OK, Page(3, next: null));

        var tokens = await harness.Service.ListTokensAsync("acme", None);

        Assert.Equal(["tok000000001", "tok000000003"], tokens.Select(t => t.Id));
        Assert.Equal("?page=3&per_page=100", harness.Handler.Requests[1].Uri.Query);
    }

    private static string Page(int page, int? next) =>
        $$"""{"type":"list","current_page":{{page}},"next_page":{{(next is null ? "null" : next.ToString())}},"prev_page":null,"data":[{"id":"tok00000000{{page}}","name":null,"created_at":"2026-01-01T00:00:00.000Z"}]}""";
}
