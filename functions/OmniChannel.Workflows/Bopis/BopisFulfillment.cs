using Microsoft.DurableTask;
using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// Buy online, pick up in store, for one order: reserve the stock → give the store a pick task → wait for
/// <c>picked</c> (escalate to the store when the pick SLA passes, then keep waiting) → tell the customer → wait for
/// <c>collected</c> (remind before expiry) → hand the stock over and record the outcome. On expiry, a <c>cancelled</c>
/// event at any wait, or a step that fails for good before the collection: release the stock, refund, tell the store
/// and the customer (compensation). Every duration comes from <see cref="BopisInput.Timings"/>.
/// </summary>
/// <remarks>
/// Deterministic on replay: time only from the context, ids from the order id, all I/O in activities. Every wait on
/// an event races a timer whose token is cancelled when the event wins, so no timer outlives the wait.
/// </remarks>
public sealed class BopisFulfillment : TaskOrchestrator<BopisInput, BopisProgress>
{
    /// <summary>The registered name (<see cref="BopisWorkflow.OrchestrationName"/>), which is also the class name.</summary>
    public const string Name = BopisWorkflow.OrchestrationName;

    public override async Task<BopisProgress> RunAsync(TaskOrchestrationContext context, BopisInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = new Run(context, input);

        run.Report(OrderStatus.Placed, BopisTexts.Reserving);
        var reservation = await run.CallAsync<ReservationResult>(ReserveOrderStock.Name, new OrderRef(input.OrderId));
        if (!reservation.Reserved)
        {
            return await run.RejectAsync(reservation.Shortages);
        }

        Ending ending;
        try
        {
            ending = await run.AwaitCollectionAsync();
        }
        catch (TaskFailedException failure)
        {
            // Retries are spent (or the error is permanent) and the customer has not taken the goods: give them back.
            run.Failed(failure);
            ending = new Ending(OrderStatus.Cancelled, BopisTexts.Failed, CollectBy: null);
        }

        return ending.Status == OrderStatus.Collected ? await run.CompleteAsync() : await run.CompensateAsync(ending);
    }

    /// <summary>How the wait for the customer ended; <see cref="CollectBy"/> is set for an expiry.</summary>
    private readonly record struct Ending(OrderStatus Status, string Reason, DateTimeOffset? CollectBy);

    /// <summary>One execution of the orchestrator: the context, the input and the steps.</summary>
    /// <remarks>The analyzer (DURABLE0010) accepts a logger only straight from <c>CreateReplaySafeLogger</c>, hence one per log line.</remarks>
    private sealed class Run(TaskOrchestrationContext context, BopisInput input)
    {
        // Created once and shared by every wait: a second waiter for the same event name would compete with the
        // first for the event, and a cancellation could go to a wait that is already over.
        private readonly Task<BopisSignal?> _cancelled = context.WaitForExternalEvent<BopisSignal?>(BopisWorkflow.CancelledEvent);

        private DateTimeOffset Now => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

        private string OrderId => input.OrderId;

        public async Task<Ending> AwaitCollectionAsync()
        {
            if (_cancelled.IsCompleted)
            {
                // Cancelled while the stock was being reserved: no pick task for an order nobody wants.
                return await CancelledAsync();
            }

            var timings = input.Timings;
            var pickDueAt = Now + timings.PickSla;
            await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Reserved, BopisTexts.AwaitingPick, Now) { PickDueAt = pickDueAt });
            await NotifyStoreAsync("pick", BopisTexts.PickTask(OrderId, pickDueAt, input.StoreTimeZone));
            Report(OrderStatus.Reserved, BopisTexts.AwaitingPick);

