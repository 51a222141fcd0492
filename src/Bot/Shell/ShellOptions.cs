using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Bot.Shell;

/// <summary>Who the local shell acts as (section <c>Shell</c>).</summary>
public sealed class ShellOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Shell";

    /// <summary>The qualified user id the policy sees, e.g. <c>shell:user:alice</c>.</summary>
    [Required(ErrorMessage = "Shell:UserId is required (a qualified id such as shell:user:alice).")]
    [RegularExpression(@"^shell:user:[A-Za-z0-9._@-]+$", ErrorMessage = "Shell:UserId must look like shell:user:<name>.")]
    public string UserId { get; set; } = "shell:user:" + SafeUserName();

    /// <summary>Shown in messages only.</summary>
    public string DisplayName { get; set; } = SafeUserName();

    private static string SafeUserName()
    {
        var name = new string(Environment.UserName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-').ToArray());
        return name.Length == 0 ? "local" : name;
    }
}
