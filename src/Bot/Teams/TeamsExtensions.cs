using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Teams.Access;
using PscaleBot.Bot.Teams.Auth;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Dialogs;
using PscaleBot.Bot.Teams.Identity;
using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Bot.Teams.Outbound;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Bot.Teams.Webhook;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Teams;

/// <summary>Composition of the Teams Bot Framework endpoint and outgoing webhook.</summary>
public static partial class TeamsExtensions
{
    /// <summary>Registers the Teams Bot Framework endpoint and outgoing webhook (both off unless configured).</summary>
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TeamsOptions>()
            .Bind(builder.Configuration.GetSection(TeamsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsDevelopmentModeValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(OpenIdMetadataSource.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<OpenIdMetadataSource>();
        services.TryAddSingleton<BotFrameworkTokenValidator>();
        services.TryAddSingleton<TeamsRequestAuthenticator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITenantAllowList, TeamsTenantAllowList>());
        services.AddChatLayer();
        services.TryAddSingleton<RepeatedRequestAnswers>();
        services.TryAddSingleton<ServiceUrlPolicy>();
        services.TryAddSingleton<IBotConnectorTokenSource, MsalBotConnectorTokenSource>();
        services.AddBotConnectorClient();
        services.AddEntraGroups(builder.Configuration);

        services.TryAddScoped(sp => new TeamsResultRenderer(
            sp.GetService<ITextResultRenderer>(), sp.GetRequiredService<IOptions<TeamsOptions>>().Value.PlainText, sp.GetService<TimeProvider>()));
        services.TryAddScoped<TeamsCardActionRouter>();
        services.TryAddScoped<TeamsResponseDelivery>();
        services.TryAddScoped<IChatReplyTransport<ConversationReference>>(sp => sp.GetRequiredService<TeamsResponseDelivery>());
        services.TryAddScoped<TeamsMessageTurn>();
        services.TryAddScoped<TeamsWelcome>();
        services.TryAddScoped<TeamsActivityEndpoint>();
        services.TryAddScoped<OutgoingWebhookEndpoint>();
        services.TryAddScoped<TeamsSubmitTurn>();
        services.TryAddScoped<TeamsMenuCommands>();
        services.AddTeamsDialogs();
        AddTeamsAccessRequests(services);
        return builder;
    }

    /// <summary>
    /// The Teams side of access requests: approval cards and private notices (<see cref="IAccessNotifier"/>), and
    /// the Approve/Deny/Extend/Revoke buttons (<see cref="ITeamsCardActionHandler"/>), and requesters' emails for
    /// PagerDuty/Opsgenie on-call matching (<see cref="IChatEmailDirectory"/>). Inert until
    /// <c>AddAccessRequests()</c> sends notices and the pipeline runs <c>access …</c> commands.
    /// </summary>
    private static void AddTeamsAccessRequests(IServiceCollection services)
    {
        services.AddTeamsStores();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAccessNotifier, TeamsAccessNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ITeamsCardActionHandler, TeamsAccessActionHandler>());
        services.TryAddScoped<ApproverMris>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ITeamsCardActionHandler, ApprovalCardRefreshHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ITeamsCardActionHandler, MyAccessRefreshHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatEmailDirectory, TeamsChatEmailDirectory>());
    }

    /// <summary>Maps <c>/api/messages</c> (POST and HEAD) when <c>Teams:Enabled</c>, and <c>/teams/webhook</c> when <c>Teams:Webhook:Enabled</c>.</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder endpoints)
    {
        var settings = endpoints.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TeamsExtensions).FullName!);
        if (settings.Enabled)
        {
            endpoints.MapPost("/api/messages", (HttpContext http, TeamsActivityEndpoint endpoint) => endpoint.HandleAsync(http));

            // The Agents Playground probes the endpoint with HEAD before it starts.
            endpoints.MapMethods("/api/messages", [HttpMethods.Head], () => Results.Ok());
            if (settings.DevelopmentModeActive)
            {
                LogDevelopmentMode(logger);
            }
        }

        if (settings.Webhook.Enabled)
        {
            endpoints.MapPost("/teams/webhook", (HttpContext http, OutgoingWebhookEndpoint endpoint) => endpoint.HandleAsync(http));
        }

        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams:AllowUnauthenticatedLoopback is on: /api/messages accepts unauthenticated requests from loopback (Agents Playground development mode). Never enable this in production.")]
    private static partial void LogDevelopmentMode(ILogger logger);
}
