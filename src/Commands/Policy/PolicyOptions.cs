using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Commands.Policy;

/// <summary>Where the authorisation policy lives (section <c>Policy</c>; environment <c>Policy__Path</c>).</summary>
public sealed class PolicyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Policy";

    /// <summary>The policy file; relative paths resolve against the content root. Default <c>policy.yaml</c>.</summary>
    [Required(ErrorMessage = "Policy:Path is required: the YAML file with the roles and bindings.")]
    public string Path { get; set; } = "policy.yaml";

    /// <summary>Quiet time after the last change to the file before it is reloaded (editors write in several steps).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Policy:ReloadDebounce must be between 0 and 1 minute.")]
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often the file's content is also compared with what was loaded, besides file-system events, which miss a
    /// Kubernetes ConfigMap update (a symlink swap) and changes on network shares. <c>0</c> turns polling off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Policy:ReloadInterval must be between 0 (no polling) and 1 hour.")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);
}
