using PscaleBot.Bot.PlanetScale;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Bot.Tests.PlanetScale;

/// <summary>How much of a window each kind of call may fill on every replica (<see cref="SharedBudgetRule"/>).</summary>
public sealed class SharedBudgetRuleTests
{
    private static readonly SharedBudgetRule Rule = SharedBudgetRule.For(600, new SharedBudgetOptions { ReadSharePercent = 70, ChangeSharePercent = 90 }, userSharePercent: 5);

    [Fact]
    public void Shares_are_the_percentages_of_the_limit_rounded_down() =>
        Assert.Equal(new SharedBudgetRule(600, 420, 540, 30), Rule);

    [Theory]
    [InlineData(PlanetScaleCallPriority.Revocation, 0, false, 600)]
    [InlineData(PlanetScaleCallPriority.Revocation, 0, true, 570)]
    [InlineData(PlanetScaleCallPriority.Revocation, 12, true, 582)]
    [InlineData(PlanetScaleCallPriority.Revocation, 30, true, 600)]
    [InlineData(PlanetScaleCallPriority.Read, 29, false, 600)]
    [InlineData(PlanetScaleCallPriority.Read, 30, false, 420)]
    [InlineData(PlanetScaleCallPriority.Change, 30, true, 540)]
    [InlineData(PlanetScaleCallPriority.Change, 0, false, 600)]
    public void The_cap_keeps_revocations_first_and_owes_users_their_share(PlanetScaleCallPriority priority, int users, bool usersWaiting, int cap) =>
        Assert.Equal(cap, Rule.Cap(priority, users, usersWaiting));

    [Fact]
    public void A_tiny_limit_still_lets_reads_through_and_owes_users_nothing()
    {
        var rule = SharedBudgetRule.For(1, new SharedBudgetOptions(), userSharePercent: 5);
        Assert.Equal(1, rule.Cap(PlanetScaleCallPriority.Read, 0, usersWaiting: true));
        Assert.Equal(1, rule.Cap(PlanetScaleCallPriority.Revocation, 0, usersWaiting: true));
    }
}
