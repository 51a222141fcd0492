using PscaleBot.Commands.Access;
using static PscaleBot.EndToEnd.Tests.Access.AccessScenario;

namespace PscaleBot.EndToEnd.Tests.Access;

/// <summary>
/// Revocation survives a restart: grants that fell due while the bot was down are revoked when it starts again
/// over the same data folder (its SQLite store, and the sandbox's state file standing in for PlanetScale).
/// </summary>
public sealed class AccessRestartEndToEndTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("pscale-bot-access-restart-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Grants_that_fell_due_while_the_bot_was_down_are_revoked_when_it_starts_and_the_others_keep_their_time()
    {
        var time = NewClock();
        string dueId, laterId;
        await using (var before = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true))
        {
            await before.RunAsync(Ada, $"access approve {await before.RequestAsync(Oliver, "connect_production_branch", "1h")}");
            dueId = (await before.ActiveGrantOfAsync(Oliver)).Id;
            Assert.StartsWith("Granted g-", Text(await before.RunAsync(Ben, $"service-token add-access {Token} connect_branch --database prod --for 4h")));
            laterId = (await before.ActiveGrantOfAsync(Ben)).Id;
            Assert.Superset(new HashSet<string> { "connect_production_branch", "connect_branch" }, (await before.HeldOnAsync()).ToHashSet());
        }

        // Down for two hours: the first grant ends meanwhile, the second does not.
        time.Advance(TimeSpan.FromHours(2));
        await using var after = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true);

        await after.EventuallyAsync(
            async () => (await after.Store.GetGrantAsync(dueId, default))!.State == AccessGrantState.Expired,
            "the start-up sweep revokes the grant that fell due", nudgeLimit: TimeSpan.Zero);
        var held = await after.HeldOnAsync();
        Assert.DoesNotContain("connect_production_branch", held);
        Assert.Contains("connect_branch", held);
        Assert.Superset(PermanentOnProd.ToHashSet(), held.ToHashSet());
        Assert.Equal(AccessGrantState.Active, (await after.Store.GetGrantAsync(laterId, default))!.State);
        var expired = (await after.Store.GetGrantAsync(dueId, default))!;
        Assert.Equal(time.GetUtcNow(), expired.EndedAt);

        time.Advance(TimeSpan.FromHours(2));
        await after.EventuallyAsync(
            async () => !(await after.HeldOnAsync()).Contains("connect_branch"),
            "the other grant still ends on time after the restart");
    }
}
