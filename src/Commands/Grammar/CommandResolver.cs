using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>Which command a line is about, and what is left of its positional words.</summary>
/// <param name="Spec">The command, as far as the words name one (also on failure, so the error carries its usage).</param>
/// <param name="FamilyUsage">The usage line of the family the words named, for errors before a command is known.</param>
/// <param name="Arguments">The positional words after the command words.</param>
/// <param name="IsHelp">True when the line asks for help (<c>help …</c>, a bare family word, or nothing).</param>
/// <param name="HelpTopic">The help topic, when <paramref name="IsHelp"/>.</param>
/// <param name="Error">Why the words name no command, or null.</param>
internal sealed record CommandResolution(
    CommandSpec? Spec,
    string FamilyUsage,
    IReadOnlyList<string> Arguments,
    bool IsHelp,
    string? HelpTopic,
    string? Error)
{
    /// <summary>The usage line of the command, or of its family.</summary>
    public string Usage => Spec?.Usage ?? FamilyUsage;
}

/// <summary>
/// Finds the command the positional words name: <c>service-token &lt;word&gt;</c>, <c>access &lt;word&gt;</c>,
/// a bot command, or <c>help [topic]</c>. An unknown word gets the closest known one suggested.
/// </summary>
internal static class CommandResolver
{
    /// <summary>Resolves <paramref name="words"/> (the line's positional words, flags already removed).</summary>
    public static CommandResolution Resolve(IReadOnlyList<string> words)
    {
        var general = CommandGrammar.GeneralUsage;
        if (words.Count == 0)
        {
            return Help(null, general, null);
        }

        var first = words[0].ToLowerInvariant();
        switch (first)
        {
            case CommandGrammar.ServiceTokenWord:
                return ResolveFamily(words.Skip(1).ToList(), CommandFamily.ServiceToken, CommandGrammar.ServiceTokenWord, CommandGrammar.ServiceTokenUsage);
            case CommandGrammar.AccessWord:
                return ResolveFamily(words.Skip(1).ToList(), CommandFamily.Access, CommandGrammar.AccessWord, CommandGrammar.AccessUsage);
            case "help":
                return HelpTopicFrom(words.Skip(1).ToList(), general);
        }

        // A two-word bot command (audit verify) before its one-word parent (audit), matched on the whole path.
        var second = words.Count > 1 ? first + " " + words[1].ToLowerInvariant() : null;
        var pair = second is null ? null : CommandGrammar.InFamily(CommandFamily.Bot).FirstOrDefault(c => c.Path == second);
        if (pair is not null)
        {
            return new CommandResolution(pair, general, words.Skip(2).ToList(), IsHelp: false, HelpTopic: null, Error: null);
        }

        var bot = CommandGrammar.InFamily(CommandFamily.Bot).FirstOrDefault(c => c.Path == first);
        if (bot is not null)
        {
            return new CommandResolution(bot, general, words.Skip(1).ToList(), IsHelp: false, HelpTopic: null, Error: null);
        }

        var elsewhere = CommandGrammar.Commands.FirstOrDefault(c => c.Family != CommandFamily.Bot && c.Word == first);
        if (elsewhere is not null)
        {
            return Failed(elsewhere, general, ParseMessages.NeedsFamilyWord(first, elsewhere));
        }

        return Failed(null, general, ParseMessages.UnknownCommand(words[0], SuggestTopLevel(first)));
    }

    private static CommandResolution ResolveFamily(List<string> rest, CommandFamily family, string familyWord, string familyUsage)
    {
        if (rest.Count == 0)
        {
            return Help(null, familyUsage, familyWord);
        }

        var sub = rest[0].ToLowerInvariant();
        if (sub == "help")
        {
            var topicWords = rest.Skip(1).ToList();
            if (topicWords.Count == 0)
            {
                return Help(CommandGrammar.ByPolicyName("help"), familyUsage, familyWord);
            }

            return HelpTopicFrom(family == CommandFamily.Access ? topicWords.Prepend(familyWord).ToList() : topicWords, familyUsage);
        }

        var spec = CommandGrammar.InFamily(family).FirstOrDefault(c => c.Word == sub);
        if (spec is null)
        {
            var suggestion = CommandGrammar.FormerNames.GetValueOrDefault(sub)
                ?? NameSuggester.Closest(sub, CommandGrammar.InFamily(family).Select(c => c.Word));
            return Failed(null, familyUsage, ParseMessages.UnknownFamilyCommand(rest[0], familyWord, suggestion));
        }

        return new CommandResolution(spec, familyUsage, rest.Skip(1).ToList(), IsHelp: false, HelpTopic: null, Error: null);
    }

    // help [topic]: "add-access", "service-token add-access", "access", "access approve", "access-approve".
    private static CommandResolution HelpTopicFrom(List<string> words, string familyUsage)
    {
        var help = CommandGrammar.ByPolicyName("help");
        var topic = words.Select(w => w.ToLowerInvariant()).ToList();
        if (topic.Count > 1 && topic[0] == CommandGrammar.ServiceTokenWord)
        {
            topic.RemoveAt(0);
        }

        switch (topic.Count)
        {
            case 0:
                return Help(help, familyUsage, null);
            case 1:
                return Help(help, familyUsage, topic[0]);
            case 2 when topic[0] == CommandGrammar.AccessWord:
                var known = CommandGrammar.InFamily(CommandFamily.Access).FirstOrDefault(c => c.Word == topic[1]);
                return Help(help, familyUsage, known?.PolicyName ?? $"access {topic[1]}");
            default:
                return Failed(help, familyUsage, ParseMessages.HelpTakesOneTopic);
        }
    }

    private static string? SuggestTopLevel(string word)
    {
        var byWord = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CommandGrammar.ServiceTokenWord] = CommandGrammar.ServiceTokenWord,
            [CommandGrammar.AccessWord] = CommandGrammar.AccessWord,
        };
        foreach (var spec in CommandGrammar.Commands)
        {
            byWord.TryAdd(spec.Word, spec.Path);
        }

        var closest = NameSuggester.Closest(word, byWord.Keys);
        return closest is null ? null : byWord[closest];
    }

    private static CommandResolution Help(CommandSpec? spec, string familyUsage, string? topic) =>
        new(spec, familyUsage, [], IsHelp: true, HelpTopic: topic, Error: null);

    private static CommandResolution Failed(CommandSpec? spec, string familyUsage, string error) =>
        new(spec, familyUsage, [], IsHelp: false, HelpTopic: null, Error: error);
}
