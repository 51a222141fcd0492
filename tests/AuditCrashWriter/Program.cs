using Microsoft.Extensions.Logging.Abstractions;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.Audit;

namespace PscaleBot.AuditCrashWriter;

/// <summary>
/// Usage: <c>PscaleBot.AuditCrashWriter &lt;audit.db&gt; &lt;confirmations file&gt; [writers]</c>. Prints "ready",
/// then appends "ok &lt;command&gt; &lt;transactions so far&gt; ." to the confirmations file after each append that
/// returned, until it is killed. A file, not stdout: a pipe the test reads slowly would stall the writers.
/// </summary>
internal static class Writer
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("Give the audit file and the confirmations file, for example: PscaleBot.AuditCrashWriter /tmp/audit.db /tmp/ok.txt 32");
            return 2;
        }

        var writers = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 32;
        await using var file = new StreamWriter(new FileStream(args[1], FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var confirmations = TextWriter.Synchronized(file);
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
                confirmations.WriteLine($"ok {command} {audit.Batches} .");
            }
        })));
        return 0;
    }
}
