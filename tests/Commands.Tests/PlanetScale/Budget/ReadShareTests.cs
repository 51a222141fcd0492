using System.Net;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale.Budget;

/// <summary>
/// Coalescing and the read cache through the real client (Refit, handlers, budget) with a scripted PlanetScale and a
/// fake clock. Requests the script holds back are released by the test, never by real time.
/// </summary>
public sealed class ReadShareTests : IDisposable
{
    private readonly PlanetScaleClientHarness harness = PlanetScaleClientHarness.Create();

    [Fact]
    public async Task Identical_reads_in_flight_make_one_call_shared_by_every_waiter()
    {
        var release = Hold("tokens-minimal.json");

        var waiters = Enumerable.Range(0, 50).Select(_ => harness.Service.ListTokensAsync("acme", CancellationToken.None)).ToList();
        await UntilRequestsAsync(1);
        release.SetResult();
        var answers = await Task.WhenAll(waiters);

        Assert.Single(harness.Handler.Requests);
        Assert.All(answers, tokens => Assert.Equal("txhc257pxjuc", Assert.Single(tokens).Id));
    }

    [Fact]
    public async Task A_shared_call_that_fails_gives_every_waiter_the_worded_failure()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Handler.Then(async (_, _) =>
        {
            await release.Task;
            return ScriptedPlanetScaleHandler.Json(HttpStatusCode.Forbidden, """{"code":"forbidden","message":"Forbidden"}""");
        });

