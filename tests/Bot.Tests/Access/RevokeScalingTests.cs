using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>
/// The load harness found a storm of revocations quadratic: ending each grant listed every active grant to find
/// its heirs. Ending a grant now reads only its own token's active grants, and the hand-over stays the same.
/// </summary>
public sealed class RevokeScalingTests
{
    [Fact]
    public async Task Revoking_a_grant_reads_its_tokens_grants_not_every_active_grant_and_still_hands_over()
    {
        var store = new InterleavingStore(new InMemoryAccessStore());
        var world = new AccessWorld(store);
        var ending = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), "read_comment")).Grant!;
        var heir = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(2), "read_comment", "create_comment")).Grant!;
        var listingsBefore = store.FullListings;

        var outcome = await world.Grants.RevokeAsync(ending.Id, AccessWorld.Carol, AccessWorld.OnCallChannel, default);

        Assert.True(outcome.Succeeded, outcome.Result.ToString());
        Assert.Equal(listingsBefore, store.FullListings);
        Assert.True(world.Holds("read_comment"), "the heir still needs read_comment, so it must stay");
        Assert.Contains("read_comment", (await store.GetGrantAsync(heir.Id, default))!.AddedPermissions);
    }
}
