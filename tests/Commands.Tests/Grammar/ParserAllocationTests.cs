using System.Runtime.InteropServices;
using System.Text;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>
/// Parsing runs for every command on the acknowledgement path, so a long line must not be copied word by word.
/// Allocated bytes on one thread are exact (unlike times), so these are checked here; the speed is in the benchmarks.
/// </summary>
public sealed class ParserAllocationTests
{
    [Fact]
    public void Plain_and_wholly_quoted_words_are_slices_of_the_line_not_copies()
    {
        const string Line = "add-access t1 read_branch --reason \"a long reason\" --database=prod";

        var words = CommandLineTokenizer.Tokenize(Line).Words;

        Assert.Equal(["add-access", "t1", "read_branch", "--reason", "a long reason", "--database=prod"], words.Select(w => w.Text));
        Assert.All(words, w => Assert.True(
            MemoryMarshal.TryGetString(w.Value, out var source, out _, out _) && ReferenceEquals(source, Line),
            $"'{w.Text}' was copied out of the line"));
    }

    [Fact]
    public void A_line_at_the_input_limit_is_parsed_in_a_few_kilobytes()
    {
        var line = LongAddAccessLine();
        var parser = new ServiceTokenCommandParser();
        var expected = parser.Parse(line);
        Assert.Equal("`--reason` is too long (3371 characters; at most 500)", expected.Error?.Message);

        var before = GC.GetAllocatedBytesForCurrentThread();
        parser.Parse(line);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 25 KB before the tokenizer kept slices (the 3,371-character reason was copied twice, then refused for its
        // length). The benchmark's in-process Release figure is lower; unoptimised test builds allocate a little more.
        Assert.True(allocated < 12 * 1024, $"parsing the 4,000-character line allocated {allocated} bytes");
    }

    // The benchmark's line: add-access with ~50 permissions and a --reason filling the line to the input limit.
    private static string LongAddAccessLine()
    {
        var permissions = new[] { "read_branch", "connect_branch", "create_deploy_request", "read_deploy_request" };
        var line = new StringBuilder("service-token add-access abc123def456");
        for (var i = 0; line.Length < 600; i++)
        {
            line.Append(' ').Append(permissions[i % permissions.Length]);
        }

        line.Append(" --database prod --reason \"");
        line.Append('x', ServiceTokenCommandParser.MaxInputLength - line.Length - 1).Append('"');
        return line.ToString();
    }
}
