using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.EndToEnd.Tests.Slack;
using static PscaleBot.EndToEnd.Tests.Faults.FaultKit;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>How a SQLite store can go bad while the bot runs (at start-up: tests/Bot.Tests/Hosting/StoreStartupProblemTests).</summary>
public enum StoreFault
{
    ReadOnly,
    Corrupt,
}

/// <summary>
/// The audit store or the access store goes bad while the bot runs. A change is refused before it reaches PlanetScale
/// when it cannot be audited; a broken access store makes <c>/readyz</c> unhealthy with the reason; each is logged once.
/// </summary>
public sealed class StoreFaultTests
{
    [Theory]
    [InlineData(StoreFault.ReadOnly)]
    [InlineData(StoreFault.Corrupt)]
    public async Task An_unusable_audit_store_refuses_changes_before_PlanetScale_and_is_logged_once(StoreFault fault)
    {
        var folder = Directory.CreateTempSubdirectory("pscale-audit-fault-").FullName;
        await using var bot = await SlackBot.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Slack:AllowedTeamIds:0"] = Team,
            ["Audit:Path"] = Path.Combine(folder, "audit.db"),
        });
        var tokensBefore = await bot.SandboxApi.TokenIdsAsync();
        using var disk = Break(folder, "audit.db", fault);
        var mark = bot.Bot.LogMark();

        var ids = new string[Burst];
        await BurstAsync(Burst, async i =>
        {
            ids[i] = bot.NewResponseId();
            await bot.CommandAsync(Alice, Ops, i % 2 == 0 ? $"service-token create --name fault{i}" : "service-token list", ids[i]);
        });

        for (var i = 0; i < Burst; i++)
        {
            var answer = AssertReadable(TextOf((await bot.WaitForPostsAsync(ids[i]))[0]));
            if (i % 2 == 0)
            {
                Assert.Contains("audit", answer, StringComparison.OrdinalIgnoreCase);
            }

            else
            {
                Assert.Contains("service tokens in acme", answer, StringComparison.Ordinal); // reads still answer
            }
        }

        Assert.Equal(tokensBefore, await bot.SandboxApi.TokenIdsAsync()); // no change reached PlanetScale
        bot.Bot.AssertLogged(mark, r => r.Message.Contains("audit", StringComparison.OrdinalIgnoreCase), "that the audit store fails");
        bot.Bot.AssertLoggedOnce(mark);
        var (status, body) = await bot.Bot.ReadinessAsync();
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("audit-store: The audit log (Audit:Path) cannot be written since", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StoreFault.ReadOnly)]
    [InlineData(StoreFault.Corrupt)]
    public async Task An_unusable_access_store_makes_the_bot_unready_with_the_reason_and_is_logged_once(StoreFault fault)
    {
        var folder = Directory.CreateTempSubdirectory("pscale-access-fault-").FullName;
        await using var bot = await SlackBot.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Slack:AllowedTeamIds:0"] = Team,
            ["AccessRequests:StorePath"] = Path.Combine(folder, "access.db"),
            ["AccessRequests:MaxIdleWait"] = "00:00:00.2",
            ["AccessRequests:ReconcileInterval"] = "00:00:00.2",
        });
        Assert.StartsWith("Healthy", (await bot.Bot.ReadinessAsync()).Body, StringComparison.Ordinal);
        var mark = bot.Bot.LogMark();
        using var disk = Break(folder, "access.db", fault);

        var id = bot.NewResponseId();
        var ack = await bot.CommandAsync(Alice, OnCall, "access list", id);
        // The delivery ledger lives in the same file: when it cannot record the delivery, nothing runs and the
        // acknowledgement says so; when a pooled connection still records it, the access store's failure is answered.
        if (ack.Body.Contains("temporarily unavailable", StringComparison.Ordinal))
        {
            Assert.Contains("nothing was changed", AssertReadable(ack.Body), StringComparison.Ordinal);
        }
        else
        {
            var answer = AssertReadable(TextOf((await bot.WaitForPostsAsync(id))[0]));
            Assert.Contains("The bot's own database failed while handling the access request (SqliteException", answer.Replace("\\u0027", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        var body = "";
        await Eventually.TrueAsync(() =>
        {
            // Connections opened before the disk turned read-only keep writable handles; a real remount breaks those too.
            SqliteConnection.ClearAllPools();
            return (body = bot.Bot.ReadinessAsync().GetAwaiter().GetResult().Body).StartsWith("Unhealthy", StringComparison.Ordinal);
        }, "/readyz unhealthy", diagnose: () => $"/readyz said: {body}\n" + string.Join("\n", bot.Bot.Logs.GetSnapshot()
            .Where(r => r.Level >= LogLevel.Information || r.Category?.Contains("Access", StringComparison.Ordinal) == true)
            .TakeLast(40).Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Level} {r.Category}: {r.Message}")));
        Assert.Contains("AccessRequests:StorePath", body, StringComparison.Ordinal);
        // Let the sweep and the reconcile fail many times over (every 0.2 s), then count.
        await Task.Delay(TimeSpan.FromSeconds(2));
        bot.Bot.AssertLogged(mark, r => r.Message.Contains("AccessRequests:StorePath", StringComparison.Ordinal), "that the access store fails");
        bot.Bot.AssertLoggedOnce(mark);
    }

    /// <summary>Breaks the store in <paramref name="folder"/>; the returned handle undoes a read-only disk.</summary>
    private static IDisposable Break(string folder, string file, StoreFault fault)
    {
        if (fault == StoreFault.Corrupt)
        {
            SqliteConnection.ClearAllPools();
            foreach (var extra in new[] { "-wal", "-shm" })
            {
                File.Delete(Path.Combine(folder, file + extra));
            }

            var bytes = new byte[16384];
            new Random(7).NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(folder, file), bytes);
            return new NoUndo();
        }

        SqliteConnection.ClearAllPools();
        var undo = ReadOnlyDisk.MakeFolder(folder);
        SqliteConnection.ClearAllPools();
        return undo;
    }

    private sealed class NoUndo : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
