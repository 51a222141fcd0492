using System.Diagnostics;
using System.Net;

namespace PscaleBot.EndToEnd.Tests.Replicas;

/// <summary>
/// One bot replica as a real process: <c>dotnet PscaleBot.Bot.dll</c> (the build output this test project already
/// has), settings by environment, its output in a log file, and a kill of its whole tree on dispose, so nothing a
/// test starts outlives it. <see cref="KillHard"/> is <c>kill -9</c>: no shutdown hook runs.
/// </summary>
public sealed class BotReplica : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private BotReplica(string name, Process process, StreamWriter log, string logPath, Uri root)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogPath = logPath;
        Root = root;
    }

    /// <summary>The replica's name (its <c>AccessRequests:InstanceId</c>).</summary>
    public string Name { get; }

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri Root { get; }

    /// <summary>Where stdout and stderr go.</summary>
    public string LogPath { get; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Whether <see cref="KillHard"/> or <see cref="StopAsync"/> ended it (a test's doing, not a crash).</summary>
    public bool Ended { get; private set; }

    /// <summary>The bot's dll, next to this test's own assemblies.</summary>
    public static string BotDll => typeof(Program).Assembly.Location;

    /// <summary>Starts a replica named <paramref name="name"/> with <paramref name="settings"/> (configuration keys, <c>:</c> separated).</summary>
    public static BotReplica Start(string name, IReadOnlyDictionary<string, string> settings, string folder)
    {
        var port = FreePort();
        var root = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(BotDll);
        info.Environment["ASPNETCORE_URLS"] = root.ToString().TrimEnd('/');
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["AccessRequests__InstanceId"] = name;
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var logPath = Path.Combine(folder, $"{name}.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BotReplica(name, process, log, logPath, root);
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200, or throws with the log's tail.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Replica {Name} exited ({process.ExitCode}) before it was ready:\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Root, "/readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Replica {Name} was not ready within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>SIGKILL: the process ends at once, its claims and connections left behind.</summary>
    public void KillHard()
    {
        Ended = true;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>
    /// SIGTERM, as a rolling deploy or <c>docker stop</c> sends: the host stops gracefully (in-flight work finishes or is
    /// handed back). Throws with the log's tail when it does not exit in <paramref name="timeout"/> or exits non-zero.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        Ended = true;
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Replica {Name} did not stop within {timeout.TotalSeconds:0} s of SIGTERM:\n{Tail()}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Replica {Name} exited with {process.ExitCode} after SIGTERM:\n{Tail()}");
        }
    }

    /// <summary>The last lines of the log, for a failure message.</summary>
    public string Tail(int lines = 20)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or it would not die in time.
        }

        process.Dispose();
        await log.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
