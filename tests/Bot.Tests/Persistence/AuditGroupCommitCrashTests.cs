using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PscaleBot.Bot.Persistence;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary>
/// The process is killed while the group commit is writing: every append that returned is in the file after the
/// restart (appends that had not returned may or may not be).
/// </summary>
public sealed class AuditGroupCommitCrashTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("audit-crash-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task No_row_that_was_confirmed_is_lost_when_the_process_is_killed_mid_batch()
    {
        var path = Path.Combine(folder, "audit.db");
        var confirmations = Path.Combine(folder, "confirmed.txt");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PscaleBot.AuditCrashWriter.dll"));
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(confirmations);
        start.ArgumentList.Add("32");

        using (var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the writer"))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var errors = child.StandardError.ReadToEndAsync(deadline.Token);
            try
            {
                Assert.Equal("ready", await child.StandardOutput.ReadLineAsync(deadline.Token));

                // Let it write flat out for a while (about 4,000 confirmations), then kill it wherever it is.
                while (!child.HasExited && (!File.Exists(confirmations) || new FileInfo(confirmations).Length < 80_000))
                {
                    await Task.Delay(20, deadline.Token);
                }
            }
            finally
            {
                // SIGKILL: no finally blocks, no disposal, no flush in the child; whatever transaction is open stays open.
                child.Kill(entireProcessTree: true);
            }

            await child.WaitForExitAsync(deadline.Token);
            Assert.True(new FileInfo(confirmations).Length >= 80_000, "the writer stopped early: " + await errors);
        }

        // Every complete line was written after its append returned (the last line may be cut off by the kill).
        var confirmed = new List<string>();
        long transactions = 0;
        foreach (var line in await File.ReadAllLinesAsync(confirmations))
        {
            if (line.Split(' ') is ["ok", var command, var batches, "."])
            {
                confirmed.Add(command);
                transactions = Math.Max(transactions, long.Parse(batches, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // Batching really happened: fewer transactions than confirmed rows.
        Assert.InRange(transactions, 1, confirmed.Count - 1);

        using var reopened = new SqliteAuditLog(path, TimeProvider.System, NullLogger<SqliteAuditLog>.Instance);
        var stored = (await reopened.RecentAsync(1_000_000, CancellationToken.None)).Select(e => e.Command).ToHashSet(StringComparer.Ordinal);
        var lost = confirmed.Where(c => !stored.Contains(c)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} confirmed row(s) missing after the kill, e.g. {string.Join(", ", lost.Take(5))}");
    }
}
