using System.Globalization;
using Microsoft.AspNetCore.Http;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Prices;

namespace OmniChannel.Api;

/// <summary>
/// Price changes (admin): submit one, follow its fan-out, retry its failed subscribers; the subscriber registry
/// (admin); and the price in force for a SKU at a moment and store (channel).
/// </summary>
public sealed class PricesApi(PriceService prices, SubscriberAdmin subscribers, IStoreDirectory stores, TimeProvider clock)
{
    private const string ChangeShape = "changeId, effectiveAt, items [{sku, price, currency?}] and optionally scope (all, region:<code>, store:<id>)";
    private const string SubscriberShape = "kind (pos, web, app, signage, marketplace), scope (all, region:<code>, store:<id>), endpoint and optionally enabled";

    public async Task<IResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await RequestBodies.ReadObjectAsync(request, cancellationToken) is not { } body)
        {
            return Problems.MalformedBody(ChangeShape);
        }

        var (change, errors) = PriceRequests.ReadChange(body, clock.GetUtcNow());
        if (change is null)
        {
            return Problems.InvalidFields("Invalid price change", errors);
        }

        return await prices.SubmitAsync(change, cancellationToken) switch
        {
            SubmitOutcome.Accepted accepted => TypedResults.Accepted(StatusUrl(accepted.Change.Id), new PriceChangeAccepted(
                accepted.Change.Id, accepted.Change.Status, accepted.Change.EffectiveAt, accepted.Change.Scope, accepted.Change.Items,
                accepted.Repeated, StatusUrl(accepted.Change.Id))),
            SubmitOutcome.IdTaken taken => Problems.Conflict("Change id taken", $"Price change '{taken.ChangeId}' exists with different content; a change id names one change."),
            SubmitOutcome.UnknownScope unknown => Problems.InvalidParameter("scope", unknown.Reason),
            var other => throw new InvalidOperationException($"Unhandled outcome {other.GetType().Name}."),
        };
    }

    public async Task<IResult> PriceAsync(string sku, HttpRequest request, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        if (request.Query["at"].ToString() is { Length: > 0 } atText
            && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
        {
            return Problems.InvalidParameter("at", $"'{atText}' is not a time; use RFC 3339, e.g. 2026-12-01T06:00:00Z.");
        }

        Core.Stores.Store? store = null;
        if (request.Query["store"].ToString() is { Length: > 0 } storeId && (store = await stores.GetAsync(storeId, cancellationToken)) is null)
        {
            return Problems.InvalidParameter("store", $"Store '{storeId}' is not in the store directory.");
        }

        return await prices.PriceAtAsync(sku, at, store, cancellationToken) is { } answer
            ? TypedResults.Ok(answer)
            : Problems.NotFound($"A price for SKU '{sku}' in force at {at.UtcDateTime:u}{(store is null ? string.Empty : " at store " + store.Id)}");
    }

    public async Task<IResult> ReportAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        DeliveryState? only = null;
        if (request.Query["state"].ToString() is { Length: > 0 } stateText)
        {
            if (!Enum.TryParse<DeliveryState>(stateText, ignoreCase: true, out var state) || int.TryParse(stateText, out _))
            {
                return Problems.InvalidParameter("state", "'state' is pending, delivered or failed.");
            }

            only = state;
        }

        if (await prices.ReportAsync(id, cancellationToken) is not { } report)
        {
            return Problems.NotFound($"Price change '{id}'");
        }

        return TypedResults.Ok(new PriceChangeProgress(
            report.Change,
            report.WorkflowStatus,
            report.WorkflowVersion,
            report.Counts,
            report.Subscribers
                .Where(row => only is null || row.State == only)
                .Select(row => new SubscriberProgress(row.SubscriberId, row.State, row.Attempts, row.LastStatusCode, row.LastError, row.Permanent, row.UpdatedAt, row.DeliveredAt))
                .ToList()));
    }

    public async Task<IResult> RetryAsync(string id, CancellationToken cancellationToken) =>
        await prices.RetryFailedAsync(id, cancellationToken) switch
        {
            RetryOutcome.Started started => TypedResults.Accepted(StatusUrl(id), new PriceChangeRetry(id, started.Change.Runs, started.Subscribers, StatusUrl(id))),
            RetryOutcome.NotFound => Problems.NotFound($"Price change '{id}'"),
            RetryOutcome.StillDelivering => Problems.Conflict("Still delivering", $"Price change '{id}' is still being delivered; retry its failed subscribers when it has finished."),
            RetryOutcome.NothingFailed => Problems.Conflict("Nothing to retry", $"Every subscriber of price change '{id}' has it."),
            var other => throw new InvalidOperationException($"Unhandled outcome {other.GetType().Name}."),
        };

    public async Task<IResult> ListSubscribersAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscribers.ListAsync(cancellationToken));

    public async Task<IResult> GetSubscriberAsync(string id, CancellationToken cancellationToken) =>
        await subscribers.GetAsync(id, cancellationToken) is { } subscriber ? TypedResults.Ok(subscriber) : Problems.NotFound($"Subscriber '{id}'");

    public async Task<IResult> PutSubscriberAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await RequestBodies.ReadObjectAsync(request, cancellationToken) is not { } body)
        {
            return Problems.MalformedBody(SubscriberShape);
        }

        var (subscriberRequest, errors) = PriceRequests.ReadSubscriber(id, body);
        if (subscriberRequest is null)
        {
            return Problems.InvalidFields("Invalid subscriber", errors);
        }

        var (subscriber, secret) = await subscribers.PutAsync(subscriberRequest, cancellationToken);
        return secret is null
            ? TypedResults.Ok(subscriber)
            : TypedResults.Created($"/{ApiRoutes.Prefix}/prices/subscribers/{Uri.EscapeDataString(id)}", new SubscriberCreated(
                subscriber.Id, subscriber.Kind, subscriber.Scope, subscriber.Endpoint, subscriber.Enabled, subscriber.CreatedAt, secret));
    }

    public async Task<IResult> DeleteSubscriberAsync(string id, CancellationToken cancellationToken) =>
        await subscribers.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"Subscriber '{id}'");

    private static string StatusUrl(string changeId) => $"/{ApiRoutes.Prefix}/prices/changes/{Uri.EscapeDataString(changeId)}";
}

