namespace PscaleBot.Sandbox.Tests;

public sealed class SandboxProgramTests
{
    [Fact]
    public async Task UnusableSettingsExitWithCode2BeforeListening()
    {
        var exitCode = await SandboxProgram.Main(["--port", "70000", "--in-memory"]);
        Assert.Equal(2, exitCode);
    }

    [Fact]
    public void TheDefaultStatePathIsAFileNamedStateJson()
    {
        Assert.Equal("state.json", Path.GetFileName(SandboxOptions.DefaultStatePath));
        Assert.Contains("sandbox", SandboxOptions.DefaultStatePath, StringComparison.Ordinal);
    }
}
