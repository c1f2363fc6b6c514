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

    /// <summary>Places a validated <c>omni.order.placed</c> pickup order made through the API.</summary>
    public async Task<PlaceOrderOutcome> PlaceAsync(OmniEvent orderEvent, CancellationToken cancellationToken)
    {
        var placed = (OrderPlaced)orderEvent.Payload;
        var customerId = orderEvent.Identities.CustomerId!;
        var storeId = placed.StoreId!;
        var existing = await orders.GetAsync(placed.OrderId, cancellationToken);
        if (existing is not null)
        {
            return await RepeatedAsync(existing.Value, customerId, storeId, placed, cancellationToken);
        }

        var store = await stores.GetAsync(storeId, cancellationToken);
        if (store is null)
        {
            return new PlaceOrderOutcome.UnknownStore(storeId);
        }

        if (!store.BopisEnabled)
        {
            return new PlaceOrderOutcome.StoreWithoutPickup(store.Id, store.Name);
        }

        var reservation = await reservations.ReserveAsync(placed.OrderId, storeId, placed.Lines, cancellationToken);
        if (!reservation.Reserved)
        {
            var alternatives = await finder.NearestWithStockAsync(storeId, placed.Lines, options.AlternativeStores, cancellationToken);
            return new PlaceOrderOutcome.OutOfStock(storeId, reservation.Shortages, alternatives);
        }

        var order = NewOrder(placed, customerId, OrderStatus.Reserved, "Stock is held at the store.");
        try
        {
            await orders.SaveAsync(order, null, cancellationToken);
        }
        catch (StorageConflictException)
        {
            // The same order arrived twice at once; the other request placed it.
            var winner = await orders.GetAsync(placed.OrderId, cancellationToken);
            return winner is null
                ? new PlaceOrderOutcome.IdTaken(placed.OrderId)
                : await RepeatedAsync(winner.Value, customerId, storeId, placed, cancellationToken);
        }

        // The workflow exists before the answer (so "picked" can reach it at once) and before the event (so ingest's
        // reaction to it finds the instance instead of racing to start a second one).
        await StartWorkflowAsync(order, store, cancellationToken);

        // The event keeps the Customer 360 and the timeline in step (journey: awaiting pickup).
        await publisher.PublishAsync([orderEvent], cancellationToken);
        return new PlaceOrderOutcome.Placed(order, Repeated: false);
    }

    /// <summary>
    /// The same order again (a client retry): answers it as placed and makes sure its workflow runs, in case the first
    /// request stopped between saving the order and starting the workflow. Another order under the same id is refused.
    /// </summary>
    private async Task<PlaceOrderOutcome> RepeatedAsync(PickupOrder existing, string customerId, string storeId, OrderPlaced placed, CancellationToken cancellationToken)
    {
        if (!SameOrder(existing, customerId, storeId, placed))
        {
            return new PlaceOrderOutcome.IdTaken(placed.OrderId);
        }

        await StartWorkflowAsync(existing, store: null, cancellationToken);
        return new PlaceOrderOutcome.Placed(existing, Repeated: true);
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
        return new OrderView(order.Value, state?.RuntimeStatus, progress);
    }

    /// <summary>Passes a store associate's or customer's action (picked, collected, cancelled) to the order's workflow.</summary>
    public async Task<SignalOutcome> SignalAsync(string orderId, string? storeId, string eventName, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(orderId, cancellationToken);
        if (order is null)
        {
            return SignalOutcome.UnknownOrder;
        }

        if (storeId is not null && order.Value.StoreId != storeId)
        {
            return SignalOutcome.WrongStore;
        }

        if (order.Value.Status.IsFinished())
        {
            return SignalOutcome.Finished;
        }

        await WaitUntilStartedAsync(order.Value.WorkflowInstanceId, cancellationToken);
        return await workflows.RaiseEventAsync(order.Value.WorkflowInstanceId, eventName, null, cancellationToken)
            ? SignalOutcome.Sent
            : SignalOutcome.UnknownOrder;
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
            PlacedAt = now,
            Status = status,
            StatusReason = reason,
            UpdatedAt = now,
        };
    }

    private static bool SameOrder(PickupOrder order, string customerId, string storeId, OrderPlaced placed) =>
        order.CustomerId == customerId && order.StoreId == storeId && order.Lines.SequenceEqual(placed.Lines);
}
