using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Rotation;
using static PscaleBot.Commands.Tests.Rotation.RotationWorld;

namespace PscaleBot.Commands.Tests.Rotation;

/// <summary>The rotate handler: the replacement, its grants, the scheduled deletion, and every way it stops.</summary>
public sealed class RotateTokenHandlerTests
{
    private readonly RotationWorld world = new();

    private string SeedOld()
    {
        var now = world.Time.GetUtcNow();
        var id = world.PlanetScale.SeedToken("acme", "ci-deploy", now.AddDays(-10), now.AddDays(-1), now.AddDays(20));
        world.PlanetScale.Grant("acme", id, "prod", "read_branch", "connect_branch");
        world.PlanetScale.Grant("acme", id, "staging", "read_branch");
        world.PlanetScale.Grant("acme", id, null, "read_databases");
        return id;
    }

    private static IEnumerable<string> Grants(IReadOnlyList<TokenGrant> grants) =>
        grants.SelectMany(g => g.Permissions.Select(p => $"{g.ResourceKind}:{g.ResourceName}:{p}")).Order(StringComparer.Ordinal);

    [Fact]
    public async Task The_new_token_has_the_old_name_lifetime_and_exactly_its_grants_and_the_old_one_is_scheduled()
    {
        var old = SeedOld();
        var outcome = await world.RotateAsync(old, TimeSpan.FromMinutes(30));

        Assert.False(outcome.Failed, outcome.Outcome);
        var created = Assert.Single(Assert.IsType<TokenTable>(outcome.Results[0]).Tokens);
        Assert.Equal(TokenTableKind.Created, ((TokenTable)outcome.Results[0]).Kind);
        Assert.NotNull(created.Secret);
        Assert.Equal("ci-deploy", created.Name);
        Assert.Equal(TimeSpan.FromDays(30), created.ExpiresAt - created.CreatedAt);
        var oldGrants = await world.PlanetScale.GetGrantsAsync("acme", old, default);
        var newGrants = await world.PlanetScale.GetGrantsAsync("acme", created.Id, default);
        Assert.Equal(Grants(oldGrants), Grants(newGrants));
        Assert.True(world.PlanetScale.HasToken("acme", old), "the old token keeps working through the grace");

        var scheduled = await world.Store.FindOpenAsync("acme", old, default);
        Assert.NotNull(scheduled);
        Assert.Equal(created.Id, scheduled.NewTokenId);
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromMinutes(30), scheduled.DueAt);
        Assert.StartsWith("ok: new token " + created.Id, outcome.Outcome, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret!.Reveal(), outcome.Outcome, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret.Reveal(), outcome.Announcement, StringComparison.Ordinal);
        Assert.Contains($"service-token rotate {old} --cancel", Assert.IsType<MessageResult>(outcome.Results[^1]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_old_token_is_deleted_only_once_the_grace_is_over_audited_and_told_to_the_rotator()
    {
        var old = SeedOld();
        await world.RotateAsync(old, TimeSpan.FromHours(1));
        var sweeper = world.Sweeper();

        world.Time.Advance(TimeSpan.FromMinutes(59));
        var next = await sweeper.SweepAsync(default);
        Assert.True(world.PlanetScale.HasToken("acme", old));
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromMinutes(1), next);

        world.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await sweeper.SweepAsync(default));
        Assert.False(world.PlanetScale.HasToken("acme", old));
        Assert.Null(await world.Store.FindOpenAsync("acme", old, default));
        var entry = Assert.Single(await world.Audit.RecentAsync(10, default));
        Assert.Equal(RotationTransitions.Deleted, entry.Decision);
        Assert.Contains(old, entry.Command, StringComparison.Ordinal);
        var notice = Assert.IsType<AccessRequesterNotice>(Assert.Single(world.Notices.Sent));
        Assert.Equal(Alice.UserId, notice.Audience.UserId);
    }

