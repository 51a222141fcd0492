using PscaleBot.Commands.Permissions;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// The words the grammar itself knows (command words, permission names): a typed word equal to one of them is read
/// as the known string instead of a new copy, so a line of fifty permissions allocates no word strings.
/// </summary>
internal static class GrammarWords
{
    private static readonly HashSet<string> Known = BuildKnown();

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownBySpan =
        Known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary><paramref name="word"/> as a string: the grammar's own when it is a known word (exactly, same case).</summary>
    public static string Text(ReadOnlyMemory<char> word) =>
        KnownBySpan.TryGetValue(word.Span, out var known) ? known : word.ToString();

    private static HashSet<string> BuildKnown()
    {
        var words = new HashSet<string>(StringComparer.Ordinal) { "service-token", "access", "help" };
        foreach (var command in CommandGrammar.Commands)
        {
            foreach (var word in command.Path.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                words.Add(word);
            }
        }

        foreach (var permission in PermissionCatalog.All)
        {
            words.Add(permission.Name);
        }

        return words;
    }
}
