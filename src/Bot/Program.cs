using Microsoft.Extensions.Options;
using PscaleBot.Bot.Access;
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
builder.AddEmbeddedSandbox(whenNoCredentials: false);
builder.AddCommandCore();
builder.AddBackgroundWork();
builder.AddSlack();
builder.AddTeams();
builder.AddAccessRequests();
builder.AddHealth();

var app = builder.Build();
app.MapHealth();
app.MapSlack();
app.MapTeams();
app.MapAccessRequests();
try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex) when (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // A configuration mistake: the messages name the settings; a stack trace would only hide them. When a
    // tool hosts Program in its own process (functional tests), the exception is its to see.
    await Console.Error.WriteLineAsync("pscale-bot cannot start: " + string.Join(Environment.NewLine, ex.Failures));
    return 1;
}

/// <summary>The server entry point (public so functional tests can host it).</summary>
public partial class Program;
