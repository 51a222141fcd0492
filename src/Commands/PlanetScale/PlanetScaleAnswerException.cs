namespace PscaleBot.Commands.PlanetScale;

/// <summary>A success answer that did not have the shape the bot relies on; the service words it as Malformed.</summary>
internal sealed class PlanetScaleAnswerException(string detail) : Exception(detail)
{
    /// <summary>What was wrong, for people.</summary>
    public string Detail { get; } = detail;
}
