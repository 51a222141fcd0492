namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>
/// PlanetScale's page-based list envelope. Every field but <see cref="Data"/> is optional because older
/// answers carry only <c>type</c>, <c>next_page</c>, <c>prev_page</c> and <c>data</c>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Type">Always <c>list</c>.</param>
/// <param name="CurrentPage">The page this answer holds (1-based).</param>
/// <param name="PerPage">The page size used.</param>
/// <param name="NextPage">The next page number, or null on the last page.</param>
/// <param name="NextPageUrl">The next page's URL, or null.</param>
/// <param name="PrevPage">The previous page number, or null.</param>
/// <param name="PrevPageUrl">The previous page's URL, or null.</param>
/// <param name="TotalCount">The number of items over all pages.</param>
/// <param name="TotalPages">The number of pages.</param>
/// <param name="Data">The items of this page; null only in a malformed answer.</param>
public sealed record PlanetScaleList<T>(
    string? Type,
    int? CurrentPage,
    int? PerPage,
    int? NextPage,
    string? NextPageUrl,
    int? PrevPage,
    string? PrevPageUrl,
    int? TotalCount,
    int? TotalPages,
    IReadOnlyList<T>? Data);
