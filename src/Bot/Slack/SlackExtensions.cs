using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Slack.Access;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Http;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Slack.SocketMode;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.Policy;
using Refit;

namespace PscaleBot.Bot.Slack;

/// <summary>Composition of Slack slash commands, interactions and Socket Mode.</summary>
public static class SlackExtensions
{
    /// <summary>The named HttpClient that posts to <c>response_url</c>s.</summary>
    public const string ResponseUrlClientName = "slack-response-url";

    /// <summary>
    /// Registers Slack slash commands, interactions and Socket Mode. Everything is registered; whether it
    /// runs is decided from <see cref="SlackOptions"/> at run time (<c>Slack:Enabled</c>, <c>Slack:Mode</c>),
    /// which are validated at start.
    /// </summary>
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SlackOptions>()
            .Bind(builder.Configuration.GetSection(SlackOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddMemoryCacheOnTimeProvider();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);

        services.AddRefitGeneratedClient<ISlackWebApi>(new RefitSettings(new SystemTextJsonContentSerializer(SlackJson.Options)))
            .ConfigureHttpClient((sp, http) =>
            {
                var baseUrl = sp.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl.ToString();
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl.TrimEnd('/') : baseUrl);
            })
            .AddSafeRetries("Slack", sp => SlackRetryRules.WebApi(sp.GetRequiredService<IOptions<SlackOptions>>().Value), sp => HttpTimeouts.OfAttempt(sp.GetRequiredService<IOptions<SlackOptions>>().Value.ApiTimeout));
        services.AddHttpClient<SlackResponseUrlClient>(ResponseUrlClientName)
            .AddSafeRetries("SlackResponseUrl", sp => SlackRetryRules.ResponseUrl(sp.GetRequiredService<IOptions<SlackOptions>>().Value), sp => HttpTimeouts.OfAttempt(sp.GetRequiredService<IOptions<SlackOptions>>().Value.ResponseUrlTimeout));

        services.AddSingleton<SlackApiClient>();
        services.AddSingleton<SlackSignatureVerifier>();
        services.AddSingleton<SlackWorkspaceAllowList>();
        services.AddSingleton<ITenantAllowList>(sp => sp.GetRequiredService<SlackWorkspaceAllowList>());
        services.AddSingleton<SlackWorkspaceGate>();
        services.AddChatLayer();
        services.AddSlackUserGroups();
        services.AddSingleton<SlackBlockKitRenderer>();
        services.AddSingleton<SlackReplyPlanner>();
        services.AddStartupWarmupStep<SlackAnswerWarmup>();
        services.AddStartupWarmupStep<SlackCommandPathWarmup>();
        services.AddTransient<SlackReplySender>();
        services.AddTransient<IChatReplyTransport<SlackReplyTarget>>(sp => sp.GetRequiredService<SlackReplySender>());
        services.AddScoped<SlackCommandHandler>();
        services.AddScoped<SlackInteractionHandler>();
        services.AddSlackAccessRequests();
        services.AddSlackForms();

        services.AddSingleton<SlackConnectionState>();
        services.AddHostedService<SlackSocketModeService>();
        services.AddHealthChecks().AddCheck<SlackSocketModeHealthCheck>("slack-socket-mode", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Registers access requests in Slack: the <see cref="IAccessNotifier"/> that posts requests with Approve / Deny
    /// to the approvers' channel and updates them when settled, the store of where each request was posted (a table
    /// in the access store's SQLite file, <c>AccessRequests:StorePath</c>, or in PostgreSQL by <c>Storage:Provider</c>), and the handler of the buttons.
    /// Called by <see cref="AddSlack"/>; the notifier does nothing while <c>Slack:Enabled</c> is false.
    /// </summary>
    public static IServiceCollection AddSlackAccessRequests(this IServiceCollection services)
    {
        services.TryAddSingleton(PostgresSlackAccessPostStore.ForProvider);
        services.MigrateAtStartup<ISlackAccessPostStore>($"{AccessRequestOptions.SectionName}:{nameof(AccessRequestOptions.StorePath)}");
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAccessNotifier, SlackAccessNotifier>());
        services.AddSlackBlockActionHandler<SlackAccessActionHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatEmailDirectory, SlackChatEmailDirectory>());
        return services;
    }

    /// <summary>Maps <c>POST /slack/commands</c> and <c>POST /slack/interactions</c> (404 unless Slack runs in HTTP mode).</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints) => endpoints.MapSlackHttp();
}
