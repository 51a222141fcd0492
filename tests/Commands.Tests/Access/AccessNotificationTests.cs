using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Tests.Access;

public sealed class AccessNotificationTests
{
    private static readonly AccessAudience Channel = AccessAudience.Channel(ChatPlatform.Slack, "slack:channel:CAPPROVE");

    [Fact]
    public async Task A_failing_notifier_does_not_stop_the_others()
    {
        var delivered = new List<AccessNotification>();
        var dispatcher = new AccessNotificationDispatcher(
            [new Throwing(), new Collecting(delivered)],
            NullLogger<AccessNotificationDispatcher>.Instance);
        var alert = new AccessAlert(Channel, "BREAK-GLASS", AccessAlertKind.BreakGlass, ["slack:user:UBOB"], "g-2222");
        await dispatcher.SendAsync(alert, default);
        Assert.Equal([alert], delivered);
    }

    [Fact]
    public async Task The_headless_notifier_logs_alerts_as_warnings_and_records_every_notice_in_the_audit()
    {
        var audit = new Audit();
        var logs = new FakeLogger<LoggingAccessNotifier>();
        var notifier = new LoggingAccessNotifier(audit, new FakeTimeProvider(AccessStoreTests.T0), logs);
        await notifier.NotifyAsync(new AccessAlert(Channel, "Revoking g-2222 has failed 3 times", AccessAlertKind.RevokeFailing, [], "g-2222"), default);
        await notifier.NotifyAsync(new AccessRequesterNotice(AccessAudience.Person(ChatPlatform.Teams, "teams:user:1"), "Your grant ended", null, "g-2222"), default);

        Assert.Equal(LogLevel.Warning, logs.Collector.GetSnapshot()[0].Level);
        Assert.Equal(LogLevel.Information, logs.Collector.GetSnapshot()[1].Level);
        Assert.Equal(["notice:alert-revokefailing", "notice:requester"], audit.Entries.Select(e => e.Decision));
        Assert.Equal(["slack:channel:CAPPROVE", "teams:user:1"], audit.Entries.Select(e => e.Place));
        Assert.Equal("teams", audit.Entries[1].Platform);
    }

    [Theory]
    [InlineData("deploy broke, token pscale_tkn_AbC123xyz pasted", "deploy broke, token pscale_tkn_[REDACTED] pasted")]
    [InlineData("  INC-42  ", "INC-42")]
    [InlineData("   ", null)]
    public void Reasons_never_carry_a_secret(string reason, string? expected) =>
        Assert.Equal(expected, AccessText.SafeReason(reason));

    [Fact]
    public async Task The_wake_signal_ends_a_long_wait_at_once_and_the_clock_ends_a_short_one()
    {
        var time = new FakeTimeProvider(AccessStoreTests.T0);
        var wake = new AccessWakeSignal();
        var waiting = wake.WaitAsync(TimeSpan.FromHours(1), time, default);
        Assert.False(waiting.IsCompleted);
        wake.Signal();
        wake.Signal();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        var timed = wake.WaitAsync(TimeSpan.FromMinutes(5), time, default);
        Assert.False(timed.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(5));
        await timed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class Throwing : IAccessNotifier
    {
        public Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken) =>
            throw new HttpRequestException("slack is down");
    }

    private sealed class Collecting(List<AccessNotification> delivered) : IAccessNotifier
    {
        public Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken)
        {
            delivered.Add(notification);
            return Task.CompletedTask;
        }
    }

    private sealed class Audit : IAuditLog
    {
        public List<AuditEntry> Entries { get; } = [];

        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            Entries.Add(entry);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AuditEntry>>(Entries);
    }
}
