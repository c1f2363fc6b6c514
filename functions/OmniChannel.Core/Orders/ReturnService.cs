using OmniChannel.Core.Events;
using OmniChannel.Core.Customers;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Insights;
using OmniChannel.Core.Inventory;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// An online order returned in store. The return is recorded on the order first, pending (an ETag-guarded write that
/// also checks the units against what the order had less its earlier returns), then the units go back on hand at the
/// store that took them — as an <c>omni.inventory.adjusted</c> movement through <see cref="InventoryUpdater"/>, whose
/// store ledger moves it once however often it is applied — then the returned lines are refunded under an id derived
/// from the return's (the payment port is idempotent by it), and last the return is marked completed. A crash between
/// any two steps leaves a pending return that a repeated request (same id) finishes; a completed one answers as before.
/// The customer's 360 shows the return (idempotent, before the completion, so a repeat after a crash adds it) and the
/// insights count it when it completes (a counter is a side matter: a crash right after the completion loses one count).
/// </summary>
public sealed class ReturnService(
    IOrderStore orders,
    IStoreDirectory stores,
    InventoryUpdater inventory,
    IPaymentGateway payments,
    CustomerJourney journey,
    InsightsCounters counters,
    TimeProvider clock)
{
    /// <summary>Where the stock movements of returns come from (their event key is the order and return id scoped by it).</summary>
    public const string MovementSource = "/api/stores/returns";

    private const int ConflictRetries = 20;

    /// <summary>The refund of a return: one per return id, so a retry refunds once.</summary>
    public static string RefundIdFor(string returnId) => $"{returnId}:return";

    public async Task<ReturnOutcome> ReturnAsync(string storeId, ReturnRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await stores.GetAsync(storeId, cancellationToken) is null)
        {
            return new ReturnOutcome.UnknownStore(storeId);
        }

        var wanted = request.Lines
            .GroupBy(line => line.Sku, StringComparer.Ordinal)
            .Select(group => new ReturnRequestLine(group.Key, group.Sum(line => line.Quantity)))
            .OrderBy(line => line.Sku, StringComparer.Ordinal)
            .ToList();
        var recorded = await RecordAsync(storeId, request, wanted, cancellationToken);
        if (recorded is not ReturnOutcome.Returned { Return: { Status: ReturnStatus.Pending } pending } returned)
        {
            return recorded;
        }

        await inventory.ApplyAsync(Movements(request.OrderId, pending), newlyStored: null, cancellationToken);
        if (pending.AmountRefunded > 0)
        {
            // The refund names the order's payment at the payment service.
            var paymentReference = (await orders.GetAsync(request.OrderId, cancellationToken))?.Value.PaymentReference;
            await payments.RefundAsync(RefundIdFor(pending.Id), request.OrderId, paymentReference, pending.AmountRefunded, RefundReason(pending), cancellationToken);
        }

        await journey.RecordReturnAsync(returned.CustomerId, request.OrderId, pending, cancellationToken);
        var (completed, justNow) = await CompleteAsync(request.OrderId, pending.Id, cancellationToken);
        if (justNow)
        {
            await counters.OrderReturnedAsync(completed, completed.CompletedAt ?? clock.GetUtcNow(), cancellationToken);
        }

        return new ReturnOutcome.Returned(request.OrderId, completed, returned.CustomerId);
    }

    /// <summary>Finds the return under its id, or checks and records it pending; on a lost race, reads again.</summary>
    private async Task<ReturnOutcome> RecordAsync(string storeId, ReturnRequest request, List<ReturnRequestLine> wanted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await orders.GetAsync(request.OrderId, cancellationToken);
            if (stored is null)
            {
                return new ReturnOutcome.UnknownOrder(request.OrderId);
            }

            var order = stored.Value;
            if (order.Returns.Find(existing => existing.Id == request.ReturnId) is { } earlier)
            {
                return Same(earlier, storeId, wanted)
                    ? new ReturnOutcome.Returned(order.Id, earlier, order.CustomerId)
                    : new ReturnOutcome.IdTaken(order.Id, request.ReturnId);
            }

            if (order.Status != OrderStatus.Collected)
            {
                return new ReturnOutcome.NotCollected(order.Id, order.Status);
            }

            var excess = Excess(order, wanted);
            if (excess.Count > 0)
            {
                return new ReturnOutcome.TooMany(order.Id, excess);
            }

            var now = clock.GetUtcNow();
            var record = new OrderReturn
            {
                Id = request.ReturnId,
                StoreId = storeId,
                Lines = wanted.Select(line => new ReturnLine(line.Sku, line.Quantity, ValueOf(order, line))).ToList(),
                Reason = request.Reason,
                Status = ReturnStatus.Pending,
                RecordedAt = now,
            };
            order.Returns.Add(record);
            order.UpdatedAt = now;
            try
            {
                await orders.SaveAsync(order, stored.ETag, cancellationToken);
                return new ReturnOutcome.Returned(order.Id, record, order.CustomerId);
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // Another return of this order (or erasure) wrote it first: read again and count its returns too.
            }
        }
    }

    /// <summary>Marks the return completed; answers it and whether this call completed it (false: it already was).</summary>
    private async Task<(OrderReturn Record, bool JustNow)> CompleteAsync(string orderId, string returnId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await orders.GetAsync(orderId, cancellationToken)
                         ?? throw new InvalidOperationException($"Order '{orderId}' vanished while its return '{returnId}' was completed.");
            var record = stored.Value.Returns.Find(existing => existing.Id == returnId)
                         ?? throw new InvalidOperationException($"Return '{returnId}' of order '{orderId}' vanished while it was completed.");
            if (record.Status == ReturnStatus.Completed)
            {
                return (record, false);
            }

            var now = clock.GetUtcNow();
            record.Status = ReturnStatus.Completed;
            record.CompletedAt = now;
            stored.Value.UpdatedAt = now;
            try
            {
                await orders.SaveAsync(stored.Value, stored.ETag, cancellationToken);
                return (record, true);
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // Another return of the order was recorded meanwhile: read again.
            }
        }
    }

    private static bool Same(OrderReturn earlier, string storeId, List<ReturnRequestLine> wanted) =>
        string.Equals(earlier.StoreId, storeId, StringComparison.Ordinal)
        && earlier.Lines.Select(line => (line.Sku, line.Quantity)).SequenceEqual(wanted.Select(line => (line.Sku, line.Quantity)));

    /// <summary>Per SKU asked back: handed over (a partial pick's picked units and substitutes, under their own SKU), less every earlier return of it (pending ones too: their units are on their way).</summary>
    private static List<ReturnExcess> Excess(PickupOrder order, List<ReturnRequestLine> wanted)
    {
        var excess = new List<ReturnExcess>();
        foreach (var line in wanted)
        {
            var bought = OrderPick.HandedOver(order).Where(bought => bought.Sku == line.Sku).Sum(bought => bought.Quantity);
            var returned = order.Returns.SelectMany(earlier => earlier.Lines).Where(earlier => earlier.Sku == line.Sku).Sum(earlier => earlier.Quantity);
            var returnable = Math.Max(0, bought - returned);
            if (line.Quantity > returnable)
            {
                excess.Add(new ReturnExcess(line.Sku, line.Quantity, returnable));
            }
        }

        return excess;
    }

    /// <summary>What the customer paid for these units: the SKU's average unit price on the order, to the cent.</summary>
    private static decimal ValueOf(PickupOrder order, ReturnRequestLine line)
    {
        var bought = OrderPick.HandedOver(order).Where(orderLine => orderLine.Sku == line.Sku).ToList();
        var units = bought.Sum(orderLine => orderLine.Quantity);
        var paid = bought.Sum(orderLine => orderLine.Price * orderLine.Quantity);
        return units == 0 ? 0m : decimal.Round(paid * line.Quantity / units, 2, MidpointRounding.AwayFromZero);
    }

    private static string RefundReason(OrderReturn record) =>
        record.Reason is { Length: > 0 } reason ? $"returned in store {record.StoreId}: {reason}" : $"returned in store {record.StoreId}";

    /// <summary>One <c>omni.inventory.adjusted</c> per SKU, all under the return's key: the store's ledger holds one entry per key and SKU.</summary>
    private static List<OmniEvent> Movements(string orderId, OrderReturn record) => record.Lines
        .Select(line => new OmniEvent(
            $"{orderId}/{record.Id}",
            MovementSource,
            EventTypes.InventoryAdjusted,
            record.RecordedAt,
            Channels.Pos,
            new IdentitySet(null, null, null, null),
            record.StoreId,
            new InventoryAdjusted(record.StoreId, line.Sku, line.Quantity, "return"),
            default))
        .ToList();
}
