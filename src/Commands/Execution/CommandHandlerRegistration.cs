using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Execution;

/// <summary>Registers <see cref="ICommandHandler{TCommand}"/>s under their route key (<see cref="CommandRoutes.KeyOf"/>).</summary>
public static class CommandHandlerRegistration
{
    /// <summary>
    /// Registers <typeparamref name="THandler"/> for <typeparamref name="TCommand"/> (key: the command type, or
    /// <paramref name="key"/>) unless a handler is already registered under that key.
    /// </summary>
    public static IServiceCollection TryAddCommandHandler<TCommand, THandler>(
        this IServiceCollection services, ServiceLifetime lifetime = ServiceLifetime.Transient, object? key = null)
        where TCommand : BotCommand
        where THandler : class, ICommandHandler<TCommand>
    {
        var routeKey = key ?? typeof(TCommand);
        if (!services.Any(d => d.IsKeyedService && d.ServiceType == typeof(ICommandRoute) && Equals(d.ServiceKey, routeKey)))
        {
            Add<TCommand, THandler>(services, lifetime, routeKey);
        }

        return services;
    }

    /// <summary>Registers <typeparamref name="THandler"/> for <typeparamref name="TCommand"/>, replacing whatever was registered under its key.</summary>
    public static IServiceCollection ReplaceCommandHandler<TCommand, THandler>(
        this IServiceCollection services, ServiceLifetime lifetime = ServiceLifetime.Transient, object? key = null)
        where TCommand : BotCommand
        where THandler : class, ICommandHandler<TCommand>
    {
        var routeKey = key ?? typeof(TCommand);
        services.RemoveAllKeyed<ICommandRoute>(routeKey);
        Add<TCommand, THandler>(services, lifetime, routeKey);
        return services;
    }

    private static void Add<TCommand, THandler>(IServiceCollection services, ServiceLifetime lifetime, object routeKey)
        where TCommand : BotCommand
        where THandler : class, ICommandHandler<TCommand>
    {
        services.TryAdd(new ServiceDescriptor(typeof(THandler), typeof(THandler), lifetime));
        services.Add(new ServiceDescriptor(
            typeof(ICommandRoute),
            routeKey,
            (provider, _) => new CommandRoute<TCommand>(provider.GetRequiredService<THandler>()),
            lifetime));
    }
}

// A registered handler seen without its command type, so CommandHandlers can run it without reflection.
internal interface ICommandRoute
{
    Task<ExecutionOutcome> RunAsync(BotCommand command, CommandContext context, CancellationToken cancellationToken);
}

internal sealed class CommandRoute<TCommand>(ICommandHandler<TCommand> handler) : ICommandRoute
    where TCommand : BotCommand
{
    public Task<ExecutionOutcome> RunAsync(BotCommand command, CommandContext context, CancellationToken cancellationToken) =>
        handler.HandleAsync((TCommand)command, context, cancellationToken);
}