        var waiters = Enumerable.Range(0, 20).Select(_ => harness.Service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None)).ToList();
        await UntilRequestsAsync(1);
        release.SetResult();

        foreach (var waiter in waiters)
        {
            var failure = await Assert.ThrowsAsync<PlanetScaleApiException>(() => waiter);
            Assert.Equal(PlanetScaleErrorKind.Forbidden, failure.Kind);
            Assert.Contains("txhc257pxjuc", failure.Message, StringComparison.Ordinal);
            Assert.Contains("read_service_tokens", failure.Message, StringComparison.Ordinal);
        }

        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task One_waiter_giving_up_does_not_cancel_the_call_for_the_others()
    {
        var release = Hold("tokens-minimal.json");
        using var impatient = new CancellationTokenSource();

        var first = harness.Service.ListTokensAsync("acme", impatient.Token);
        var second = harness.Service.ListTokensAsync("acme", CancellationToken.None);
        await UntilRequestsAsync(1);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        release.SetResult();

        Assert.Equal("txhc257pxjuc", Assert.Single(await second).Id);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task An_answer_is_reused_within_its_ttl_and_fetched_again_after()
    {
        harness.Handler.ThenFixture("tokens-minimal.json").ThenFixture("tokens-minimal.json");

        await harness.Service.ListTokensAsync("acme", CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await harness.Service.ListTokensAsync("acme", CancellationToken.None);
        Assert.Single(harness.Handler.Requests);

        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        await harness.Service.ListTokensAsync("acme", CancellationToken.None);
        Assert.Equal(2, harness.Handler.Requests.Count);
    }

    [Fact]
    public async Task After_a_change_through_the_bot_the_next_read_is_fresh()
    {
        harness.Handler
            .ThenFixture("tokens-minimal.json")          // list, cached
            .ThenFixture("access-rows.json")             // show-access, cached
            .ThenFixture("token-created.json")           // create
            .ThenFixture("tokens-page1.json").ThenFixture("tokens-page2.json") // list again: fresh
            .ThenFixture("access-added.json")            // add-access
            .ThenFixture("access-rows.json")             // its own re-read
            .ThenFixture("access-rows.json");            // show-access again: fresh
        var service = harness.Service;

        await service.ListTokensAsync("acme", CancellationToken.None);
        await service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None);
        await service.CreateTokenAsync("acme", "new", null, CancellationToken.None);
        var listed = await service.ListTokensAsync("acme", CancellationToken.None);
        await service.AddAccessAsync("acme", "txhc257pxjuc", "prod", ["read_branch"], CancellationToken.None);
        await service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None);

        Assert.Equal(3, listed.Count);
        Assert.Equal(8, harness.Handler.Requests.Count);
        Assert.Equal(HttpMethod.Get, harness.Handler.Requests[^1].Method);
    }

    [Fact]
    public async Task A_failed_change_still_drops_the_cache_because_it_may_have_taken_effect()
    {
        harness.Handler
            .ThenFixture("access-rows.json")
            .ThenStatus(HttpStatusCode.BadGateway)
            .ThenFixture("access-rows.json");

        await harness.Service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None);
        await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.Service.AddAccessAsync("acme", "txhc257pxjuc", "prod", ["read_branch"], CancellationToken.None));
        await harness.Service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None);

        Assert.Equal(3, harness.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_read_in_flight_during_a_change_is_neither_joined_nor_kept_afterwards()
    {
        var release = Hold("tokens-minimal.json");
        var before = harness.Service.ListTokensAsync("acme", CancellationToken.None);
        await UntilRequestsAsync(1);
        harness.Handler.ThenFixture("token-created.json").ThenFixture("tokens-page1.json").ThenFixture("tokens-page2.json");

        await harness.Service.CreateTokenAsync("acme", "new", null, CancellationToken.None);
        var after = harness.Service.ListTokensAsync("acme", CancellationToken.None);
        release.SetResult();

        Assert.Single(await before);
        Assert.Equal(3, (await after).Count);
        Assert.Equal(4, harness.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_change_to_one_tokens_access_keeps_the_list_and_other_tokens_answers()
    {
        harness.Handler
            .ThenFixture("tokens-minimal.json")       // list, cached
            .ThenFixture("access-rows.json")          // token A's access, cached
            .ThenFixture("access-rows.json")          // token B's access, cached
            .ThenStatus(HttpStatusCode.NoContent)     // A loses an access
            .ThenFixture("access-rows.json");         // A's access again: fresh
        var service = harness.Service;
        await service.ListTokensAsync("acme", CancellationToken.None);
        await service.GetAccessAsync("acme", "tokenaaaaaa1", CancellationToken.None);
        await service.GetAccessAsync("acme", "tokenbbbbbb2", CancellationToken.None);

        await service.DeleteAccessAsync("acme", "TOKENAAAAAA1", "prod", ["read_branch"], CancellationToken.None);
        await service.ListTokensAsync("acme", CancellationToken.None);
        await service.GetAccessAsync("acme", "tokenbbbbbb2", CancellationToken.None);
        await service.GetAccessAsync("acme", "tokenaaaaaa1", CancellationToken.None);

        Assert.Equal(5, harness.Handler.Requests.Count);
        Assert.EndsWith("/service-tokens/tokenaaaaaa1/access", harness.Handler.Requests[^1].Uri.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_of_a_token_in_flight_during_a_change_to_its_access_is_not_kept()
    {
        var release = Hold("access-rows.json");
        var before = harness.Service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None);
        await UntilRequestsAsync(1);
        harness.Handler.ThenStatus(HttpStatusCode.NoContent).ThenFixture("access-rows.json");

        await harness.Service.DeleteAccessAsync("acme", "txhc257pxjuc", "prod", ["read_branch"], CancellationToken.None);
        release.SetResult();
        await before;
        await harness.Service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None);

        Assert.Equal(3, harness.Handler.Requests.Count);
    }

    [Fact]
    public async Task Other_organizations_and_tokens_are_separate_reads()
    {
        harness.Handler.ThenFixture("access-rows.json").ThenFixture("access-rows.json").ThenFixture("access-rows.json");

        await harness.Service.GetAccessAsync("acme", "txhc257pxjuc", CancellationToken.None);
        await harness.Service.GetAccessAsync("acme", "other0000001", CancellationToken.None);
        await harness.Service.GetAccessAsync("globex", "txhc257pxjuc", CancellationToken.None);

        Assert.Equal(3, harness.Handler.Requests.Count);
    }

    public void Dispose() => harness.Dispose();

    private TaskCompletionSource Hold(string fixture)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Handler.Then(async (_, _) =>
        {
            await release.Task;
            return ScriptedPlanetScaleHandler.Json(HttpStatusCode.OK, ScriptedPlanetScaleHandler.Fixture(fixture));
        });
        return release;
    }

    // Lets the client's continuations run until the fake server has seen the requests; no clock is read.
    private async Task UntilRequestsAsync(int count)
    {
        for (var spin = 0; spin < 2000 && harness.Handler.Requests.Count < count; spin++)
        {
            await Task.Delay(1);
        }

        Assert.Equal(count, harness.Handler.Requests.Count);
    }
}
