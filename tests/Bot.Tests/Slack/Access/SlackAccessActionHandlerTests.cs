using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Slack.Access;

/// <summary>Answers access commands as the workflow would, and records what it was asked.</summary>
public sealed class RecordingAccessPipeline : ICommandPipeline
{
    public ConcurrentQueue<ChatRequest> Requests { get; } = new();

    public Func<ChatRequest, CommandResponse> Answer { get; set; } = r =>
        new([new MessageResult($"Done: {r.Text}", MessageTone.Success)], OutputFormat.Human, ResponseVisibility.Private, Announcement: "boss approved r-7kq2 <!channel>");

    public Task<PreparedCommand> PrepareAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var parse = new ParseOutcome(new AccessListCommand(CommonOptions.Default), null, request.Text, false);
        return Task.FromResult(new PreparedCommand(request, parse, "acme", new PolicyDecision.Allowed(["approver"]), null));
    }

    public Task<CommandResponse> ExecuteAsync(PreparedCommand prepared, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(prepared.Request));
}

public sealed class SlackAccessActionHandlerTests : IAsyncLifetime
{
    private readonly RecordingAccessPipeline pipeline = new();
    private FakeSlackServer slack = null!;
    private SlackTestHost host = null!;
    private HttpClient client = null!;
    private int clicks;

    public async Task InitializeAsync()
    {
        slack = await FakeSlackServer.StartAsync();
        var store = Path.Combine(Directory.CreateTempSubdirectory("slack-actions-").FullName, "access.db");
        host = new SlackTestHost(slack, new() { ["AccessRequests:StorePath"] = store }, s =>
        {
            s.RemoveAll<ICommandPipeline>();
            s.AddSingleton<ICommandPipeline>(pipeline);
        });
        client = host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await slack.DisposeAsync();
    }

    private async Task<HttpResponseMessage> ClickAsync(string actionId, string value, string user = "U0BOSS", string channel = "C0ADMINS", string responseId = "a1")
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0TEAM" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = "boss" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000001", ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "db-admins" },
            ["response_url"] = slack.ResponseUrl(responseId),
            ["trigger_id"] = $"t.{Interlocked.Increment(ref clicks)}",
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "access:r-7kq2:v0", ["value"] = value,
                ["action_ts"] = $"1700000001.{clicks:000000}",
            }),
        };
        return await client.SendAsync(SlackSigner.SignedPost("/slack/interactions", SlackSigner.Form(("payload", payload.ToJsonString()))));
    }

    [Theory]
    [InlineData(AccessActionIds.Approve, "r-7kq2", "access approve r-7kq2")]
    [InlineData(AccessActionIds.Deny, "r-7kq2", "access deny r-7kq2")]
    [InlineData(AccessActionIds.Extend, "g-9mzt", "access extend g-9mzt --for 1h")]
    [InlineData(AccessActionIds.Revoke, "g-9mzt", "access revoke g-9mzt")]
    public async Task A_click_runs_the_typed_command_as_the_clicker_in_the_place_of_the_click(string actionId, string value, string typed)
    {
        var ack = await ClickAsync(actionId, value);

        Assert.Equal(System.Net.HttpStatusCode.OK, ack.StatusCode);
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 1, "the clicker answered");
        var request = Assert.Single(pipeline.Requests);
        Assert.Equal(typed, request.Text);
        Assert.Equal("slack:user:U0BOSS", request.Caller.UserId);
        Assert.Equal(ChatPlatform.Slack, request.Caller.Platform);
        Assert.Equal(["slack:channel:C0ADMINS"], request.Place.Ids);
    }

    [Fact]
    public async Task The_answer_goes_privately_to_the_clicker_without_touching_the_message_or_announcing()
    {
        await ClickAsync(AccessActionIds.Approve, "r-7kq2");

        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count >= 1, "the clicker answered");
        var (_, body) = Assert.Single(slack.ResponseUrlPosts);
        Assert.Equal("ephemeral", (string?)body["response_type"]);
        Assert.False((bool)body["replace_original"]!);
        Assert.Contains("Done: access approve r-7kq2", body.Raw());
        Assert.DoesNotContain("<!channel>", body.Raw());
        Assert.Empty(slack.Calls("chat.update"));
        Assert.Empty(slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task A_refusal_from_the_workflow_reaches_only_the_clicker()
    {
        pipeline.Answer = r => new([new ErrorResult("You may not approve r-7kq2 here.", "Ask an approver.", null, ErrorCategory.Denied)], OutputFormat.Human, ResponseVisibility.Private);

        await ClickAsync(AccessActionIds.Approve, "r-7kq2", user: "U0MALLORY");

        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count >= 1, "the clicker answered");
        var (_, body) = Assert.Single(slack.ResponseUrlPosts);
        Assert.Equal("ephemeral", (string?)body["response_type"]);
        Assert.Contains("You may not approve r-7kq2 here.", body.Raw());
        Assert.Empty(slack.Calls("chat.update"));
    }

    [Theory]
    [InlineData(AccessActionIds.Approve, "r-7kq2 --for 99h")]
    [InlineData(AccessActionIds.Approve, "g-9mzt")]
    [InlineData(AccessActionIds.Extend, "r-7kq2")]
    [InlineData("pscale.access.nuke", "r-7kq2")]
    public async Task A_click_with_an_unexpected_value_or_action_runs_nothing(string actionId, string value)
    {
        await ClickAsync(actionId, value);

        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count >= 1, "the clicker answered");
        Assert.Empty(pipeline.Requests);
        Assert.Contains("nothing was done", slack.ResponseUrlPosts.Single().Body.Raw());
    }

    [Fact]
    public async Task Clicks_by_two_approvers_both_reach_the_workflow_which_decides_who_settles()
    {
        await ClickAsync(AccessActionIds.Approve, "r-7kq2", responseId: "a1");
        await ClickAsync(AccessActionIds.Approve, "r-7kq2", user: "U0BOSS2", responseId: "a2");

        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 2, "both clickers answered");
        Assert.Equal(["slack:user:U0BOSS", "slack:user:U0BOSS2"], pipeline.Requests.Select(r => r.Caller.UserId).Order());
    }
}
