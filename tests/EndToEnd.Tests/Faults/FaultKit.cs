using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PscaleBot.Commands.Audit;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.EndToEnd.Tests.Slack;
using PscaleBot.EndToEnd.Tests.Support;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>What every fault test checks: the user's sentence, the audit, the log (once) and readiness.</summary>
public static class FaultKit
{
    /// <summary>How many requests a burst sends: enough that "logged per request" cannot pass for "logged once".</summary>
    public const int Burst = 20;

    /// <summary>A loopback URL on which nothing listens: connecting is refused at once.</summary>
    public static Uri RefusingUrl(string path = "/")
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}{path}");
    }

    /// <summary>Records at Warning or above logged since <paramref name="mark"/> (an index into the snapshot).</summary>
    public static IReadOnlyList<FakeLogRecord> ProblemsSince(this BotUnderTest bot, int mark) =>
        [.. bot.Logs.GetSnapshot().Skip(mark).Where(r => r.Level >= LogLevel.Warning)];

    /// <summary>The number of log records so far: a mark for <see cref="ProblemsSince"/>.</summary>
    public static int LogMark(this BotUnderTest bot) => bot.Logs.GetSnapshot().Count;

    /// <summary>Asserts that each distinct problem was logged at most once in the burst (same category and template).</summary>
    public static void AssertLoggedOnce(this BotUnderTest bot, int mark, Func<FakeLogRecord, bool>? about = null)
    {
        var problems = bot.ProblemsSince(mark).Where(about ?? (_ => true)).ToList();
        var repeated = problems
            .GroupBy(r => $"{r.Category} {r.Id.Id} {Template(r)}")
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Count()}× [{g.First().Level}] {g.First().Category}: {g.First().Message}")
            .ToList();
        Assert.True(repeated.Count == 0, "Logged once per request instead of once:\n" + string.Join("\n", repeated));
    }

    /// <summary>Asserts that at least one record at Warning or above names the problem: never silent.</summary>
    public static FakeLogRecord AssertLogged(this BotUnderTest bot, int mark, Func<FakeLogRecord, bool> about, string what)
    {
        var found = bot.ProblemsSince(mark).FirstOrDefault(about);
        Assert.True(found is not null, $"Nothing at Warning or above says {what}. Logged:\n" + string.Join("\n", bot.ProblemsSince(mark).Select(r => $"[{r.Level}] {r.Category}: {r.Message}")));
        return found!;
    }

    /// <summary>The text a person reads, checked to be a sentence and not a stack trace or an exception's type.</summary>
    public static string AssertReadable(string text)
    {
        Assert.False(string.IsNullOrWhiteSpace(text), "the user was told nothing");
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pscale_tkn_", text, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Everything a Slack message says (fallback text and blocks).</summary>
    public static string TextOf(JsonObject message) => message.ToJsonString();

    /// <summary>The newest audit rows, newest first.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> AuditAsync(this BotUnderTest bot, int count = 200)
    {
        using var scope = bot.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecentAsync(count, CancellationToken.None);
    }

    /// <summary>Sends a burst of <c>service-token list</c> from Bob in #ops, each acknowledged with 200; returns their response ids.</summary>
    public static async Task<string[]> ListBurstAsync(this SlackBot bot)
    {
        var ids = new string[Burst];
        await BurstAsync(Burst, async i =>
        {
            ids[i] = bot.NewResponseId();
            var ack = await bot.CommandAsync(SlackPeople.Bob, SlackPeople.Ops, "service-token list", ids[i]);
            Assert.Equal(HttpStatusCode.OK, ack.Status);
        });
        return ids;
    }

    /// <summary>Waits for an audit row per command of a <see cref="Burst"/> of lists and returns the list rows.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(this BotUnderTest bot)
    {
        await Eventually.TrueAsync(() => bot.AuditAsync().GetAwaiter().GetResult().Count(IsList) >= Burst, "an audit row per command");
        return [.. (await bot.AuditAsync()).Where(IsList)];
    }

    /// <summary>/readyz: the status line and the reasons.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(this BotUnderTest bot)
    {
        using var client = bot.CreateClient();
        using var response = await client.GetAsync("/readyz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Runs <paramref name="send"/> <paramref name="count"/> times, at most <paramref name="parallel"/> at once.</summary>
    public static async Task BurstAsync(int count, Func<int, Task> send, int parallel = 5) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) => await send(i));

    private static bool IsList(AuditEntry entry) => entry.Command.Contains("list", StringComparison.Ordinal);

    private static string Template(FakeLogRecord record) =>
        record.StructuredState?.FirstOrDefault(kv => kv.Key == "{OriginalFormat}").Value ?? record.Message;
}

/// <summary>Makes a file or folder immutable (chattr +i): even root cannot write it, as on a read-only disk.</summary>
public sealed class ReadOnlyDisk : IDisposable
{
    private readonly string path;

    private ReadOnlyDisk(string path) => this.path = path;

    /// <summary>Makes <paramref name="path"/> read-only until disposed.</summary>
    public static ReadOnlyDisk Make(string path)
    {
        Chattr("+i", path);
        return new ReadOnlyDisk(path);
    }

    /// <summary>Makes <paramref name="folder"/> and every file in it read-only until disposed, as a read-only disk would.</summary>
    public static IDisposable MakeFolder(string folder) =>
        new All([.. Directory.GetFiles(folder).Select(Make), Make(folder)]);

    public void Dispose() => Chattr("-i", path);

    private sealed class All(IReadOnlyList<ReadOnlyDisk> disks) : IDisposable
    {
        public void Dispose()
        {
            foreach (var disk in disks)
            {
                disk.Dispose();
            }
        }
    }

    private static void Chattr(string flag, string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [flag, path])
        {
            RedirectStandardError = true,
        })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chattr {flag} {path} failed: {process.StandardError.ReadToEnd()}");
    }
}
