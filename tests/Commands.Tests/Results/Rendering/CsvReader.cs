using System.Text;

namespace PscaleBot.Commands.Tests.Results.Rendering;

/// <summary>A strict RFC 4180 reader for checking the CSV renderer: it rejects bare LF and stray quotes.</summary>
public static class CsvReader
{
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }

                Assert.True(i >= text.Length || text[i] == ',' || text[i] == '\r', $"text after a closing quote at {i}");
                continue;
            }

            switch (text[i])
            {
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    i++;
                    break;
                case '\r':
                    Assert.True(i + 1 < text.Length && text[i + 1] == '\n', "CR without LF");
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    i += 2;
                    break;
                case '\n':
                    Assert.Fail($"bare LF at {i}");
                    break;
                case '"':
                    Assert.Fail($"quote inside an unquoted field at {i}");
                    break;
                default:
                    field.Append(text[i++]);
                    break;
            }
        }

        Assert.True(field.Length == 0 && record.Count == 0, "the last record must end with CRLF");
        return records;
    }
}