/// <summary>The 202 answer of a price change: what was accepted (again, when <c>repeated</c>) and where to follow it.</summary>
public sealed record PriceChangeAccepted(
    string ChangeId, PriceChangeStatus Status, DateTimeOffset EffectiveAt, PriceScope Scope, IReadOnlyList<PriceItem> Items, bool Repeated, string StatusUrl);

/// <summary>The answer of <c>GET /api/prices/changes/{id}</c>: the change, its workflow and each subscriber's delivery.</summary>
public sealed record PriceChangeProgress(
    PriceChange Change, string? WorkflowStatus, string? WorkflowVersion, DeliveryCounts Counts, IReadOnlyList<SubscriberProgress> Subscribers);

/// <summary>One subscriber's delivery of a price change.</summary>
public sealed record SubscriberProgress(
    string SubscriberId, DeliveryState State, int Attempts, int? LastStatusCode, string? LastError, bool Permanent, DateTimeOffset UpdatedAt, DateTimeOffset? DeliveredAt);

/// <summary>The 202 answer of a retry: the change's run number and how many failed subscribers it retries.</summary>
public sealed record PriceChangeRetry(string ChangeId, int Run, int Subscribers, string StatusUrl);

/// <summary>
/// The 201 answer of registering a subscriber: the subscriber and its signing secret, answered this once (the
/// subscriber verifies deliveries with it, per Standard Webhooks).
/// </summary>
public sealed record SubscriberCreated(string Id, SubscriberKind Kind, PriceScope Scope, Uri Endpoint, bool Enabled, DateTimeOffset CreatedAt, string Secret);
