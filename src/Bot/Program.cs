using PscaleBot.Bot.Access;
using PscaleBot.Bot.AuditExport;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.Shell;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Work;

if (ShellProgram.IsShell(args))
{
    return await ShellProgram.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Resolve() });
builder.AddSocketTransport();
builder.AddEmbeddedSandbox(whenNoCredentials: false);
builder.AddCommandCore();
builder.AddAuditExport();
builder.AddBackgroundWork();
builder.AddSlack();
builder.AddTeams();
builder.AddAccessRequests();
builder.AddHealth();
builder.AddTelemetry();

var app = builder.Build();
if (StartupProblems.HostedByTheBot && await StartupProblems.FindAsync(app.Services) is { Count: > 0 } problems)
{
    return await StartupProblems.ReportAsync(problems, Console.Error);
}

app.MapHealth();
app.MapSlack();
app.MapTeams();
app.MapAccessRequests();
await app.RunAsync();
return 0;

/// <summary>The server entry point (public so functional tests can host it).</summary>
public partial class Program;
