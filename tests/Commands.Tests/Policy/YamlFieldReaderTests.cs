using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Policy.Yaml;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class YamlFieldReaderTests
{
    private readonly List<PolicyError> _errors = [];

    private YamlMapping Map(string yaml) => Assert.IsType<YamlMapping>(YamlTreeReader.Read(yaml, _errors));

    private string[] Reported => [.. _errors.Select(e => e.ToString())];

    [Fact]
    public void Typed_values_are_read_and_trimmed()
    {
        var map = Map("name: ' x '\nlist: [a, ' b ']\nsingle: c\nttl: 1h30m\nflag: TRUE\ncount: -2");
        var fields = new YamlFieldReader(_errors);

        Assert.Equal("x", fields.ReadString(YamlFieldReader.Find(map, "name")!, "name", "here"));
        Assert.Equal(["a", "b"], fields.ReadStrings(YamlFieldReader.Find(map, "list")!, "list", "here", allowEmpty: false).Select(s => s.Value));
        Assert.Equal(["c"], fields.ReadStrings(YamlFieldReader.Find(map, "single")!, "single", "here", allowEmpty: false).Select(s => s.Value));
        Assert.Equal(TimeSpan.FromMinutes(90), fields.ReadDuration(YamlFieldReader.Find(map, "ttl")!, "ttl", "here"));
        Assert.True(fields.ReadBool(YamlFieldReader.Find(map, "flag")!, "flag", "here"));
        Assert.Equal(-2, fields.ReadInt(YamlFieldReader.Find(map, "count")!, "count", "here"));
        Assert.Null(YamlFieldReader.Find(map, "absent"));
        Assert.Empty(_errors);
    }

    [Fact]
    public void Each_problem_is_reported_at_the_line_and_column_of_its_node()
    {
        var map = Map("name: [a]\nlist: {a: 1}\nempty: []\nttl: soon\nflag: yes\ncount: '3'\nitems: [ok, '', ~]\nnaem: x");
        var fields = new YamlFieldReader(_errors);

        Assert.Null(fields.ReadString(YamlFieldReader.Find(map, "name")!, "name", "here"));
        Assert.Empty(fields.ReadStrings(YamlFieldReader.Find(map, "list")!, "list", "here", allowEmpty: true));
        Assert.Empty(fields.ReadStrings(YamlFieldReader.Find(map, "empty")!, "empty", "here", allowEmpty: false, emptyHint: "name one"));
        Assert.Null(fields.ReadDuration(YamlFieldReader.Find(map, "ttl")!, "ttl", "here"));
        Assert.Null(fields.ReadBool(YamlFieldReader.Find(map, "flag")!, "flag", "here"));
        Assert.Null(fields.ReadInt(YamlFieldReader.Find(map, "count")!, "count", "here"));
        Assert.Equal(["ok"], fields.ReadStrings(YamlFieldReader.Find(map, "items")!, "items", "here", allowEmpty: false).Select(s => s.Value));
        Assert.Null(fields.Require(map, "missing", "here"));
        fields.CheckKeys(map, "here", ["name", "list", "empty", "ttl", "flag", "count", "items"]);

        Assert.Equal(
        [
            "line 1, column 7: here: 'name' must be a single non-empty value, not a list",
            "line 2, column 7: here: 'list' must be a list of values, not a mapping",
            "line 3, column 8: here: 'empty' is empty; name one",
            "line 4, column 6: here: ttl 'soon' is not a duration; write a number and a unit, like 30m, 2h, 1h30m or 7d",
            "line 5, column 7: here: flag must be true or false",
            "line 6, column 8: here: count must be a whole number",
            "line 7, column 13: here: each entry of 'items' must be a non-empty value, not an empty value",
            "line 7, column 17: here: each entry of 'items' must be a non-empty value, not nothing",
            "line 1, column 1: missing 'missing' here",
            "line 8, column 1: unknown key 'naem' here (did you mean 'name'?)",
        ],
            Reported);
    }

    [Fact]
    public void Did_you_mean_names_the_close_one_or_says_nothing()
    {
        Assert.Equal(" (did you mean 'oncall'?)", YamlFieldReader.DidYouMean("on-call", ["oncall", "viewer"]));
        Assert.Equal("", YamlFieldReader.DidYouMean("root", ["admin"]));
    }
}
