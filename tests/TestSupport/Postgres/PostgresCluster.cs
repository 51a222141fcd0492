using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PscaleBot.TestSupport.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for tests: <c>initdb</c> into a temporary folder, <c>pg_ctl start</c> on a free
/// loopback port with trust authentication on 127.0.0.1 only, a fresh database per caller
/// (<see cref="CreateDatabaseAsync"/>), and <c>pg_ctl stop</c> plus the folder deleted on dispose, whether the tests
/// passed or not (and at process exit, should dispose never run). PostgreSQL refuses to run as root, so as root the
/// folder is given to the <c>postgres</c> user and the tools run through <c>runuser -u postgres --</c>. Nothing reads
/// stdin, so it runs in CI. Never a system service.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan ToolPatience = TimeSpan.FromSeconds(90);
    private int databases;
    private bool started;

    /// <summary>
    /// False (tests): fsync and synchronous commit off, since a throwaway cluster need not survive a power cut. True
    /// (benchmarks): PostgreSQL's durable defaults, to compare fairly with SQLite's.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>The folder holding the data directory, the socket and the server log.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("pscale-pg-").FullName;

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; } = FreePort();

    private string serverOptions = "";

    /// <summary>The <c>postgres</c> maintenance database, as the superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    private string DataDirectory => Path.Combine(Folder, "data");

    private string LogFile => Path.Combine(Folder, "server.log");

    /// <summary>A connection string to <paramref name="database"/> on this server (trust authentication: no password).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = SuperUser,
        Pooling = true,
        Timeout = 15,
    }.ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var bin = FindBin();
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", $"{SuperUser}:", Folder], asPostgres: false);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], asPostgres: true);
        AppDomain.CurrentDomain.ProcessExit += StopAtExit;
        started = true;
        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={Folder}",
            Durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "-c max_connections=200");
        serverOptions = options;
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"], asPostgres: true);
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut), as an outage would; the data stays.</summary>
    public Task StopServerAsync() =>
        RunAsync(Path.Combine(FindBin(), "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asPostgres: true);

    /// <summary>Starts the server again after <see cref="StopServerAsync"/>, on the same port and data.</summary>
    public Task StartServerAsync() =>
        RunAsync(Path.Combine(FindBin(), "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-o", serverOptions, "-w", "-t", "60", "start"], asPostgres: true);

    /// <summary>Restarts the server (fast): every pooled connection is broken underneath its pool, as in a failover.</summary>
    public Task RestartServerAsync() =>
        RunAsync(Path.Combine(FindBin(), "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-o", serverOptions, "-m", "fast", "-w", "-t", "60", "restart"], asPostgres: true);

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? hint = null)
    {
        var name = $"t{Interlocked.Increment(ref databases)}_{Sanitize(hint)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>A new, empty database, for callers that cannot await (a test's constructor); its connection string.</summary>
    public string CreateDatabase(string? hint = null)
    {
        var name = $"t{Interlocked.Increment(ref databases)}_{Sanitize(hint)}";
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown) and deletes the folder.</summary>
    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopAtExit;
        NpgsqlConnection.ClearAllPools();
        if (started)
        {
            started = false;
            try
            {
                await RunAsync(Path.Combine(FindBin(), "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asPostgres: true);
            }
            catch (InvalidOperationException)
            {
                StopAtExit(null, EventArgs.Empty);
            }
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The folder of initdb and pg_ctl: the newest under /usr/lib/postgresql, else the PATH.</summary>
    public static string FindBin()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return installed ?? onPath ?? throw new InvalidOperationException(
            "These tests need a PostgreSQL server to start a throwaway cluster, but initdb was found neither under /usr/lib/postgresql/*/bin nor on the PATH: install the Debian package postgresql (apt-get install -y postgresql), as .ci/run does.");
    }

    private void StopAtExit(object? sender, EventArgs e)
    {
        try
        {
            var stop = Start(Path.Combine(FindBin(), "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "stop"], asPostgres: true);
            stop.WaitForExit(10_000);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private static async Task RunAsync(string tool, string[] arguments, bool asPostgres)
    {
        using var process = Start(tool, arguments, asPostgres);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(ToolPatience);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(tool)} did not finish within {ToolPatience.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(tool)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}");
        }
    }

    private static Process Start(string tool, string[] arguments, bool asPostgres)
    {
        var info = new ProcessStartInfo
        {
            FileName = asPostgres && Environment.IsPrivilegedProcess ? "runuser" : tool,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            foreach (var prefix in new[] { "-u", SuperUser, "--", tool })
            {
                info.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} could not be started.");
        process.StandardInput.Close();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Sanitize(string? hint) =>
        new([.. (hint ?? "db").ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40)]);
}

/// <summary>
/// The xunit collection that shares one <see cref="PostgresCluster"/> (one server per test assembly); each test class
/// takes it in its constructor and creates its own database. Test projects declare
/// <c>[CollectionDefinition(PostgresCollection.Name)] public sealed class X : PostgresCollection;</c> (xunit finds
/// collection definitions only in the test assembly itself).
/// </summary>
public abstract class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "PostgreSQL";
}
