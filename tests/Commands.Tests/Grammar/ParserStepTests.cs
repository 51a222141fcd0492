using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>The parser's steps one by one; the end-to-end behaviour is in the parser tables and properties.</summary>
public sealed class ParserStepTests
{
    private static SplitLine Split(string line) => FlagSplitter.Split(CommandLineTokenizer.Tokenize(line).Words);

    [Fact]
    public void Flags_are_sorted_from_arguments_wherever_they_stand()
    {
        var split = Split("add-access -fjson x --database=prod -5 \"--for\" --debug --public=false -- --reason");

        Assert.Equal(["add-access", "x", "-5", "--for", "--reason"], split.Positionals);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "json", ["database"] = "prod" }, split.Values);
        Assert.Equal(["debug"], split.Switches);
        Assert.Equal(["format", "database", "debug"], split.FlagNames);
        Assert.Empty(split.UnknownFlags);
        Assert.Null(split.FlagError);
    }

    [Fact]
    public void Unknown_flags_and_the_first_flag_problem_are_kept()
    {
        var split = Split("list --nope -z --for --limit 1 --limit 2 --debug=maybe");

        Assert.Equal(["--nope", "-z"], split.UnknownFlags);
        Assert.Equal("flag `--for` needs a value: `--for DURATION`", split.FlagError);
    }

    [Fact]
    public void The_resolver_finds_the_command_and_keeps_it_on_failure()
    {
        var found = CommandResolver.Resolve(["access", "Approve", "r1"]);
        Assert.Equal(("access-approve", "Usage: access <command> [flags]", null), (found.Spec?.PolicyName, found.FamilyUsage, found.Error));
        Assert.Equal(["r1"], found.Arguments);

        var misplaced = CommandResolver.Resolve(["approve", "r1"]);
        Assert.Equal("access-approve", misplaced.Spec?.PolicyName);
        Assert.Equal("`approve` is an `access` command: type `access approve`", misplaced.Error);

        var unknown = CommandResolver.Resolve(["service-token", "lst"]);
        Assert.Null(unknown.Spec);
        Assert.Equal("Usage: service-token <command> [flags]", unknown.Usage);
        Assert.Equal("unknown command `lst` for `service-token`: did you mean `list`?", unknown.Error);
    }

    [Theory]
    [InlineData(new string[0], null, null)]
    [InlineData(new[] { "access" }, null, "access")]
    [InlineData(new[] { "help", "access", "approve" }, "help", "access-approve")]
    [InlineData(new[] { "service-token", "help", "add-access" }, "help", "add-access")]
    public void Help_topics(string[] words, string? spec, string? topic)
    {
        var resolution = CommandResolver.Resolve(words);

        Assert.True(resolution.IsHelp);
        Assert.Equal((spec, topic), (resolution.Spec?.PolicyName, resolution.HelpTopic));
    }

    [Fact]
    public void The_first_error_stays_unless_replaced()
    {
        var context = new ParseContext(CommandGrammar.ByPolicyName("list"), CommandGrammar.GeneralUsage, Split("list"));

        Assert.Null(context.Fail("first"));
        context.Fail("second");
        Assert.Equal(new ParseError("first", "Usage: service-token list [flags]", "list"), context.Error);
        Assert.False(context.ReportedSecret);

        context.Replace("third");
        Assert.Equal("third", context.Error!.Message);
    }

    [Theory]
    [InlineData("hnmkbklsndgi", true, true)]
    [InlineData("g-7", true, true)]
    [InlineData("a.b", false, true)]
    [InlineData("-x", true, false)]
    [InlineData("a/b", false, false)]
    public void Name_shapes(string value, bool isId, bool isResourceName) =>
        Assert.Equal((isId, isResourceName), (NameShapes.IsId(value), NameShapes.IsResourceName(value)));

    [Fact]
    public void Echoed_values_are_cut_at_forty_characters() =>
        Assert.Equal(new string('a', 40) + "…", ParseMessages.Shorten(new string('a', 41)));
}
