using Microsoft.Extensions.Logging.Abstractions;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.Audit;

namespace PscaleBot.AuditCrashWriter;

/// <summary>
/// Usage: <c>PscaleBot.AuditCrashWriter &lt;audit.db&gt; [writers]</c>. Prints "ready", then
/// "ok &lt;command&gt; &lt;transactions so far&gt;" after each append that returned, until it is killed.
/// </summary>
internal static class Writer
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("Give the audit file to write to, for example: PscaleBot.AuditCrashWriter /tmp/audit.db 32");
            return 2;
        }

        var writers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 32;
        var store = new SqliteAuditLog(args[0], TimeProvider.System, NullLogger<SqliteAuditLog>.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var audit = new GroupCommitAuditLog(store);
        Console.Out.WriteLine("ready");
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                var command = $"w{writer}-{i}";
                await audit.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, "shell", "shell", "shell:user:crash", command, "allowed", null, "started", []), CancellationToken.None);
                Console.Out.WriteLine($"ok {command} {audit.Batches}");
            }
        })));
        return 0;
    }
}
