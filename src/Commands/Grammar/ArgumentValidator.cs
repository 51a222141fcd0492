using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Checks a command's positional arguments: token IDs, request and grant IDs, the permission list with its
/// <c>--database</c>, and that nothing is left over. Each check reports its first problem to the
/// <see cref="ParseContext"/> and returns false. A token secret typed where an ID goes is refused without echoing it.
/// </summary>
/// <param name="context">Where problems are reported, and the flags.</param>
internal sealed class ArgumentValidator(ParseContext context)
{
    /// <summary>True when <paramref name="extra"/> is empty; otherwise reports the unexpected words.</summary>
    public bool NoArguments(CommandSpec spec, IReadOnlyList<string> extra)
    {
        if (extra.Count == 0)
        {
            return true;
        }

        context.Fail(ParseMessages.TooManyArguments(spec, extra));
        return false;
    }

    /// <summary>Exactly one argument, a token ID.</summary>
    public bool TryTokenId(CommandSpec spec, IReadOnlyList<string> args, out string tokenId)
    {
        tokenId = string.Empty;
        if (args.Count == 0)
        {
            context.Fail(ParseMessages.MissingTokenId(spec));
            return false;
        }

        return TryValidTokenId(args[0], out tokenId) && NoArguments(spec, args.Skip(1).ToList());
    }

    /// <summary>
    /// Exactly one argument, the ID of a request or grant (a leading <c>#</c> is dropped).
    /// <paramref name="placeholder"/> (<c>REQUEST_ID</c>) and <paramref name="what"/> (<c>request</c>) word the errors.
    /// </summary>
    public bool TryRecordId(CommandSpec spec, IReadOnlyList<string> args, string placeholder, string what, out string id)
    {
        id = string.Empty;
        if (args.Count == 0)
        {
            context.Fail(ParseMessages.MissingRecordId(spec, placeholder, what));
            return false;
        }

        var candidate = args[0].TrimStart('#');
        if (SecretRedactor.LooksLikeTokenSecret(candidate))
        {
            context.FailOnSecret(ParseMessages.SecretInMessage);
            return false;
        }

        if (!NameShapes.IsId(candidate))
        {
            context.Fail(ParseMessages.InvalidRecordId(what, args[0]));
            return false;
        }

        id = candidate;
        return NoArguments(spec, args.Skip(1).ToList());
    }

    /// <summary>
    /// <c>&lt;TOKEN_ID&gt; &lt;PERMISSION&gt;... [--database DB]</c> of <c>add-access</c> and <c>delete-access</c>;
    /// <paramref name="verb"/> (<c>add</c>, <c>remove</c>) words the errors.
    /// </summary>
    public bool TryAccessArguments(
        CommandSpec spec,
        IReadOnlyList<string> args,
        string verb,
        out string tokenId,
        out IReadOnlyList<string> permissions,
        out string? database)
    {
        tokenId = string.Empty;
        permissions = [];
        database = null;
        if (args.Count == 0)
        {
            context.Fail(ParseMessages.MissingTokenAndPermission(spec, verb));
            return false;
        }

        if (!TryValidTokenId(args[0], out tokenId))
        {
            return false;
        }

        if (args.Count == 1)
        {
            context.Fail(ParseMessages.MissingPermission(verb));
            return false;
        }

        if (context.TryGetValue("database", out var db))
        {
            if (!NameShapes.IsResourceName(db))
            {
                context.Fail(ParseMessages.InvalidDatabase(db));
                return false;
            }

            database = db;
        }

        if (!PermissionArguments.TryRead(args.Skip(1), database is not null, out permissions, out var error))
        {
            context.Fail(error!);
            return false;
        }

        return true;
    }

    private bool TryValidTokenId(string candidate, out string tokenId)
    {
        tokenId = string.Empty;
        if (SecretRedactor.LooksLikeTokenSecret(candidate))
        {
            context.FailOnSecret(ParseMessages.SecretAsTokenId);
            return false;
        }

        if (candidate.StartsWith('<') && candidate.EndsWith('>'))
        {
            context.Fail(ParseMessages.PlaceholderTokenId(candidate));
            return false;
        }

        if (!NameShapes.IsId(candidate))
        {
            context.Fail(ParseMessages.InvalidTokenId(candidate));
            return false;
        }

        tokenId = candidate;
        return true;
    }
}
