using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace PscaleBot.EndToEnd.Tests.Shell;

/// <summary>
/// Issue 2's acceptance: README's first command (the shell, on its embedded sandbox, no accounts)
/// followed by create, list, add-access, show-access, delete-access and delete, run as separate processes
/// so the sandbox's state file carries the token from one run to the next.
/// </summary>
public sealed partial class ShellAcceptanceTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("pscale-bot-shell-").FullName;
    private readonly ShellProcess shell;

    public ShellAcceptanceTests() => shell = new ShellProcess(data);

    public void Dispose() => Directory.Delete(data, recursive: true);

    // Issue 9, finding 8: retry warnings printed 15 stack traces before the one sentence people need.
    [Fact]
    public async Task An_unreachable_planetscale_is_one_sentence_on_the_terminal_and_diagnostics_need_debug()
    {
        string[] unreachable =
        [
            "PlanetScale:UseSandbox=false", "PlanetScale:BaseUrl=http://127.0.0.1:9/v1", "PlanetScale:DefaultOrganization=acme",
            "PlanetScale:ServiceTokenId=abcdefghijkl", "PlanetScale:ServiceToken=pscale_tkn_notarealsecret0000000000000000000000000",
        ];

        var quiet = await shell.RunCommandAsync("service-token list", unreachable);
        var debug = await shell.RunCommandAsync("service-token list", [.. unreachable, "--debug"]);

        Assert.Equal(2, quiet.ExitCode);
        Assert.Contains("could not reach PlanetScale", quiet.Output + quiet.Errors);
        Assert.DoesNotContain("   at ", quiet.Errors);
        Assert.DoesNotContain("Exception", quiet.Errors);
        Assert.DoesNotContain("Polly", quiet.Errors);
        Assert.Contains("   at ", debug.Errors);
        Assert.DoesNotContain("notarealsecret", debug.Output + debug.Errors);
    }

    [Fact]
    public async Task The_readme_session_works_end_to_end_in_human_format()
    {
        var created = await Ok("service-token create --name ci");
        var id = CreatedRow().Match(created).Groups["id"].Value;
        Assert.Matches("^[a-z0-9]{12}$", id);
        Assert.Contains("TOKEN", created);

        Assert.Matches($@"(?m)^\s+{id}\s+ci\s", await Ok("service-token list"));

        var added = await Ok($"service-token add-access {id} read_branch create_branch --database prod");
        Assert.Matches(@"(?m)^\s+prod\s+Database\s+\+read_branch, \+create_branch\s*$", added);
        Assert.Contains("+ marks access just added.", added);

        Assert.Matches(@"(?m)^\s+prod\s+Database\s+read_branch, create_branch\s*$", await Ok($"service-token show-access {id}"));

        var removed = await Ok($"service-token delete-access {id} create_branch --database prod");
        Assert.Contains("create_branch has been removed.", removed);
        Assert.Matches(@"(?m)^\s+prod\s+Database\s+read_branch, -create_branch\s*$", removed);

        Assert.Contains("Token was successfully deleted.", await Ok($"service-token delete {id}"));
        Assert.DoesNotContain(id, await Ok("service-token list"));
    }

    [Fact]
    public async Task The_same_session_prints_valid_json_and_csv()
    {
        using var created = JsonDocument.Parse(await Ok("service-token create --name ci --format json"));
        var id = created.RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith("pscale_tkn_", created.RootElement.GetProperty("token").GetString());

        foreach (var line in new[]
        {
            "service-token list",
            $"service-token add-access {id} read_branch create_branch --database prod",
            $"service-token show-access {id}",
            $"service-token delete-access {id} create_branch --database prod",
        })
        {
            using var json = JsonDocument.Parse(await Ok(line + " --format json"));
            if (line.Contains("delete-access", StringComparison.Ordinal))
            {
                // The CLI's keys, plus the token's permissions after the change.
                Assert.Equal("access removed", json.RootElement.GetProperty("result").GetString());
                Assert.Equal("create_branch", json.RootElement.GetProperty("perms").GetString());
            }
            else
            {
                Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
            }

            var csv = (await Ok(line + " --format csv")).TrimEnd('\r', '\n').Split("\r\n");
            Assert.True(csv.Length >= 2, $"`{line}` printed no CSV rows");
            Assert.All(csv, row => Assert.Equal(FieldCount(csv[0]), FieldCount(row)));
        }

        using var grants = JsonDocument.Parse(await Ok($"service-token show-access {id} --format json"));
        var prod = grants.RootElement.EnumerateArray().Single(r => r.GetProperty("resource_name").GetString() == "prod");
        Assert.Equal(["read_branch"], prod.GetProperty("accesses").EnumerateArray().Select(a => a.GetString()));

        using var deleted = JsonDocument.Parse(await Ok($"service-token delete {id} --format json"));
        Assert.Equal("token deleted", deleted.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_failing_command_exits_non_zero_with_the_error_on_stderr()
    {
        var result = await shell.RunCommandAsync("service-token add-access ci7deploy0a1 raed_branch --database prod");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown permission `raed_branch`: did you mean `read_branch`?", result.Errors);
        Assert.Contains("Usage: service-token add-access <TOKEN_ID> <PERMISSION>...", result.Errors);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Piped_lines_run_one_after_another_and_a_failure_makes_the_exit_code_non_zero()
    {
        var result = await shell.RunPipedAsync("""
            # comments and blank lines are skipped

            whoami
            service-token delete nosuchtoken1
            service-token show-access ci7deploy0a1
            """);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("shell:user:ci", result.Output);
        Assert.Contains("Token nosuchtoken1 does not exist in organization acme.", result.Errors);
        // The line after the failure still ran.
        Assert.Matches(@"(?m)^\s+staging\s+Database\s+read_branch", result.Output);
    }

    [Fact]
    public async Task A_new_token_secret_is_shown_to_the_requester_but_never_audited()
    {
        var created = await Ok("service-token create --name audited");
        var secret = Regex.Match(created, @"pscale_tkn_[A-Za-z0-9_\-]+").Value;
        Assert.NotEmpty(secret);

        var audit = await Ok("audit --limit 5 --format csv");
        Assert.Contains("service-token create --name audited", audit);
        Assert.DoesNotContain(secret, audit);

        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(data, "audit.db"));
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(bytes));
    }

    private async Task<string> Ok(string line)
    {
        var result = await shell.RunCommandAsync(line);
        Assert.True(result.ExitCode == 0, $"`{line}` exited {result.ExitCode}: {result.Errors}");
        return result.Output;
    }

    // RFC 4180: commas inside quotes do not separate fields.
    private static int FieldCount(string row) => CsvField().Matches(row).Count;

    [GeneratedRegex(@"(?m)^\s+(?<id>[a-z0-9]{12})\s+\S+\s+pscale_tkn_")]
    private static partial Regex CreatedRow();

    [GeneratedRegex(@"(?:^|,)(?:""(?:[^""]|"""")*""|[^,]*)")]
    private static partial Regex CsvField();
}
