namespace PscaleBot.Commands.Policy;

/// <summary>One problem in a policy file, at a 1-based line and column.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong and what to write instead.</param>
public sealed record PolicyError(int Line, int Column, string Message)
{
    /// <summary><c>line 12, column 5: message</c>.</summary>
    public override string ToString() => Line > 0 ? $"line {Line}, column {Column}: {Message}" : Message;
}

/// <summary>A policy file that could not be used: missing, unreadable or invalid. The message lists every error.</summary>
public sealed class PolicyFileException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with its errors.</summary>
    public PolicyFileException(string path, IReadOnlyList<PolicyError> errors)
        : base(Describe(path, errors))
    {
        Path = path;
        Errors = errors;
    }

    /// <summary>The full path of the policy file.</summary>
    public string Path { get; }

    /// <summary>Every error found, in file order.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    /// <summary>The text used for exception and validation messages: names the file, the setting and each error.</summary>
    public static string Describe(string path, IReadOnlyList<PolicyError> errors) =>
        $"The policy file {path} (setting {PolicyOptions.SectionName}:{nameof(PolicyOptions.Path)}) cannot be used; "
        + $"{errors.Count} error{(errors.Count == 1 ? "" : "s")}:"
        + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}
