using PscaleBot.Sandbox.Faults;

namespace PscaleBot.Sandbox;

/// <summary>Sandbox settings (section <c>Sandbox</c> when standalone).</summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section standalone settings are read from.</summary>
    public const string SectionName = "Sandbox";

    /// <summary>Where state survives restarts; null keeps it in memory only.</summary>
    public string? StatePath { get; set; }

    /// <summary>Discard saved state and start from the seed.</summary>
    public bool Fresh { get; set; }

    /// <summary>Loopback port to listen on; 0 picks a free one (what in-process servers use).</summary>
    public int Port { get; set; }

    /// <summary>
    /// Id of the bot's credential; null uses the seeded <c>pscalebot001</c>. Another id gets the seeded bot's grants.
    /// </summary>
    public string? ServiceTokenId { get; set; }

    /// <summary>Secret of the bot's credential (<c>pscale_tkn_…</c>); null generates a new one at each start.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>
    /// An OAuth-style access token accepted as <c>Authorization: Bearer …</c>, acting as an organization admin
    /// of every organization; null generates one at each start.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>Injected latency, errors, forced statuses and the rate limit.</summary>
    public FaultOptions Faults { get; set; } = new();

    /// <summary>
    /// The state file used by default when running standalone or from the bot's shell:
    /// <c>&lt;LocalApplicationData&gt;/pscale-bot/sandbox/state.json</c>, or <c>./.sandbox/state.json</c> where there is no such folder.
    /// </summary>
    public static string DefaultStatePath
    {
        get
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(local)
                ? Path.Combine(".sandbox", "state.json")
                : Path.Combine(local, "pscale-bot", "sandbox", "state.json");
        }
    }
}
