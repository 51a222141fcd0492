using Microsoft.Extensions.Configuration;

namespace PscaleBot.Bot.Tests.Hosting;

/// <summary>The shipped appsettings.json keeps the production log to what an operator reads.</summary>
public sealed class ShippedLoggingSettingsTests
{
    [Theory]
    [InlineData("Npgsql")] // at Information it logs every SQL command: about 1,550 lines per replica in a 1,000-grant storm
    [InlineData("System.Net.Http.HttpClient")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Polly")]
    public void Chatty_libraries_log_warnings_and_errors_only(string category)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PscaleBot.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "appsettings.json"), optional: false).Build();

        Assert.Equal("Warning", settings[$"Logging:LogLevel:{category}"]);
    }
}
