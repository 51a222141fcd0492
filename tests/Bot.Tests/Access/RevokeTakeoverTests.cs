using Microsoft.Data.Sqlite;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>A bot killed in the middle of a revoke: its restart takes the grant over at once, and the audit says when the permission really went.</summary>
public sealed class RevokeTakeoverTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "pscale-takeover-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(directory, "access.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_restart_takes_over_at_once_the_claim_its_dead_predecessor_left_mid_revoke()
    {
        var before = new AccessWorld(new SqliteAccessStore(DbPath));
        var grant = (await before.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        before.Time.Advance(TimeSpan.FromHours(1));
        var due = before.Time.GetUtcNow();

        // The sweep claims the grant and is killed before the DELETE returns: the claim stays behind.
        Assert.NotNull(await before.Store.TryClaimGrantAsync(grant.Id, before.Replica.Claim(due + before.Settings.RevokeClaimDuration), due, default));

        // Restarted 20 s later, well inside the dead run's two-minute lease.
        before.Time.Advance(TimeSpan.FromSeconds(20));
        var after = before.Restart(new SqliteAccessStore(DbPath));
        var revokedAt = after.Time.GetUtcNow();
        await after.SweepAsync();

        Assert.False(after.Holds());
        var ended = (await after.Store.GetGrantAsync(grant.Id, default))!;
        Assert.Equal(AccessGrantState.Expired, ended.State);
        Assert.Equal(revokedAt, ended.EndedAt);
        Assert.Null(ended.Claim);
        var audit = Assert.Single(after.Audit.Transitions(AccessTransitions.Expired));
        Assert.Equal(revokedAt, audit.Time);
        Assert.Contains($"permission removed {AccessText.Instant(revokedAt)}", audit.Command, StringComparison.Ordinal);
        Assert.Contains($"due {AccessText.Time(due)}", audit.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_revoke_ends_the_grant_when_PlanetScale_answered_not_when_it_was_due()
    {
        var world = new AccessWorld(new SqliteAccessStore(DbPath));
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        world.Time.Advance(TimeSpan.FromHours(1));
        var due = world.Time.GetUtcNow();
        world.Api.DuringDelete = () => world.Time.Advance(TimeSpan.FromSeconds(45));

        await world.SweepAsync();

        var ended = (await world.Store.GetGrantAsync(grant.Id, default))!;
        Assert.Equal(due.AddSeconds(45), ended.EndedAt);
        var audit = Assert.Single(world.Audit.Transitions(AccessTransitions.Expired));
        Assert.Contains($"permission removed {AccessText.Instant(due.AddSeconds(45))}", audit.Command, StringComparison.Ordinal);
    }
}
