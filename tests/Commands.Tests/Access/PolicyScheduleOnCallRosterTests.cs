using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Access;

public sealed class PolicyScheduleOnCallRosterTests : IDisposable
{
    private static readonly ChatIdentity Bob = new(ChatPlatform.Slack, "slack:user:UBOB", [], "Bob");
    private static readonly ChatIdentity Alice = new(ChatPlatform.Slack, "slack:user:UALICE", [], "Alice");
    private static readonly DateTimeOffset Noon = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("pscale-roster-").FullName;

    private string PolicyPath => Path.Combine(directory, "policy.yaml");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task The_schedule_named_by_the_policy_file_is_read_relative_to_it()
    {
        WriteSchedule("week1.yaml", Bob);
        WritePolicy("oncall:\n  schedule: week1.yaml\n");
        var roster = new PolicyScheduleOnCallRoster(Store());

        Assert.Equal(Bob.UserId, (await roster.FindShiftAsync(Bob, Noon, default))!.Who);
        Assert.Null(await roster.FindShiftAsync(Alice, Noon, default));
    }

    [Fact]
    public async Task A_reloaded_policy_naming_another_schedule_switches_to_it()
    {
        WriteSchedule("week1.yaml", Bob);
        WriteSchedule("week2.yaml", Alice);
        WritePolicy("oncall:\n  schedule: week1.yaml\n");
        var store = Store();
        var roster = new PolicyScheduleOnCallRoster(store);
        Assert.NotNull(await roster.FindShiftAsync(Bob, Noon, default));

        WritePolicy("oncall:\n  schedule: week2.yaml\n");
        Assert.True((await store.ReloadAsync(default)).IsValid);

        Assert.Null(await roster.FindShiftAsync(Bob, Noon, default));
        Assert.NotNull(await roster.FindShiftAsync(Alice, Noon, default));
    }

    [Fact]
    public async Task Without_an_oncall_section_nobody_is_on_call()
    {
        WritePolicy("");
        Assert.Null(await new PolicyScheduleOnCallRoster(Store()).FindShiftAsync(Bob, Noon, default));
    }

    private PolicyStore Store() => OnCallPolicyFile.Store(PolicyPath);

    private void WritePolicy(string onCall) => OnCallPolicyFile.Write(PolicyPath, onCall);

    private void WriteSchedule(string name, ChatIdentity who) => File.WriteAllText(Path.Combine(directory, name), $"""
        - who: {who.UserId}
          from: 2026-11-28T00:00:00Z
          until: 2026-11-29T00:00:00Z
        """);
}
