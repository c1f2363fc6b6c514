using System.Globalization;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Customers;

namespace OmniChannel.Api;

/// <summary>The Customer 360 and the customer's cross-channel timeline.</summary>
public sealed class CustomersApi(CustomerQueries queries)
{
    public async Task<IResult> GetAsync(string id, CancellationToken cancellationToken) =>
        await queries.GetCustomerAsync(id, cancellationToken) is { } customer
            ? TypedResults.Ok(customer)
            : Problems.NotFound($"Customer '{id}'");

    public async Task<IResult> GetEventsAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = CustomerQueries.DefaultPageSize;
        var limitText = request.Query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > CustomerQueries.MaxPageSize))
        {
            return Problems.InvalidParameter("limit", $"'limit' must be a whole number from 1 to {CustomerQueries.MaxPageSize}.");
        }

        var continuation = request.Query["continuation"].ToString();
        TimelinePage? page;
        try
        {
            page = await queries.GetTimelineAsync(id, limit, continuation.Length == 0 ? null : continuation, cancellationToken);
        }
        catch (FormatException exception)
        {
            return Problems.InvalidParameter("continuation", exception.Message);
        }

        if (page is null)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        var next = page.Continuation is null
            ? null
            : $"{request.PathBase}{request.Path}?limit={limit}&continuation={Uri.EscapeDataString(page.Continuation)}";
        return TypedResults.Ok(new { page.ProfileId, page.Events, page.Continuation, next });
    }
}
