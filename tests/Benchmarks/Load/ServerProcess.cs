using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// A child process (the bot, the Bolt peer or the sandbox) with its output in a log file, its peak RSS read from
/// <c>/proc</c>, and a kill of its whole tree on dispose: nothing the harness starts outlives it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ServerProcess(Process process, StreamWriter log, string logPath, long startedAt)
    {
        this.process = process;
        this.log = log;
        LogPath = logPath;
        StartedAt = startedAt;
    }

    /// <summary>Where stdout and stderr go.</summary>
    public string LogPath { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>The process id.</summary>
    public int Id => process.Id;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        var startedAt = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, logPath, startedAt);
    }

    /// <summary>Peak resident set size so far (<c>VmHWM</c>), in MB; null when /proc does not tell.</summary>
    public double? PeakRssMegabytes() => ProcStatus("VmHWM:");

    /// <summary>CPU time (user and system) the process has used so far; null once it has exited.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Resident set size now (<c>VmRSS</c>), in MB.</summary>
    public double? RssMegabytes() => ProcStatus("VmRSS:");

    /// <summary>The last lines of the log, for a failure message.</summary>
    public string Tail(int lines = 15)
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

    /// <summary>Polls <paramref name="url"/> until it answers 200; returns when (a Stopwatch timestamp), or throws.</summary>
    public async Task<long> WaitUntilReadyAsync(Uri url, TimeSpan timeout)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(process.StartInfo.FileName)} exited ({process.ExitCode}) before it was ready:\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(url, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetTimestamp();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(5, CancellationToken.None);
        }

        throw new TimeoutException($"{url} did not answer 200 within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
            // Already gone, or it would not die in time (reported by the caller's own checks).
        }

        process.Dispose();
        await log.DisposeAsync();
    }

    private double? ProcStatus(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            var kilobytes = line?[field.Length..].Trim().Split(' ')[0];
            return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
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