            // A repeated "picked" after this one stays in the instance's buffer: nothing waits for it again.
            var picked = context.WaitForExternalEvent<BopisSignal?>(BopisWorkflow.PickedEvent);
            var first = await WaitUntilAsync(pickDueAt, picked, _cancelled);
            if (first is null)
            {
                await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Reserved, BopisTexts.Overdue, Now) { Escalated = true });
                await NotifyStoreAsync("pick-overdue", BopisTexts.PickOverdue(OrderId, pickDueAt, input.StoreTimeZone));
                Report(OrderStatus.Reserved, BopisTexts.Overdue);
                first = await Task.WhenAny(picked, _cancelled);
            }

            if (first == _cancelled)
            {
                return await CancelledAsync();
            }

            var readyAt = Now;
            var collectBy = readyAt + timings.PickupWindow;
            var remindAt = collectBy - timings.ReminderBeforeExpiry;
            await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Ready, BopisTexts.AwaitingCollection, readyAt) { ReadyAt = readyAt, CollectBy = collectBy });
            await NotifyCustomerAsync("ready", BopisTexts.Ready(OrderId, collectBy, input.StoreTimeZone));
            Report(OrderStatus.Ready, BopisTexts.AwaitingCollection);

            var collected = context.WaitForExternalEvent<BopisSignal?>(BopisWorkflow.CollectedEvent);
            Task? next = null;
            if (remindAt > readyAt && remindAt < collectBy)
            {
                next = await WaitUntilAsync(remindAt, collected, _cancelled);
                if (next is null)
                {
                    await NotifyCustomerAsync("reminder", BopisTexts.Reminder(OrderId, collectBy, input.StoreTimeZone));
                    Report(OrderStatus.Ready, BopisTexts.Reminded);
                }
            }

            next ??= await WaitUntilAsync(collectBy, collected, _cancelled);
            if (next is null)
            {
                return new Ending(OrderStatus.Expired, BopisTexts.Expired(collectBy, input.StoreTimeZone), collectBy);
            }

            return next == _cancelled ? await CancelledAsync() : new Ending(OrderStatus.Collected, BopisTexts.Collected, CollectBy: null);
        }

        public async Task<BopisProgress> CompleteAsync()
        {
            await CallAsync<bool>(HandOverOrderStock.Name, new OrderRef(OrderId));
            await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Collected, BopisTexts.Collected, Now));
            await CallAsync<bool>(RecordJourney.Name, new JourneyUpdate(input.CustomerId, OrderId, JourneyOutcome.Collected, Now));
            return Report(OrderStatus.Collected, BopisTexts.Collected);
        }

        /// <summary>Expired or cancelled: the stock goes back, the money goes back, everyone is told.</summary>
        public async Task<BopisProgress> CompensateAsync(Ending ending)
        {
            await CallAsync<bool>(ReleaseOrderStock.Name, new OrderRef(OrderId));
            var refund = await CallAsync<RefundReceipt>(RefundOrder.Name, new RefundRequest(OrderId, ending.Reason));
            await SetStatusAsync(new OrderStatusChange(OrderId, ending.Status, ending.Reason, Now));
            await NotifyStoreAsync("put-back", BopisTexts.PutBack(OrderId));
            var (purpose, text) = ending.CollectBy is { } collectBy
                ? ("expired", BopisTexts.CustomerExpired(OrderId, collectBy, refund.Amount, input.StoreTimeZone))
                : ("cancelled", BopisTexts.CustomerCancelled(OrderId, refund.Amount));
            await NotifyCustomerAsync(purpose, text);
            await CallAsync<bool>(RecordJourney.Name, new JourneyUpdate(input.CustomerId, OrderId, JourneyOutcome.Closed, Now));
            return Report(ending.Status, ending.Reason);
        }

        /// <summary>The store could not hold the stock: nothing was reserved, so there is nothing to release or refund.</summary>
        public async Task<BopisProgress> RejectAsync(IReadOnlyList<StockShortage> shortages)
        {
            var reason = BopisTexts.Rejected(shortages);
            await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Rejected, reason, Now));
            await NotifyCustomerAsync("rejected", BopisTexts.Unavailable(OrderId, shortages));
            await CallAsync<bool>(RecordJourney.Name, new JourneyUpdate(input.CustomerId, OrderId, JourneyOutcome.Closed, Now));
            return Report(OrderStatus.Rejected, reason);
        }

        public BopisProgress Report(OrderStatus status, string reason)
        {
            var progress = new BopisProgress(status, reason, Now);
            context.SetCustomStatus(progress);
            BopisLog.Progress(context.CreateReplaySafeLogger<BopisFulfillment>(), OrderId, status, reason);
            return progress;
        }

        public void Failed(TaskFailedException failure) =>
            BopisLog.StepFailed(context.CreateReplaySafeLogger<BopisFulfillment>(), OrderId, failure.TaskName, failure.FailureDetails.ErrorType, failure.FailureDetails.ErrorMessage);

        public Task<T> CallAsync<T>(string activity, object activityInput) =>
            context.CallActivityAsync<T>(activity, activityInput, BopisRetry.Options);

        private async Task<Ending> CancelledAsync() =>
            new(OrderStatus.Cancelled, BopisTexts.CancelledBecause((await _cancelled)?.Reason), CollectBy: null);

        private Task<bool> SetStatusAsync(OrderStatusChange change) => CallAsync<bool>(SetOrderStatus.Name, change);

        private Task<string> NotifyStoreAsync(string purpose, string text) =>
            CallAsync<string>(NotifyStore.Name, new BopisMessage(OrderId, input.StoreId, purpose, text, Now));

        private Task<string> NotifyCustomerAsync(string purpose, string text) =>
            CallAsync<string>(NotifyCustomer.Name, new BopisMessage(OrderId, input.CustomerId, purpose, text, Now));

        /// <summary>
        /// Waits for the first of <paramref name="events"/> or the time <paramref name="fireAt"/>; answers the event's
        /// task, or null when the time came first. The timer is cancelled when an event wins: a timer left running
        /// keeps the instance Running after the orchestrator is done.
        /// </summary>
        private async Task<Task?> WaitUntilAsync(DateTimeOffset fireAt, params Task[] events)
        {
            using var timerCancellation = new CancellationTokenSource();
            var timer = context.CreateTimer(fireAt.UtcDateTime, timerCancellation.Token);
            var winner = await Task.WhenAny([.. events, timer]);
            if (winner == timer)
            {
                return null;
            }

            // Synchronously, on the orchestrator's thread: CancelAsync would run the timer's callback on the thread pool.
            timerCancellation.Cancel();
            return winner;
        }
    }
}
