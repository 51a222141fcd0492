using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>
/// Random interleavings of overlapping grants, expiries and revokes: after every step the token holds a
/// permission exactly when it is permanent or some active grant needs it.
/// </summary>
public sealed class GrantOwnershipPropertyTests
{
    private static readonly string[] Universe = ["connect_production_branch", "read_deploy_request", "read_branch", "create_comment"];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task The_token_holds_exactly_the_permanent_permissions_plus_what_active_grants_need(int seed)
    {
        var random = new Random(seed);
        var world = new AccessWorld(new InMemoryAccessStore());
        var permanent = new HashSet<string> { "read_branch" }; // AccessWorld's token starts with it
        if (random.Next(2) == 0)
        {
            world.Api.SetByHand(AccessWorld.Token, "prod", "create_comment", held: true);
            permanent.Add("create_comment");
        }

        for (var step = 0; step < 25; step++)
        {
            var active = await world.Store.ListActiveGrantsAsync(default);
            switch (random.Next(4))
            {
                case 0 or 1:
                    var wanted = Universe.Where(_ => random.Next(2) == 0).DefaultIfEmpty(Universe[random.Next(Universe.Length)]).ToArray();
                    var outcome = await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromMinutes(random.Next(5, 120)), wanted);
                    Assert.True(outcome.Succeeded, outcome.Result.ToString());
                    break;
                case 2:
                    world.Time.Advance(TimeSpan.FromMinutes(random.Next(1, 60)));
                    await world.SweepAsync();
                    break;
                default:
                    if (active.Count > 0)
                    {
                        var victim = active[random.Next(active.Count)];
                        Assert.True((await world.Grants.RevokeAsync(victim.Id, AccessWorld.Carol, AccessWorld.OnCallChannel, default)).Succeeded);
                    }

                    break;
            }

            var needed = (await world.Store.ListActiveGrantsAsync(default)).SelectMany(g => g.Target.Permissions).ToHashSet();
            foreach (var permission in Universe)
            {
                var expected = permanent.Contains(permission) || needed.Contains(permission);
                Assert.True(expected == world.Holds(permission), $"seed {seed} step {step}: {permission} held={world.Holds(permission)} expected={expected}");
            }
        }

        world.Time.Advance(TimeSpan.FromDays(1));
        await world.SweepAsync();
        Assert.Empty(await world.Store.ListActiveGrantsAsync(default));
        Assert.All(Universe, p => Assert.Equal(permanent.Contains(p), world.Holds(p)));
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
        {
            data.Add(seed);
        }

        return data;
    }
}
