namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>
/// An error answer. PlanetScale sends <c>{code,message}</c>; an invalid OAuth access token gets
/// <c>{error,error_description,state}</c> instead, so both shapes read into this one record.
/// </summary>
/// <param name="Code">E.g. <c>not_found</c>.</param>
/// <param name="Message">PlanetScale's text.</param>
/// <param name="Error">OAuth shape: e.g. <c>invalid_token</c>.</param>
/// <param name="ErrorDescription">OAuth shape: the text.</param>
/// <param name="State">OAuth shape: e.g. <c>unauthorized</c>.</param>
public sealed record PlanetScaleErrorBody(string? Code, string? Message, string? Error, string? ErrorDescription, string? State);
