using Microsoft.Data.Sqlite;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>
/// The access store's writability probe (what makes <c>/readyz</c> unhealthy when the sweep cannot record revocations)
/// must fail on a disk that turned read-only while the bot runs, even on a pooled connection opened before, which keeps
/// its file handles and can still take the write lock.
/// </summary>
public sealed class StoreProbeTests
{
    [Fact]
    public async Task The_probe_fails_on_a_store_that_turned_read_only_under_a_connection_opened_before()
    {
        var folder = Directory.CreateTempSubdirectory("pscale-probe-").FullName;
        using var store = new SqliteAccessStore(Path.Combine(folder, "access.db"));
        await store.ProbeWritableAsync(CancellationToken.None); // creates and migrates the file: it works now
        Assert.Empty(await store.ListActiveGrantsAsync(CancellationToken.None));

        try
        {
            // The pool is not cleared: the probe reuses the connection (and file handles) from before the disk turned.
            using (ReadOnlyDisk.MakeFolder(folder))
            {
                // The old handle's write fails as on a read-only remount (an I/O error); a fresh one would say read-only.
                var failure = await Assert.ThrowsAsync<SqliteException>(() => store.ProbeWritableAsync(CancellationToken.None));
                Assert.Contains(failure.SqliteErrorCode, new[] { 8, 10 });
                Assert.Contains(StoreFailure.Reason(failure), new[] { "the file or its folder is read-only, and the bot must write to it", "reading or writing the file failed (a disk error)" });
            }

            await store.ProbeWritableAsync(CancellationToken.None); // and it works again once the disk does
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
