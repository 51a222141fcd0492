using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Tests.Execution;

public sealed class CommandAuditRecorderTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Records_the_redacted_text_and_scrubs_whatever_a_parser_missed()
    {
        var log = new InMemoryAuditLog();
        var recorder = new CommandAuditRecorder(log, time, new FakeLogger<CommandAuditRecorder>());
        var request = new ChatRequest(PipelineHarness.Alice, PipelineHarness.Admins, "raw text pscale_tkn_RAWSECRET1");
        // A parser that forgot to redact must still not get a secret into the store.
        var parse = new ParseOutcome(null, new ParseError("bad", "usage"), "redacted pscale_tkn_MISSED22", ExposedSecret: true);

        await recorder.RecordAsync(request, parse, "unparsed", "saw pscale_tkn_REASON333", "error: usage", ["req-9"], CancellationToken.None);

        var entry = (await log.RecentAsync(1, CancellationToken.None)).Single();
        Assert.Equal(
            new AuditEntry(time.GetUtcNow(), "slack", "slack:channel:CADMINS", "slack:user:UALICE", "redacted [REDACTED]", "unparsed",
                "saw [REDACTED]", "error: usage", entry.RequestIds),
            entry);
        Assert.Equal(["req-9"], entry.RequestIds);
    }

    [Fact]
    public async Task Cancellation_while_writing_propagates()
    {
        var recorder = new CommandAuditRecorder(new InMemoryAuditLog(), time, new FakeLogger<CommandAuditRecorder>());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var request = new ChatRequest(PipelineHarness.Alice, ChatPlace.Shell, "whoami");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.RecordAsync(
            request, new ParseOutcome(new WhoAmICommand(CommonOptions.Default), null, "whoami", false), "allowed", null, "ok", [], cancelled.Token));
    }
}
