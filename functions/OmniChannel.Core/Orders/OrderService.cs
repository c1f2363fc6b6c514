using System.Text.Json;
using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;

namespace OmniChannel.Core.Orders;

/// <summary>
/// Buy online, pick up in store: places orders (reserving stock first, or naming nearby stores that have it), starts
/// one <c>BopisFulfillment</c> orchestration per order, passes the store's and customer's actions to it, and reads
/// an order with its workflow's progress.
/// </summary>
public sealed class OrderService(
    ReservationService reservations,
    StoreFinder finder,
    IStoreDirectory stores,
    IOrderStore orders,
    IWorkflowClient workflows,
    IEventPublisher publisher,
    BopisOptions options,
    TimeProvider clock)
{
    private static readonly TimeSpan StartPollInterval = TimeSpan.FromMilliseconds(250);

    private static readonly JsonSerializerOptions ProgressJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>
    /// Places a validated <c>omni.order.placed</c> pickup order made through the API. The order is saved first, pending
    /// (<see cref="OrderStatus.Placed"/>), then its lines are held (all or nothing), then it is confirmed
    /// (<see cref="OrderStatus.Reserved"/>) or rejected: whichever step a crash interrupts, no unit is held without its
    /// order, and a repeat of the request finishes the job. Another order under a taken id reserves nothing.
    /// </summary>
    public async Task<PlaceOrderOutcome> PlaceAsync(OmniEvent orderEvent, CancellationToken cancellationToken)
    {
        var placed = (OrderPlaced)orderEvent.Payload;
        var customerId = orderEvent.Identities.CustomerId!;
        var storeId = placed.StoreId!;
        var existing = await orders.GetAsync(placed.OrderId, cancellationToken);
        var repeated = existing is not null;
        Stores.Store? store = null;
        if (existing is null || await PlaceableAgainAsync(existing.Value, customerId, placed, cancellationToken))
        {
            store = await stores.GetAsync(storeId, cancellationToken);
            if (store is null)
            {
                return new PlaceOrderOutcome.UnknownStore(storeId);
            }

            if (!store.BopisEnabled)
            {
                return new PlaceOrderOutcome.StoreWithoutPickup(store.Id, store.Name);
            }

            try
            {
                await orders.SaveAsync(NewOrder(placed, customerId, OrderStatus.Placed, "Reserving stock at the store."), existing?.ETag, cancellationToken);
            }
            catch (StorageConflictException)
            {
                // The same id arrived twice at once: the other request saved its order first; which one is read below.
            }

            existing = await orders.GetAsync(placed.OrderId, cancellationToken);
        }

        if (existing is null || !SameOrder(existing.Value, customerId, storeId, placed))
        {
            return new PlaceOrderOutcome.IdTaken(placed.OrderId);
        }

        return existing.Value.Status switch
        {
            OrderStatus.Placed => await ReserveAndConfirmAsync(existing, store, orderEvent, repeated, cancellationToken),
            OrderStatus.Rejected => await OutOfStockAsync(existing.Value, null, cancellationToken),
            _ => await RepeatedAsync(existing.Value, cancellationToken),
        };
    }

    /// <summary>
    /// Holds the pending order's lines and confirms it; on a shortage nothing stays held (the reservation releases what
    /// it took) and the order is rejected. A repeat after a crash at any step lands here again and changes only what is
    /// left to do: holds are per order id, so reserving twice holds once.
    /// </summary>
    private async Task<PlaceOrderOutcome> ReserveAndConfirmAsync(Stored<PickupOrder> pending, Stores.Store? store, OmniEvent orderEvent, bool repeated, CancellationToken cancellationToken)
    {
        var order = pending.Value;
        var reservation = await reservations.ReserveAsync(order.Id, order.StoreId, order.Lines, cancellationToken);
        order = await ConfirmAsync(pending, reservation.Reserved ? OrderStatus.Reserved : OrderStatus.Rejected,
            reservation.Reserved ? "Stock is held at the store." : "The store did not have every line when the order was placed.", cancellationToken);
        if (order.Status == OrderStatus.Rejected)
        {
            return await OutOfStockAsync(order, reservation.Reserved ? null : reservation.Shortages, cancellationToken);
        }

        // The workflow exists before the answer (so "picked" can reach it at once) and before the event (so ingest's
        // reaction to it finds the instance instead of racing to start a second one).
        await StartWorkflowAsync(order, store, cancellationToken);

        // The event keeps the Customer 360 and the timeline in step (journey: awaiting pickup).
        await publisher.PublishAsync([orderEvent], cancellationToken);
        return new PlaceOrderOutcome.Placed(order, repeated);
    }

    /// <summary>Moves the pending order on (ETag-guarded); when another request or its workflow moved it first, their word stands.</summary>
    private async Task<PickupOrder> ConfirmAsync(Stored<PickupOrder> pending, OrderStatus status, string reason, CancellationToken cancellationToken)
    {
        var order = pending.Value;
        (order.Status, order.StatusReason, order.UpdatedAt) = (status, reason, clock.GetUtcNow());
        try
        {
            await orders.SaveAsync(order, pending.ETag, cancellationToken);
            return order;
        }
        catch (StorageConflictException)
        {
            return (await orders.GetAsync(order.Id, cancellationToken))?.Value ?? order;
        }
    }

    private async Task<PlaceOrderOutcome> OutOfStockAsync(PickupOrder order, IReadOnlyList<StockShortage>? shortages, CancellationToken cancellationToken)
    {
        shortages ??= await reservations.ShortagesAsync(order.StoreId, order.Lines, cancellationToken);
        var alternatives = await finder.NearestWithStockAsync(order.StoreId, order.Lines, options.AlternativeStores, cancellationToken);
        return new PlaceOrderOutcome.OutOfStock(order.StoreId, shortages, alternatives);
    }

    /// <summary>
    /// Whether a request may place this id afresh: its order was rejected at placement (it holds nothing and no workflow
    /// ran), and the request is the same customer's same lines — at that store again, or at one the refusal suggested.
    /// </summary>
    private async Task<bool> PlaceableAgainAsync(PickupOrder existing, string customerId, OrderPlaced placed, CancellationToken cancellationToken) =>
        existing.Status == OrderStatus.Rejected
        && existing.CustomerId == customerId
        && existing.Lines.SequenceEqual(placed.Lines)
        && await workflows.GetAsync(existing.WorkflowInstanceId, cancellationToken) is null;

    /// <summary>
    /// The same order again (a client retry) after it was confirmed: answers it as placed and makes sure its workflow
    /// runs, in case the first request stopped between confirming the order and starting the workflow.
    /// </summary>
    private async Task<PlaceOrderOutcome> RepeatedAsync(PickupOrder existing, CancellationToken cancellationToken)
    {
        await StartWorkflowAsync(existing, store: null, cancellationToken);
        return new PlaceOrderOutcome.Placed(existing, Repeated: true);
    }

    /// <summary>
    /// Gives up a placement that stopped half-way and was never retried: the order is still placed or reserved, has no
    /// workflow and has not moved for <paramref name="stalledFor"/> (a placing request takes seconds), so the client
    /// was answered an error and nothing runs for it. The order is rejected first (ETag-guarded: a retry that moves it
    /// meanwhile wins), then its holds are released; the same request may place it again afterwards (a rejected order
    /// with no workflow is placeable again). Answers whether it gave the order up.
    /// </summary>
    public async Task<bool> GiveUpStalledPlacementAsync(string orderId, TimeSpan stalledFor, CancellationToken cancellationToken)
    {
        var stored = await orders.GetAsync(orderId, cancellationToken);
        if (stored is not { Value: { Status: OrderStatus.Placed or OrderStatus.Reserved } order }
            || clock.GetUtcNow() - order.UpdatedAt < stalledFor
            || await workflows.GetAsync(order.WorkflowInstanceId, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            (order.Status, order.StatusReason, order.UpdatedAt) = (OrderStatus.Rejected, "Placing the order did not finish; nothing is held for it.", clock.GetUtcNow());
            await orders.SaveAsync(order, stored.ETag, cancellationToken);
        }
        catch (StorageConflictException)
        {
            return false;
        }

        await reservations.ReleaseAsync(order.Id, order.StoreId, order.Lines, cancellationToken);
        return true;
    }

    /// <summary>
    /// Starts the workflow for a pickup order that arrived as an event from a channel (ingest calls this for every
    /// <c>omni.order.placed</c> with pickup). Redelivery is harmless: the order and the instance exist once.
    /// </summary>
    /// <param name="customerId">The customer the order is for: the event's own, or the one its identities resolve to.</param>
    public async Task StartFromEventAsync(OmniEvent orderEvent, string customerId, CancellationToken cancellationToken)
    {
        if (orderEvent.Payload is not OrderPlaced { Fulfilment: Fulfilment.Pickup, StoreId: not null } placed)
        {
            return;
        }

        var existing = await orders.GetAsync(placed.OrderId, cancellationToken);
        var order = existing?.Value;
        if (order is null)
        {
            order = NewOrder(placed, customerId, OrderStatus.Placed, "Received from a channel; reserving stock.");
            order.PlacedAt = orderEvent.Time;
            try
            {
                await orders.SaveAsync(order, null, cancellationToken);
            }
            catch (StorageConflictException)
            {
                order = (await orders.GetAsync(placed.OrderId, cancellationToken))!.Value;
            }
        }

        await StartWorkflowAsync(order, store: null, cancellationToken);
    }

    public async Task<OrderView?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(orderId, cancellationToken);
        if (order is null)
        {
            return null;
        }

        var state = await workflows.GetAsync(BopisWorkflow.InstanceIdFor(orderId), cancellationToken);
        var progress = state?.CustomStatusJson is { Length: > 0 } json ? JsonSerializer.Deserialize<BopisProgress>(json, ProgressJson) : null;
        return new OrderView(order.Value, state?.RuntimeStatus, progress, state?.Version);
    }

    /// <summary>
    /// Passes a store associate's or customer's action (picked, collected, cancelled) to the order's workflow when the
    /// order's status allows it (<see cref="BopisWorkflow.Allows"/>). The status read can race the workflow (a cancel
    /// read as reserved while the pick is on its way): the workflow checks again and ignores what its state forbids.
    /// </summary>
    public Task<SignalResult> SignalAsync(string orderId, string? storeId, string eventName, CancellationToken cancellationToken) =>
        SignalAsync(orderId, storeId, eventName, pick: null, cancellationToken);

    /// <summary>
    /// The store's pick: in full (no lines, or every listed line picked in full), or partial — lines short or
    /// substituted, checked against the order (<see cref="OrderPick.Check"/>: <see cref="SignalOutcome.Invalid"/> naming
    /// each bad field) and allowed only before the order is ready (<see cref="BopisWorkflow.PartialPickAction"/>). The
    /// workflow gets only the lines that differ from a full pick.
    /// </summary>
    public Task<SignalResult> PickedAsync(string orderId, string? storeId, IReadOnlyList<PickedLine> lines, CancellationToken cancellationToken) =>
        SignalAsync(orderId, storeId, BopisWorkflow.PickedEvent, lines, cancellationToken);

    private async Task<SignalResult> SignalAsync(string orderId, string? storeId, string eventName, IReadOnlyList<PickedLine>? pick, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(orderId, cancellationToken);
        if (order is null)
        {
            return new SignalResult(SignalOutcome.UnknownOrder);
        }

        if (storeId is not null && order.Value.StoreId != storeId)
        {
            return new SignalResult(SignalOutcome.WrongStore);
        }

        var status = order.Value.Status;
        if (status.IsFinished())
        {
            return new SignalResult(SignalOutcome.Finished, status);
        }

        PickedSignal? payload = null;
        if (pick is { Count: > 0 })
        {
            if (OrderPick.Check(order.Value, pick) is { Count: > 0 } errors)
            {
                return new SignalResult(SignalOutcome.Invalid, status, errors);
            }

            var adjustments = OrderPick.Adjustments(order.Value, pick);
            payload = adjustments.Count > 0 ? new PickedSignal(null, adjustments) : null;
        }

        if (!BopisWorkflow.Allows(status, payload is null ? eventName : BopisWorkflow.PartialPickAction))
        {
            return new SignalResult(SignalOutcome.NotAllowed, status);
        }

        await WaitUntilStartedAsync(order.Value.WorkflowInstanceId, cancellationToken);
        var sent = await workflows.RaiseEventAsync(order.Value.WorkflowInstanceId, eventName, payload, cancellationToken);
        return new SignalResult(sent ? SignalOutcome.Sent : SignalOutcome.UnknownOrder, status);
    }

    /// <summary>
    /// Waits while the instance is Pending (created, first step not yet run). With the Azure Storage backend an event
    /// that reaches the control queue while the start message is being re-queued is discarded ("no such instance"),
    /// so events go only to instances that have run. Gives up with a transient error (503 + Retry-After).
    /// </summary>
    private async Task WaitUntilStartedAsync(string instanceId, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.WorkflowStartWait;
        while ((await workflows.GetAsync(instanceId, cancellationToken))?.RuntimeStatus == "Pending")
        {
            if (clock.GetUtcNow() >= deadline)
            {
                throw new TransientStorageException(
                    $"The workflow of order {instanceId} has not started yet (the engine is busy); nothing was sent. Retry shortly.",
                    TimeSpan.FromSeconds(2), new TimeoutException());
            }

            await Task.Delay(StartPollInterval, clock, cancellationToken);
        }
    }

    private async Task StartWorkflowAsync(PickupOrder order, Stores.Store? store, CancellationToken cancellationToken)
    {
        // A finished order's workflow has ended, and its instance may have been purged since (completed instances are,
        // after OmniChannel:Workflows:PurgeCompletedAfter): a retry or a redelivered event must not start it afresh.
        if (order.Status.IsFinished())
        {
            return;
        }

        store ??= await stores.GetAsync(order.StoreId, cancellationToken);
        await workflows.StartAsync(
            BopisWorkflow.OrchestrationName,
            order.WorkflowInstanceId,
            new BopisInput(order.Id, order.CustomerId, order.StoreId, BopisTimings.From(options), store?.TimeZone),
            cancellationToken);
    }

    private PickupOrder NewOrder(OrderPlaced placed, string customerId, OrderStatus status, string reason)
    {
        var now = clock.GetUtcNow();
        return new PickupOrder
        {
            Id = placed.OrderId,
            CustomerId = customerId,
            StoreId = placed.StoreId!,
            Lines = placed.Lines.ToList(),
            PaymentReference = placed.PaymentReference,
            PlacedAt = now,
            Status = status,
            StatusReason = reason,
            UpdatedAt = now,
        };
    }

    private static bool SameOrder(PickupOrder order, string customerId, string storeId, OrderPlaced placed) =>
        order.CustomerId == customerId && order.StoreId == storeId && order.Lines.SequenceEqual(placed.Lines);
}
