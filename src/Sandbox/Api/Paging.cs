using System.Globalization;

namespace PscaleBot.Sandbox.Api;

/// <summary>Page-based pagination: <c>page</c> (default 1) and <c>per_page</c> (default 25, at most 100).</summary>
internal readonly record struct Paging(int Page, int PerPage)
{
    /// <summary>Default page size.</summary>
    public const int DefaultPerPage = 25;
    /// <summary>Largest page size; bigger requests are clamped to it.</summary>
    public const int MaxPerPage = 100;

    /// <summary>Reads the query; a non-numeric or non-positive value gives a 400 naming the parameter.</summary>
    public static bool TryRead(HttpRequest request, out Paging paging, out IResult? error)
    {
        paging = default;
        error = null;
        if (!TryInt(request, "page", 1, out var page) || page < 1)
        {
            error = ApiError.BadRequest("page must be a whole number of 1 or more.");
            return false;
        }

        if (!TryInt(request, "per_page", DefaultPerPage, out var perPage) || perPage < 1)
        {
            error = ApiError.BadRequest($"per_page must be a whole number between 1 and {MaxPerPage}.");
            return false;
        }

        paging = new Paging(page, Math.Min(perPage, MaxPerPage));
        return true;
    }

    /// <summary>Cuts one page out of <paramref name="all"/> and wraps it in the list envelope.</summary>
    public ListEnvelope<T> Envelope<T>(HttpRequest request, IReadOnlyList<T> all)
    {
        var totalPages = (all.Count + PerPage - 1) / PerPage;
        var data = all.Skip((Page - 1) * PerPage).Take(PerPage).ToList();
        int? next = Page < totalPages ? Page + 1 : null;
        int? prev = Page > 1 ? Math.Min(Page - 1, Math.Max(totalPages, 1)) : null;
        return new ListEnvelope<T>("list", Page, PerPage, next, UrlFor(request, next), prev, UrlFor(request, prev), all.Count, totalPages, data);
    }

    /// <summary>A one-page envelope holding everything (for the un-paginated access endpoints).</summary>
    public static ListEnvelope<T> Single<T>(IReadOnlyList<T> all) =>
        new("list", 1, Math.Max(all.Count, DefaultPerPage), null, null, null, null, all.Count, all.Count == 0 ? 0 : 1, all);

    private string? UrlFor(HttpRequest request, int? page) => page is { } p
        ? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?page={p.ToString(CultureInfo.InvariantCulture)}&per_page={PerPage.ToString(CultureInfo.InvariantCulture)}"
        : null;

    private static bool TryInt(HttpRequest request, string name, int fallback, out int value)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length == 0)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
