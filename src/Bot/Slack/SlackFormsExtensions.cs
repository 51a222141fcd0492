using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Events;
using PscaleBot.Bot.Slack.Files;
using PscaleBot.Bot.Slack.Forms;
using PscaleBot.Bot.Slack.Home;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Slack;

/// <summary>Composition of the access request form, the shortcut, the Events API, App Home and file answers.</summary>
public static class SlackFormsExtensions
{
    /// <summary>The named HttpClient that uploads file bytes to the URL Slack hands out.</summary>
    public const string UploadClientName = "slack-file-upload";

    /// <summary>Registers the form, its suggestions and submission, App Home and its refresh, events and file uploads.</summary>
    public static IServiceCollection AddSlackForms(this IServiceCollection services)
    {
        services.TryAddSingleton<SlackCallers>();
        services.TryAddScoped<SlackAccessForm>();
        services.TryAddScoped<SlackAccessFormSubmission>();
        services.TryAddScoped<SlackFormInteractions>();
        services.TryAddScoped<SlackEventHandler>();
        services.TryAddSingleton<SlackHomeAudience>();
        services.TryAddScoped<SlackHomePublisher>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAccessNotifier, SlackHomeRefresher>());
        services.TryAddSingleton<SlackDirectMessageChannels>();
        services.AddHttpClient<SlackFileUploader>(UploadClientName);
        return services;
    }
}
