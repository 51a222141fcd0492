using System.Globalization;

namespace PscaleBot.Benchmarks.Load;

/// <summary>What kind of server a run starts.</summary>
internal enum ServerKind
{
    /// <summary>pscale-bot, published: <c>dotnet PscaleBot.Bot.dll</c>.</summary>
    Bot,
    /// <summary>The Bolt-js peer in <c>bench/bolt-peer</c>: <c>node index.js</c>.</summary>
    Bolt,
}

/// <summary>
/// One server under test: a label (run folders, command ids), its kind, its folder, and for the bot how it is deployed:
/// <paramref name="Replicas"/> processes, on SQLite files (one process only) or on one throwaway PostgreSQL database
/// they share (with it, the PlanetScale rate budget).
/// </summary>
internal sealed record ServerSpec(string Label, ServerKind Kind, string Folder, int Replicas = 1, bool Postgres = false)
{
    /// <summary>The name in the report: the label, and for a bot on PostgreSQL its replica count (<c>current ×2 pg</c>).</summary>
    public string Display => Postgres ? $"{Label} ×{Replicas} pg" : Label;
}

/// <summary>The settings of one <c>load</c> run (see <see cref="Usage"/>).</summary>
internal sealed record LoadOptions(
    IReadOnlyList<ServerSpec> Servers,
    string SandboxDll,
    IReadOnlyList<string> Workloads,
    int Rounds,
    int BurstCommands,
    int BurstConcurrency,
    int Users,
    int RateLimit,
    int SteadyRate,
    int SteadySeconds,
    int StormGrants,
    int StormMinutes,
    int StartupCommands,
    int StartupGapMs)
{
    /// <summary>Whether some bot runs as several processes (its peak RSS is then their sum).</summary>
    public bool AnyReplicated => Servers.Any(s => s.Replicas > 1);

    /// <summary>Every workload, in the order they run.</summary>
    public static readonly string[] AllWorkloads = ["startup", "burst", "steady", "storm"];

    public const string Usage = """
        load --sandbox <PscaleBot.Sandbox.dll> --bot <label>=<folder with PscaleBot.Bot.dll> [--bot …] [--bolt <label>=<bench/bolt-peer>]
             [--workloads startup,burst,steady,storm] [--rounds 1] [--quick]
             [--burst-commands 1000] [--concurrency 64] [--users 50] [--rate-limit 600]
             [--steady-rate 2000] [--steady-seconds 60] [--storm-grants 10000] [--storm-minutes 30] [--startup-commands 100] [--startup-gap-ms 0]
             [--replicas 1] [--storage sqlite|postgres]
        --replicas N: each bot as N processes on one throwaway PostgreSQL cluster (implies --storage postgres); commands round-robin over them.
        --storage postgres: the bot on a throwaway PostgreSQL cluster even with one replica (default sqlite: files, one process).
        --startup-gap-ms N: each start-up command after the first is sent N ms after the previous answer, so it meets an idle bot as a chat command does (0: back to back).
        --quick: steady 10 s, storm 1,000 grants for at most 3 minutes (so at least one full minute of the sandbox's window is measured).
        """;

    /// <summary>Reads the arguments after <c>load</c>; null (and a sentence on <paramref name="error"/>) when unusable.</summary>
    public static LoadOptions? Parse(string[] args, TextWriter error)
    {
        var servers = new List<ServerSpec>();
        string? sandbox = null;
        var quick = args.Contains("--quick");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error.WriteLine($"'{name}' is not an option with a value.\n{Usage}");
                return null;
            }

            var value = args[++i];
            if (name is "--bot" or "--bolt")
            {
                var at = value.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    error.WriteLine($"{name} takes <label>=<folder>, not '{value}'.");
                    return null;
                }

                var folder = Path.GetFullPath(value[(at + 1)..]);
                var entry = name == "--bot" ? Path.Combine(folder, "PscaleBot.Bot.dll") : Path.Combine(folder, "index.js");
                if (!File.Exists(entry))
                {
                    error.WriteLine($"{name} {value}: there is no {entry} (publish the bot, or run npm ci in the peer's folder; bench/run.sh does both).");
                    return null;
                }

                servers.Add(new ServerSpec(value[..at], name == "--bot" ? ServerKind.Bot : ServerKind.Bolt, folder));
            }
            else if (name == "--sandbox")
            {
                sandbox = Path.GetFullPath(value);
            }
            else
            {
                values[name] = value;
            }
        }

        if (servers.Count == 0 || sandbox is null || !File.Exists(sandbox))
        {
            error.WriteLine($"Name at least one server (--bot or --bolt) and an existing --sandbox dll.\n{Usage}");
            return null;
        }

        var workloads = values.TryGetValue("--workloads", out var w)
            ? w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : AllWorkloads;
        if (workloads.FirstOrDefault(x => !AllWorkloads.Contains(x)) is { } unknown)
        {
            error.WriteLine($"--workloads: '{unknown}' is not one of {string.Join(", ", AllWorkloads)}.");
            return null;
        }

        int Int(string option, int fallback, int min, int max)
        {
            if (!values.TryGetValue(option, out var text))
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                throw new ArgumentException($"{option} must be a whole number from {min} to {max}, not '{text}'.");
            }

            return value;
        }

        try
        {
            var replicas = Int("--replicas", 1, 1, 8);
            var storage = values.GetValueOrDefault("--storage", replicas > 1 ? "postgres" : "sqlite");
            if (storage is not ("sqlite" or "postgres") || (storage == "sqlite" && replicas > 1))
            {
                throw new ArgumentException(storage == "sqlite"
                    ? "--storage sqlite keeps the bot to one process (SQLite files are not shared between replicas): drop --storage, or use --storage postgres."
                    : $"--storage must be sqlite or postgres, not '{storage}'.");
            }

            return new LoadOptions(
                [.. servers.Select(s => s.Kind == ServerKind.Bot ? s with { Replicas = replicas, Postgres = storage == "postgres" } : s)],
                sandbox,
                [.. AllWorkloads.Where(workloads.Contains)],
                Int("--rounds", 1, 1, 10),
                Int("--burst-commands", 1000, 1, 100_000),
                Int("--concurrency", 64, 1, 1024),
                Int("--users", 50, 1, 1000),
                Int("--rate-limit", 600, 1, 1_000_000),
                Int("--steady-rate", 2000, 1, 100_000),
                Int("--steady-seconds", quick ? 10 : 60, 1, 3600),
                Int("--storm-grants", quick ? 1000 : 10_000, 1, 100_000),
                Int("--storm-minutes", quick ? 3 : 30, 1, 120),
                Int("--startup-commands", 100, 2, 10_000),
                Int("--startup-gap-ms", 0, 0, 60_000));
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }
}
