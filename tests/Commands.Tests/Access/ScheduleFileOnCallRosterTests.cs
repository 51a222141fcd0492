using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Tests.Access;

public sealed class ScheduleFileOnCallRosterTests : IDisposable
{
    private static readonly ChatIdentity Alice = new(ChatPlatform.Slack, "slack:user:UALICE", ["slack:usergroup:SONCALL"], "Alice");
    private static readonly ChatIdentity Bob = new(ChatPlatform.Slack, "slack:user:UBOB", [], "Bob");
    private readonly string path = Path.Combine(Path.GetTempPath(), $"oncall-{Guid.NewGuid():N}.yaml");

    public void Dispose() => File.Delete(path);

    [Fact]
    public async Task A_yaml_list_of_shifts_matches_users_and_groups_within_their_times()
    {
        await File.WriteAllTextAsync(path, """
            - who: slack:user:UBOB
              from: 2026-11-28T00:00:00Z
              until: 2026-11-28T08:00:00Z
            - who: slack:usergroup:SONCALL
              from: 2026-11-28T08:00:00+00:00
              until: 2026-11-28T16:00:00Z
            """);
        var roster = new ScheduleFileOnCallRoster(path);
        var threeAm = new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal("slack:user:UBOB", (await roster.FindShiftAsync(Bob, threeAm, default))!.Who);
        Assert.Null(await roster.FindShiftAsync(Alice, threeAm, default));
        Assert.NotNull(await roster.FindShiftAsync(Alice, threeAm.AddHours(5), default)); // 08:00, start inclusive
        Assert.Null(await roster.FindShiftAsync(Bob, threeAm.AddHours(5), default)); // 08:00, end exclusive
    }

    [Fact]
    public async Task A_json_map_with_shifts_is_read_too_and_a_rewrite_is_picked_up()
    {
        await File.WriteAllTextAsync(path, """{"shifts":[{"who":"slack:user:UBOB","from":"2026-11-28T00:00:00Z","until":"2026-11-29T00:00:00Z"}]}""");
        var roster = new ScheduleFileOnCallRoster(path);
        var at = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        Assert.NotNull(await roster.FindShiftAsync(Bob, at, default));

        await File.WriteAllTextAsync(path, """{"shifts":[{"who":"slack:user:UALICE","from":"2026-11-28T00:00:00Z","until":"2026-11-29T00:00:00Z"}]}""");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.Null(await roster.FindShiftAsync(Bob, at, default));
        Assert.NotNull(await roster.FindShiftAsync(Alice, at, default));
    }

    [Theory]
    [InlineData("- who: slack:user:U1\n  from: 2026-11-28T00:00:00Z\n", "no 'until'")]
    [InlineData("- who: slack:user:U1\n  from: yesterday\n  until: 2026-11-28T00:00:00Z\n", "'from' is not a time")]
    [InlineData("- who: slack:user:U1\n  from: 2026-11-28T09:00:00Z\n  until: 2026-11-28T08:00:00Z\n", "must be after")]
    [InlineData("who: nobody\n", "list of {who, from, until}")]
    [InlineData("- [unclosed\n", "not valid YAML/JSON")]
    public void Broken_schedules_are_rejected_with_the_line_and_what_to_write(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ScheduleFileOnCallRoster.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("ine", error.Message, StringComparison.Ordinal);
    }
}
