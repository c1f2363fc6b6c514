using System.Globalization;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Identity;

namespace OmniChannel.Api;

/// <summary>The Customer 360, the customer's cross-channel timeline, and the audit of merges (with undo).</summary>
public sealed class CustomersApi(CustomerQueries queries, MergeUndo mergeUndo)
{
    /// <summary>The merges recorded on the person's profile, the identifiers the identity rules kept out, and those kept apart by an undo.</summary>
    public async Task<IResult> GetMergesAsync(string id, CancellationToken cancellationToken) =>
        await queries.FindProfileAsync(id, cancellationToken) is { } profile
            ? TypedResults.Ok(new CustomerMerges(profile.Id, profile.Merges, profile.IdentityDecisions, profile.KeptApart))
            : Problems.NotFound($"Customer '{id}'");

    public async Task<IResult> UndoMergeAsync(string id, string mergeId, CancellationToken cancellationToken)
    {
        var (status, result) = await mergeUndo.UndoAsync(queries.IdentityOf(id), mergeId, cancellationToken);
        return status switch
        {
            MergeUndoStatus.Undone => TypedResults.Ok(result),
            MergeUndoStatus.AlreadyUndone => TypedResults.Ok(new MergeAlreadyUndone(mergeId, AlreadyUndone: true)),
            MergeUndoStatus.UnknownMerge => Problems.NotFound($"Merge '{mergeId}' of customer '{id}'"),
            _ => Problems.NotFound($"Customer '{id}'"),
        };
    }

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
        return TypedResults.Ok(new CustomerTimeline(page.ProfileId, page.Events, page.Continuation, next));
    }
}

/// <summary>A page of a customer's timeline; <c>next</c> is the address of the following page, when there is one.</summary>
public sealed record CustomerTimeline(string ProfileId, IReadOnlyList<Core.Ports.TimelineEntry> Events, string? Continuation, string? Next);

/// <summary>The answer of undoing a merge that was undone before: nothing changed.</summary>
public sealed record MergeAlreadyUndone(string MergeId, bool AlreadyUndone);
