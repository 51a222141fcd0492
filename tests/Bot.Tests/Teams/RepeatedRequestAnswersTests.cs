using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Teams.Inbound;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class RepeatedRequestAnswersTests
{
    [Fact]
    public async Task A_repeat_within_retention_gets_the_first_answer_without_running()
    {
        var time = new FakeTimeProvider();
        var answers = new RepeatedRequestAnswers(time);
        var runs = 0;
        Assert.Equal(1, await answers.GetOrRunAsync("teams:invoke|c|1", () => Task.FromResult(++runs)));
        time.Advance(RepeatedRequestAnswers.Retention - TimeSpan.FromSeconds(1));
        Assert.Equal(1, await answers.GetOrRunAsync("teams:invoke|c|1", () => Task.FromResult(++runs)));
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task After_retention_the_request_runs_again()
    {
        var time = new FakeTimeProvider();
        var answers = new RepeatedRequestAnswers(time);
        var runs = 0;
        await answers.GetOrRunAsync("k", () => Task.FromResult(++runs));
        time.Advance(RepeatedRequestAnswers.Retention);
        Assert.Equal(2, await answers.GetOrRunAsync("k", () => Task.FromResult(++runs)));
    }
}
