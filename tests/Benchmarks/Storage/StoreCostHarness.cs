using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Benchmarks.Storage;

/// <summary>
/// <c>store-cost</c>: what the stores cost one command, SQLite against PostgreSQL on a throwaway loopback cluster.
/// One "command" is what filing an access request asks of the stores: an id check, the request inserted, read back,
/// updated by compare-and-set, and one audit row appended. Run one at a time (the latency a command pays) and with
/// several at once (what the store sustains). Not BenchmarkDotNet: each iteration is real I/O.
/// </summary>
public static class StoreCostHarness
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Runs both engines and prints one line per engine and mode.</summary>
    public static async Task<int> RunAsync(int count, int concurrency, TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("pscale-store-cost-").FullName;
        var cluster = new PostgresCluster { Durable = true };
        try
        {
            await cluster.InitializeAsync();
            await using var dataSource = NpgsqlDataSource.Create(await cluster.CreateDatabaseAsync("storecost"));
            using var sqliteAudit = new SqliteAuditLog(Path.Combine(folder, "audit.db"), TimeProvider.System, NullLogger<SqliteAuditLog>.Instance);
            using var sqliteAccess = new SqliteAccessStore(Path.Combine(folder, "access.db"));
            var engines = new (string Name, IAuditLog Audit, IAccessStore Access)[]
            {
                ("sqlite", sqliteAudit, sqliteAccess),
                ("postgres", new PostgresAuditLog(dataSource, TimeProvider.System), new PostgresAccessStore(dataSource)),
            };

            await output.WriteLineAsync(
                $"store-cost: {count} commands per run (id check + insert + read + compare-and-set update of a request, + 1 audit row); " +
                $"SQLite WAL with its default synchronous=FULL; PostgreSQL {Path.GetFileName(Path.GetDirectoryName(PostgresCluster.FindBin()))} on loopback TCP with its durable defaults (fsync, synchronous_commit on)");
            foreach (var (name, audit, access) in engines)
            {
                await RunCommandsAsync(audit, access, $"warm-{name}", 100, 1);
                foreach (var parallel in new[] { 1, concurrency })
                {
                    var timings = await RunCommandsAsync(audit, access, $"{name}-{parallel}", count, parallel);
                    await output.WriteLineAsync(Describe(name, parallel, timings));
                }
            }

            return 0;
        }
        finally
        {
            await cluster.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(double[] Millis, TimeSpan Wall)> RunCommandsAsync(IAuditLog audit, IAccessStore access, string run, int count, int parallel)
    {
        var millis = new double[count];
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await OneCommandAsync(audit, access, $"r-{run}-{i}");
                millis[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        return (millis, wall.Elapsed);
    }

    private static async Task OneCommandAsync(IAuditLog audit, IAccessStore access, string id)
    {
        if (await access.IdExistsAsync(id, CancellationToken.None))
        {
            throw new InvalidOperationException($"{id} already exists.");
        }

        var request = Request(id);
        await access.InsertRequestAsync(request, CancellationToken.None);
        var stored = await access.GetRequestAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"{id} was not stored.");
        if (!await access.TryUpdateRequestAsync(stored with { Reason = "benchmark, updated" }, stored.Version, CancellationToken.None))
        {
            throw new InvalidOperationException($"{id} lost its compare-and-set with nobody else writing.");
        }

        await audit.AppendAsync(new AuditEntry(Start, "shell", "shell:direct", "shell:user:bench", $"access request {id}", "requested", null, "ok", []), CancellationToken.None);
    }

    private static AccessRequest Request(string id) => new(
        id,
        AccessRequestKind.Grant,
        new AccessTarget("acme", "tok1", "prod", ["connect_production_branch"]),
        TimeSpan.FromHours(1),
        "benchmark",
        new AccessRequester("shell:user:bench", "bench", ChatPlatform.Shell, "shell:direct"),
        new ApprovalRequirement("oncall", ["shell:user:ada"], 1, TimeSpan.FromHours(1), TimeSpan.FromHours(4), false, false,
            new Dictionary<ChatPlatform, string>(), TimeSpan.FromHours(1), false),
        Start,
        Start.AddHours(1),
        AccessRequestState.Pending,
        []);

    private static string Describe(string engine, int parallel, (double[] Millis, TimeSpan Wall) run)
    {
        var sorted = run.Millis.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{engine,-8} concurrency {parallel,2}: mean {sorted.Average():0.000} ms  p50 {At(0.50):0.000}  p95 {At(0.95):0.000}  p99 {At(0.99):0.000}  max {sorted[^1]:0.000}  throughput {sorted.Length / run.Wall.TotalSeconds:0} commands/s");
    }
}
