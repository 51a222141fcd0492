using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using static PscaleBot.EndToEnd.Tests.Access.AccessScenario;

namespace PscaleBot.EndToEnd.Tests.Access;

/// <summary>
/// Issue 9, finding 9, end to end: the bot dies in the middle of a revoke (its claim is on the grant, the DELETE never
/// came back), and the next bot on the same store and host takes the dead run's claim over at once instead of waiting
/// for the two-minute lease; the sandbox loses the permission and the audit says when it really went.
/// </summary>
public sealed class AccessKilledMidRevokeEndToEndTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("pscale-bot-access-kill-").FullName;

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
    public async Task A_bot_killed_mid_revoke_is_replaced_by_one_that_revokes_at_once_and_audits_when_the_permission_went()
    {
        var time = NewClock();
        var hang = new RevokeHang();
        string grantId;
        DateTimeOffset due;
        await using (var dying = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true,
            services => services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new HangingDeletes(hang)))))
        {
            await dying.RunAsync(Ada, $"access approve {await dying.RequestAsync(Oliver, "connect_production_branch", "1h")}");
            var grant = await dying.ActiveGrantOfAsync(Oliver);
            grantId = grant.Id;
            due = grant.EndsAt;
            Assert.Contains("connect_production_branch", await dying.HeldOnAsync());

            // The grant falls due; the bot's sweep claims it and sends the DELETE, which never comes back.
            hang.Armed = true;
            time.Advance(TimeSpan.FromHours(1));
            await dying.EventuallyAsync(() => Task.FromResult(hang.Caught), "the sweep starts the revoke", nudgeLimit: TimeSpan.FromMinutes(1));
            var claimed = (await dying.Store.GetGrantAsync(grantId, default))!;
            Assert.NotNull(claimed.Claim);
            Assert.Equal(AccessGrantState.Active, claimed.State);

            // The process goes away here (disposed while the DELETE hangs): nothing releases the claim.
        }

        // Back 20 s later, far inside the dead run's claim; the clock is not moved while waiting.
        time.Advance(TimeSpan.FromSeconds(20));
        await using var next = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true);
        var left = (await next.Store.GetGrantAsync(grantId, default))!;
        // A disposed host stops gracefully and may hand its claim back; a dead process leaves it until the lease ends.
        // Either way the next bot must revoke at once, not after the lease.
        if (left.Claim is not null)
        {
            Assert.True(left.Claim.Until > time.GetUtcNow(), "the dead run's lease has not lapsed");
        }
        var revokedAt = time.GetUtcNow();

        var audit = next.Bot.Services.GetRequiredService<IAuditLog>();
        await next.EventuallyAsync(
            async () => (await audit.RecentAsync(100, CancellationToken.None)).Any(r => r.Decision == AccessTransitions.Expired),
            "the new bot takes the dead run's claim over, revokes and audits it", nudgeLimit: TimeSpan.Zero);

        Assert.DoesNotContain("connect_production_branch", await next.HeldOnAsync());
        Assert.Superset(PermanentOnProd.ToHashSet(), (await next.HeldOnAsync()).ToHashSet());
        var ended = (await next.Store.GetGrantAsync(grantId, default))!;
        Assert.Equal(revokedAt, ended.EndedAt);
        Assert.Null(ended.Claim);
        var rows = await audit.RecentAsync(100, CancellationToken.None);
        var expired = Assert.Single(rows, r => r.Decision == AccessTransitions.Expired && r.Command.Contains(grantId, StringComparison.Ordinal));
        Assert.Equal(revokedAt, expired.Time);
        Assert.Contains($"permission removed {AccessText.Instant(revokedAt)}", expired.Command, StringComparison.Ordinal);
        Assert.Contains($"due {AccessText.Time(due)}", expired.Command, StringComparison.Ordinal);
    }

    private sealed class RevokeHang
    {
        private volatile bool armed;
        private volatile bool caught;

        public bool Armed { get => armed; set => armed = value; }

        public bool Caught { get => caught; set => caught = value; }
    }

    /// <summary>Once armed, a DELETE of token access never answers: the bot is "killed" with it in flight.</summary>
    private sealed class HangingDeletes(RevokeHang hang) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (hang.Armed && request.Method == HttpMethod.Delete && request.RequestUri?.AbsolutePath.EndsWith("/access", StringComparison.Ordinal) == true)
            {
                hang.Caught = true;
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
