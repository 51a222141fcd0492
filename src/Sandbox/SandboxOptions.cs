namespace PscaleBot.Sandbox;

/// <summary>Sandbox settings (section <c>Sandbox</c> when standalone).</summary>
public sealed class SandboxOptions
{
    /// <summary>Where state survives restarts; null keeps it in memory only.</summary>
    public string? StatePath { get; set; }

    /// <summary>Discard saved state and start from the seed.</summary>
    public bool Fresh { get; set; }
}