    [Fact]
    public async Task A_cancelled_deletion_never_happens()
    {
        var old = SeedOld();
        await world.RotateAsync(old);
        var cancel = await world.RotateAsync(old, cancel: true);
        Assert.False(cancel.Failed, cancel.Outcome);

        world.Time.Advance(TimeSpan.FromHours(2));
        await world.Sweeper().SweepAsync(default);
        Assert.True(world.PlanetScale.HasToken("acme", old));
        var again = await world.RotateAsync(old, cancel: true);
        Assert.Contains("nothing to cancel", Assert.IsType<ErrorResult>(Assert.Single(again.Results)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_delete_is_retried_later_and_audited()
    {
        var old = SeedOld();
        await world.RotateAsync(old, TimeSpan.Zero);
        world.PlanetScale.FailNext(nameof(IPlanetScaleService.DeleteTokenAsync), new PlanetScaleApiException(PlanetScaleErrorKind.ServerError, "PlanetScale answered 500"));
        var next = await world.Sweeper().SweepAsync(default);

        Assert.True(world.PlanetScale.HasToken("acme", old));
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromMinutes(1), next);
        var failed = Assert.Single(await world.Audit.RecentAsync(10, default));
        Assert.Equal(RotationTransitions.DeleteFailed, failed.Decision);
        Assert.StartsWith("error: PlanetScale answered 500", failed.Outcome, StringComparison.Ordinal);

        world.Time.Advance(TimeSpan.FromMinutes(1));
        await world.Sweeper().SweepAsync(default);
        Assert.False(world.PlanetScale.HasToken("acme", old));
    }

    [Fact]
    public async Task An_old_token_already_deleted_by_hand_counts_as_deleted()
    {
        var old = SeedOld();
        await world.RotateAsync(old, TimeSpan.Zero);
        await world.PlanetScale.DeleteTokenAsync("acme", old, default);

        Assert.Null(await world.Sweeper().SweepAsync(default));
        Assert.Empty(await world.Store.ListOpenAsync(default));
    }

    [Fact]
    public async Task A_rotator_whose_role_cannot_grant_every_permission_is_refused_before_anything_is_created()
    {
        var old = SeedOld();
        var before = (await world.PlanetScale.ListTokensAsync("acme", default)).Count;

        var outcome = await world.RotateAsync(old, who: Pat);

        var error = Assert.IsType<ErrorResult>(Assert.Single(outcome.Results));
        Assert.Equal(ErrorCategory.Denied, error.Category);
        Assert.Contains("Not allowed to rotate", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await world.PlanetScale.ListTokensAsync("acme", default)).Count);
        Assert.Empty(await world.Store.ListOpenAsync(default));
    }

    [Fact]
    public async Task A_token_with_active_time_bound_grants_is_not_rotated()
    {
        var old = SeedOld();
        var now = world.Time.GetUtcNow();
        await world.AccessStore.InsertGrantAsync(new AccessGrant(
            "g-7kq2", new AccessTarget("acme", old, "prod", ["connect_branch"]), ["connect_branch"],
            new AccessRequester(Alice.UserId, "alice", Alice.Platform, "shell"), null, null, null, [], false, now, now.AddHours(1)), default);

        var outcome = await world.RotateAsync(old);

        Assert.Contains("time-bound grants (g-7kq2)", Assert.IsType<ErrorResult>(Assert.Single(outcome.Results)).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(IPlanetScaleService.CreateTokenAsync), world.PlanetScale.Calls);
    }

    [Fact]
    public async Task A_second_rotation_of_the_same_old_token_is_refused_while_its_deletion_is_pending()
    {
        var old = SeedOld();
        await world.RotateAsync(old);
        var outcome = await world.RotateAsync(old);
        Assert.Contains("already rotated", Assert.IsType<ErrorResult>(Assert.Single(outcome.Results)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_changes_nothing()
    {
        var old = SeedOld();
        var outcome = await world.RotateAsync(old, dryRun: true);
        Assert.StartsWith("Dry run: would create a token named ci-deploy with a TTL of 2592000 s", Assert.IsType<MessageResult>(Assert.Single(outcome.Results)).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(IPlanetScaleService.CreateTokenAsync), world.PlanetScale.Calls);
        Assert.Empty(await world.Store.ListOpenAsync(default));
    }

    [Fact]
    public async Task A_failed_create_says_nothing_was_copied_and_how_to_check()
    {
        var old = SeedOld();
        world.PlanetScale.FailNext(nameof(IPlanetScaleService.CreateTokenAsync), new PlanetScaleApiException(PlanetScaleErrorKind.Timeout, "PlanetScale did not answer in time"));
        var outcome = await world.RotateAsync(old);
        var error = Assert.IsType<ErrorResult>(Assert.Single(outcome.Results));
        Assert.Contains("No grant was copied and the old token is unchanged", error.Message, StringComparison.Ordinal);
        Assert.Contains("look for a token named ci-deploy with `service-token list`", error.Hint, StringComparison.Ordinal);
        Assert.Empty(await world.Store.ListOpenAsync(default));
    }
}
