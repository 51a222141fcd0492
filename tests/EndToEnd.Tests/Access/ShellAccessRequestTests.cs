using System.Text.RegularExpressions;
using PscaleBot.EndToEnd.Tests.Shell;

namespace PscaleBot.EndToEnd.Tests.Access;

/// <summary>
/// The shell with the shipped policy.yaml: access requests are wired in (not the explaining default), state survives
/// from one shell process to the next, and the shell user, a db-admin, still needs a second person for production.
/// </summary>
public sealed partial class ShellAccessRequestTests : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("pscale-bot-shell-access-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_production_request_is_filed_listed_refused_to_its_requester_and_break_glass_is_granted_and_revoked()
    {
        var shell = new ShellProcess(dataDirectory);

        var dryRun = await shell.RunCommandAsync("service-token add-access ci7deploy0a1 connect_production_branch --database prod --for 2h --dry-run");
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("needs-approval (role db-admin requires 1 approval(s) from role:db-admin;", dryRun.Output, StringComparison.Ordinal);

        var filed = await shell.RunCommandAsync("service-token add-access ci7deploy0a1 connect_production_branch --database prod --for 2h --reason \"INC-1 replica lag\"");
        Assert.True(filed.ExitCode == 0, filed.Errors);
        var requestId = RequestId().Match(filed.Output).Value;
        Assert.StartsWith($"Request {requestId} filed", filed.Output, StringComparison.Ordinal);

        // A new process: the request is still there, and its requester cannot approve it.
        var later = await shell.RunPipedAsync($"access list --format csv\naccess approve {requestId}\nservice-token show-access ci7deploy0a1 --format json\n");
        Assert.Equal(2, later.ExitCode);
        Assert.Contains($"request,{requestId},pending 0/1,ci,acme,ci7deploy0a1,prod,connect_production_branch,", later.Output, StringComparison.Ordinal);
        Assert.Contains($"You can't approve your own request {requestId}.", later.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("\"connect_production_branch\"", later.Output, StringComparison.Ordinal);

        var glass = await shell.RunCommandAsync("service-token add-access ci7deploy0a1 connect_production_branch --database prod --for 1h --break-glass --reason \"INC-2 primary down\"");
        Assert.True(glass.ExitCode == 0, glass.Errors);
        var grantId = GrantId().Match(glass.Output).Value;
        Assert.StartsWith($"BREAK-GLASS: Granted {grantId}", glass.Output, StringComparison.Ordinal);

        var revoked = await shell.RunPipedAsync($"service-token show-access ci7deploy0a1 --format json\naccess revoke {grantId}\nservice-token show-access ci7deploy0a1 --format json\naudit --limit 100 --format csv\n");
        Assert.True(revoked.ExitCode == 0, revoked.Errors);
        var parts = revoked.Output.Split($"Grant {grantId} revoked", StringSplitOptions.None);
        Assert.Equal(2, parts.Length);
        Assert.Contains("\"connect_production_branch\"", parts[0], StringComparison.Ordinal);
        var afterRevoke = parts[1][..parts[1].IndexOf("Time,Platform", StringComparison.Ordinal)];
        Assert.DoesNotContain("\"connect_production_branch\"", afterRevoke, StringComparison.Ordinal);
        Assert.Contains(",access-requested,", parts[1], StringComparison.Ordinal);
        Assert.Contains(",access-break-glass,", parts[1], StringComparison.Ordinal);
        Assert.Contains(",access-revoked,", parts[1], StringComparison.Ordinal);
    }

    [GeneratedRegex("r-[a-z0-9]{4,}")]
    private static partial Regex RequestId();

    [GeneratedRegex("g-[a-z0-9]{4,}")]
    private static partial Regex GrantId();
}
