using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Bot.Persistence;

/// <summary>Where the audit log is kept (section <c>Audit</c>; environment <c>Audit__Path</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Audit";

    /// <summary>The SQLite file; a relative path is resolved against the content root. Its folder is created when missing.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Audit:Path is required: the SQLite file the audit log is written to (for example data/audit.db).")]
    public string Path { get; set; } = "data/audit.db";
}
