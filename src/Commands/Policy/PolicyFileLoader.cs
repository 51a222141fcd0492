using PscaleBot.Commands.Policy.Yaml;

namespace PscaleBot.Commands.Policy;

/// <summary>The outcome of reading a policy file: a document, or every error found (with line numbers).</summary>
/// <param name="Document">The validated document, or null when there are errors.</param>
/// <param name="Errors">Every error, in file order; empty when the document is usable.</param>
public sealed record PolicyLoadResult(PolicyDocument? Document, IReadOnlyList<PolicyError> Errors)
{
    /// <summary>True when the document is usable.</summary>
    public bool IsValid => Document is not null && Errors.Count == 0;
}

/// <summary>Reads and validates policy files. Pure: no caching, no watching (see <see cref="PolicyStore"/>).</summary>
public static class PolicyFileLoader
{
    /// <summary>Reads <paramref name="path"/>; a missing or unreadable file is an error, not an exception.</summary>
    public static async Task<PolicyLoadResult> LoadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return Parse(text, Path.GetFullPath(path));
        }
        catch (Exception ex) when (ReadFailure(ex) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>Reads <paramref name="path"/> synchronously (start-up validation, where no async path exists).</summary>
    public static PolicyLoadResult Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path), Path.GetFullPath(path));
        }
        catch (Exception ex) when (ReadFailure(ex) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>Parses and validates policy text. <paramref name="sourcePath"/> anchors relative paths inside it.</summary>
    public static PolicyLoadResult Parse(string yaml, string? sourcePath = null)
    {
        var errors = new List<PolicyError>();
        var root = YamlTreeReader.Read(yaml, errors);
        if (errors.Count > 0 && root is null)
        {
            return new PolicyLoadResult(null, errors);
        }

        var document = new PolicyDocumentReader(errors, sourcePath).Read(root);
        var ordered = errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToArray();
        return ordered.Length == 0 ? new PolicyLoadResult(document, []) : new PolicyLoadResult(null, ordered);
    }

    private static PolicyLoadResult? ReadFailure(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => new(null,
        [
            new PolicyError(0, 0, "the file does not exist; create it (see deploy/policy.example.yaml) or point "
                + $"{PolicyOptions.SectionName}:{nameof(PolicyOptions.Path)} at it"),
        ]),
        IOException or UnauthorizedAccessException => new(null, [new PolicyError(0, 0, $"the file cannot be read: {ex.Message}")]),
        _ => null,
    };
}
