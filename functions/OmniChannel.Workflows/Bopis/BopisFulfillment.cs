using Microsoft.DurableTask;
using OmniChannel.Core.Orders;

namespace OmniChannel.Workflows.Bopis;

/// <summary>
/// Buy online, pick up in store, for one order: reserve the stock → give the store a pick task → wait for
/// <c>picked</c> (escalate to the store when the pick SLA passes; cancel when nobody has picked it
/// <see cref="BopisTimings.UnpickedCancelAfter"/> later) → tell the customer → wait for <c>collected</c> (remind before
/// expiry; the customer's <c>arrived</c> meanwhile tells the store at once and records the time, once) → hand the stock
/// over and record the outcome. A partial pick (lines short or substituted) is recorded, its stock moved, the short
/// units refunded and the customer told before the order is ready; with nothing left it is cancelled. On expiry, that cancellation, the customer's <c>cancelled</c>
/// before the store has picked, or a step that fails for good before the collection: release the stock, refund, tell
/// the store and the customer (compensation). Every duration comes from <see cref="BopisInput.Timings"/>.
/// </summary>
/// <remarks>
/// Deterministic on replay: time only from the context, ids from the order id, all I/O in activities. Every wait on
/// an event races a timer whose token is cancelled when the event wins, so no timer outlives the wait. Each wait takes
/// only the events its state allows (<see cref="BopisWorkflow.Allows"/>, the table the API answers 409 by): the API
/// reads the order's status before it raises the event, so an event can still arrive in a later state, and then it
/// changes nothing (a <c>collected</c> before <c>picked</c>, a <c>cancelled</c> after it, an <c>arrived</c> before it).
/// Versioning: <c>arrived</c> adds no wait of its own and no step until the event comes (a waiter is no step in the
/// history), so an instance started before it replays as it ran; its steps follow the event in the history. Every
/// instance carries the version it started with (<see cref="Version"/> then; empty for those started before versions,
/// which run as version 1.0): a later change of the steps goes behind <c>context.CompareVersionTo(...)</c> or a new
/// nullable input field, and the recorded histories of every running version must still replay (README "Changing a
/// workflow safely").
/// </remarks>
public sealed class BopisFulfillment : TaskOrchestrator<BopisInput, BopisProgress>
{
    /// <summary>The registered name (<see cref="BopisWorkflow.OrchestrationName"/>), which is also the class name.</summary>
    public const string Name = BopisWorkflow.OrchestrationName;

    /// <summary>The version new instances start on: today's steps are version 1.0.</summary>
    public const string Version = BopisWorkflow.Version;

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

    /// <summary>
    /// How the wait for the customer ended; <see cref="CollectBy"/> is set for an expiry, <see cref="Unpicked"/> when the
    /// store never picked, <see cref="NothingPicked"/> when it found none of the items.
    /// </summary>
    private readonly record struct Ending(OrderStatus Status, string Reason, DateTimeOffset? CollectBy, bool Unpicked = false, bool NothingPicked = false);

    /// <summary>One execution of the orchestrator: the context, the input and the steps.</summary>
    /// <remarks>The analyzer (DURABLE0010) accepts a logger only straight from <c>CreateReplaySafeLogger</c>, hence one per log line.</remarks>
    private sealed class Run(TaskOrchestrationContext context, BopisInput input)
    {
        // One waiter per event, created when the instance starts and shared by every wait; a new one only after the
        // last was taken by an event its state did not allow. A second waiter for the same name would compete with the
        // first for the event, and an event could go to a wait that is already over. Waiting from the start puts every
        // event in the order it arrived: a "collected" before "picked" is seen (and dropped) during the pick wait
        // instead of being buffered and taken as the hand-over right after the pick.
        private Task<BopisSignal?> _picked = context.WaitForExternalEvent<BopisSignal?>(BopisWorkflow.PickedEvent);
        private Task<BopisSignal?> _collected = context.WaitForExternalEvent<BopisSignal?>(BopisWorkflow.CollectedEvent);
        private Task<BopisSignal?> _cancelled = context.WaitForExternalEvent<BopisSignal?>(BopisWorkflow.CancelledEvent);
        private Task<BopisSignal?> _arrived = context.WaitForExternalEvent<BopisSignal?>(BopisWorkflow.ArrivedEvent);

        // Set by the first "arrived" while ready; a second stays in the instance's buffer (nothing waits for it again).
        private DateTimeOffset? _arrivedAt;

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

            // A repeated "picked" after the first stays in the instance's buffer: nothing waits for it again.
            var first = await WaitUntilAsync(pickDueAt, OrderStatus.Reserved);
            if (first is null)
            {
                await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Reserved, BopisTexts.Overdue, Now) { Escalated = true });
                await NotifyStoreAsync("pick-overdue", BopisTexts.PickOverdue(OrderId, pickDueAt, input.StoreTimeZone));
                Report(OrderStatus.Reserved, BopisTexts.Overdue);

                // Without the setting (an instance started before it existed) no timer: its history has none here.
                var cancelAt = timings.UnpickedCancelAfter is { } after ? pickDueAt + after : (DateTimeOffset?)null;
                first = await WaitUntilAsync(cancelAt, OrderStatus.Reserved);
                if (first is null)
                {
                    return new Ending(OrderStatus.Cancelled, BopisTexts.NotPicked(pickDueAt, input.StoreTimeZone), CollectBy: null, Unpicked: true);
                }
            }

            if (first == BopisWorkflow.CancelledEvent)
            {
                return await CancelledAsync();
            }

            // Only a partial pick carries lines; a "picked" raised before partial picks existed has none, so an instance
            // started then takes no step here on replay.
            if ((await _picked)?.Lines is { Count: > 0 } lines && await PickedShortAsync(lines) is { } nothingLeft)
            {
                return nothingLeft;
            }

            var readyAt = Now;
            var collectBy = readyAt + timings.PickupWindow;
            var remindAt = collectBy - timings.ReminderBeforeExpiry;
            await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Ready, BopisTexts.AwaitingCollection, readyAt) { ReadyAt = readyAt, CollectBy = collectBy });
            await NotifyCustomerAsync("ready", BopisTexts.Ready(OrderId, collectBy, input.StoreTimeZone));
            Report(OrderStatus.Ready, BopisTexts.AwaitingCollection);

            // Picked: from here the order ends by collection or expiry; a customer's "cancelled" changes nothing.
            string? next = null;
            if (remindAt > readyAt && remindAt < collectBy)
            {
                next = await WaitUntilAsync(remindAt, OrderStatus.Ready);
                if (next is null && _arrivedAt is null)
                {
                    await NotifyCustomerAsync("reminder", BopisTexts.Reminder(OrderId, collectBy, input.StoreTimeZone));
                    Report(OrderStatus.Ready, BopisTexts.Reminded);
                }
            }

            next ??= await WaitUntilAsync(collectBy, OrderStatus.Ready);
            return next is null
                ? new Ending(OrderStatus.Expired, BopisTexts.Expired(collectBy, input.StoreTimeZone), collectBy)
                : new Ending(OrderStatus.Collected, BopisTexts.Collected, CollectBy: null);
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
            var refund = await RefundDurablyAsync(ending.Status, ending.Reason);

            // Only a refund the payment service accepted without settling waits for its word: a settled receipt (the
            // local simulator's, and every receipt of an instance started before confirmations) goes on as before.
            var refundFailure = refund.Settled || input.Timings.RefundConfirmWithin is not { } confirmWithin || confirmWithin <= TimeSpan.Zero
                ? null
                : await AwaitRefundConfirmationAsync(ending, refund, confirmWithin);
            var reason = refundFailure is null ? ending.Reason : BopisTexts.RefundNeedsAttention(ending.Reason, refundFailure);
            await SetStatusAsync(new OrderStatusChange(OrderId, ending.Status, reason, Now) { Refund = refundFailure is null ? RefundState.None : RefundState.NeedsAttention });
            await NotifyStoreAsync("put-back", BopisTexts.PutBack(OrderId));
            var (purpose, text) = ending switch
            {
                _ when refundFailure is not null => ("cancelled", BopisTexts.CustomerRefundDelayed(OrderId, refund.Amount)),
                { CollectBy: { } collectBy } => ("expired", BopisTexts.CustomerExpired(OrderId, collectBy, refund.Amount, input.StoreTimeZone)),
                { Unpicked: true } => ("cancelled", BopisTexts.CustomerNotPicked(OrderId, refund.Amount)),
                { NothingPicked: true } => ("cancelled", BopisTexts.CustomerNothingPicked(OrderId, refund.Amount)),
                _ => ("cancelled", BopisTexts.CustomerCancelled(OrderId, refund.Amount)),
            };
            await NotifyCustomerAsync(purpose, text);
            await CallAsync<bool>(RecordJourney.Name, new JourneyUpdate(input.CustomerId, OrderId, JourneyOutcome.Closed, Now));
            return Report(ending.Status, reason);
        }

        /// <summary>
        /// The payment service accepted the refund and confirms it with a signed callback, raised here as
        /// <see cref="BopisWorkflow.RefundSettledEvent"/>. Raced against <see cref="BopisTimings.RefundConfirmWithin"/>:
        /// when the timer comes first the refund is asked for again (same id: the service does it once) while the order
        /// shows "refund pending", until <see cref="BopisTimings.RefundRetryFor"/> has passed. Answers null when the
        /// refund succeeded, else why it needs attention (refused, or never confirmed). Another refund's callback is
        /// dropped. The timer is cancelled when the callback wins, so none outlives the wait.
        /// </summary>
        private async Task<string?> AwaitRefundConfirmationAsync(Ending ending, RefundReceipt receipt, TimeSpan confirmWithin)
        {
            var pending = BopisTexts.RefundAwaitingConfirmation(ending.Reason);
            await SetStatusAsync(new OrderStatusChange(OrderId, ending.Status, pending, Now) { Refund = RefundState.Pending });
            Report(ending.Status, pending);
            var giveUpAt = Now + (input.Timings.RefundRetryFor ?? confirmWithin);
            var settled = context.WaitForExternalEvent<RefundSettlement>(BopisWorkflow.RefundSettledEvent);

            // Bounded like the refund's own retries: as many waits as fit in the window, at most 500.
            var rounds = (int)Math.Min(500, Math.Max(1, Math.Ceiling((giveUpAt - Now) / confirmWithin)));
            for (var round = 0; round < rounds; round++)
            {
                using var timerCancellation = new CancellationTokenSource();
                var timer = context.CreateTimer((Now + confirmWithin).UtcDateTime, timerCancellation.Token);
                while (await Task.WhenAny(settled, timer) == settled)
                {
                    var settlement = await settled;
                    if (settlement.RefundId == receipt.RefundId)
                    {
                        // Synchronously, on the orchestrator's thread (as in WaitUntilAsync).
                        timerCancellation.Cancel();
                        return settlement.Succeeded ? null : BopisTexts.RefundRefused(settlement.Reason);
                    }

                    BopisLog.OtherRefund(context.CreateReplaySafeLogger<BopisFulfillment>(), OrderId, settlement.RefundId, receipt.RefundId);
                    settled = context.WaitForExternalEvent<RefundSettlement>(BopisWorkflow.RefundSettledEvent);
                }

                if (Now >= giveUpAt)
                {
                    break;
                }

                try
                {
                    if ((await CallAsync<RefundReceipt>(RefundOrder.Name, new RefundRequest(OrderId, ending.Reason))).Settled)
                    {
                        return null;
                    }
                }
                catch (TaskFailedException failure) when (WorkflowFailures.IsTransient(failure.FailureDetails))
                {
                    // Unreachable for now: the refund was accepted once, so keep waiting for its confirmation.
                    Failed(failure);
                }
                catch (TaskFailedException failure)
                {
                    Failed(failure);
                    return BopisTexts.RefundRefused(WorkflowFailures.Cause(failure.FailureDetails).ErrorMessage);
                }

                if (round == 0)
                {
                    // Once: later rounds would write the same words again.
                    var askedAgain = BopisTexts.RefundAskedAgain(ending.Reason);
                    await SetStatusAsync(new OrderStatusChange(OrderId, ending.Status, askedAgain, Now) { Refund = RefundState.Pending });
                    Report(ending.Status, askedAgain);
                }
            }

            return BopisTexts.RefundUnconfirmed;
        }

        /// <summary>
        /// The refund, which a payment provider that is down for an hour must not lose: once the step's own retries are
        /// spent on a transient failure, the order shows "refund pending" and the workflow asks again after a durable
        /// timer, for <see cref="BopisTimings.RefundRetryFor"/>; only then does the failure end the instance.
        /// </summary>
        private async Task<RefundReceipt> RefundDurablyAsync(OrderStatus status, string reason, string? kind = null)
        {
            var request = new RefundRequest(OrderId, reason, kind);
            if (input.Timings is not { RefundRetryInterval: { } interval, RefundRetryFor: { } retryFor } || interval <= TimeSpan.Zero)
            {
                return await CallAsync<RefundReceipt>(RefundOrder.Name, request);
            }

            // Bounded (the history of each round stays in this instance): as many waits as fit in the window, at most 500.
            var giveUpAt = Now + retryFor;
            var rounds = (int)Math.Min(500, Math.Ceiling(retryFor / interval));
            for (var round = 0; round < rounds; round++)
            {
                try
                {
                    return await CallAsync<RefundReceipt>(RefundOrder.Name, request);
                }
                catch (TaskFailedException failure) when (Now < giveUpAt && WorkflowFailures.IsTransient(failure.FailureDetails))
                {
                    Failed(failure);
                    var pending = BopisTexts.RefundPending(reason);
                    await SetStatusAsync(new OrderStatusChange(OrderId, status, pending, Now) { Refund = RefundState.Pending });
                    Report(status, pending);
                    await context.CreateTimer((Now + interval).UtcDateTime, CancellationToken.None);
                }
            }

            return await CallAsync<RefundReceipt>(RefundOrder.Name, request);
        }

        /// <summary>
        /// A partial pick: the order records it and the stock moves (short holds released, substitutes held); the short
        /// units are refunded (<c>{orderId}:short</c>) and the customer is told what is missing or replaced. Answers the
        /// ending when nothing at all is left (the order is then cancelled and refunded in full), else null: the order
        /// goes on with what is there.
        /// </summary>
        private async Task<Ending?> PickedShortAsync(IReadOnlyList<PickedLine> lines)
        {
            var pick = await CallAsync<PickOutcome>(RecordOrderPick.Name, new PickRequest(OrderId, lines, Now));
            if (pick.NothingLeft)
            {
                return new Ending(OrderStatus.Cancelled, BopisTexts.NothingPicked, CollectBy: null, NothingPicked: true);
            }

            var refunded = 0m;
            if (pick.ShortAmount > 0)
            {
                refunded = (await RefundDurablyAsync(OrderStatus.Reserved, BopisTexts.PickedShort, RefundKinds.Short)).Amount;
            }

            await NotifyCustomerAsync("short", BopisTexts.CustomerShort(OrderId, pick.Lines, refunded));
            return null;
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

        public void Failed(TaskFailedException failure)
        {
            var cause = WorkflowFailures.Cause(failure.FailureDetails);
            BopisLog.StepFailed(context.CreateReplaySafeLogger<BopisFulfillment>(), OrderId, failure.TaskName, cause.ErrorType, cause.ErrorMessage);
        }

        public Task<T> CallAsync<T>(string activity, object activityInput) =>
            context.CallActivityAsync<T>(activity, activityInput, BopisRetry.Options);

        private async Task<Ending> CancelledAsync() =>
            new(OrderStatus.Cancelled, BopisTexts.CancelledBecause((await _cancelled)?.Reason), CollectBy: null);

        private Task<bool> SetStatusAsync(OrderStatusChange change) => CallAsync<bool>(SetOrderStatus.Name, change);

        private Task<string> NotifyStoreAsync(string purpose, string text) =>
            CallAsync<string>(NotifyStore.Name, new BopisMessage(OrderId, input.StoreId, purpose, text, Now));

        /// <summary>The customer is at the store ("I'm here"): the time on the order (the store's queue shows it), the store told.</summary>
        private async Task ArrivedAsync()
        {
            var arrivedAt = Now;
            _arrivedAt = arrivedAt;
            await SetStatusAsync(new OrderStatusChange(OrderId, OrderStatus.Ready, BopisTexts.Arrived, arrivedAt) { ArrivedAt = arrivedAt });
            await NotifyStoreAsync("arrived", BopisTexts.CustomerArrived(OrderId));
            Report(OrderStatus.Ready, BopisTexts.Arrived);
        }

        private Task<string> NotifyCustomerAsync(string purpose, string text) =>
            CallAsync<string>(NotifyCustomer.Name, new BopisMessage(OrderId, input.CustomerId, purpose, text, Now));

        /// <summary>
        /// Waits in <paramref name="state"/> (reserved: the pick; ready: the collection) for the first event the state
        /// allows, or the time <paramref name="fireAt"/> (null: no timer); answers the event's name, or null when the
        /// time came first. An event the state does not allow is logged and dropped, its waiter armed again, and the
        /// wait goes on with the same timer. The first <c>arrived</c> while ready is acted on (<see cref="ArrivedAsync"/>)
        /// and the wait goes on with the same timer. The timer is cancelled when an event wins: a timer left running keeps
        /// the instance Running after the orchestrator is done.
        /// </summary>
        private async Task<string?> WaitUntilAsync(DateTimeOffset? fireAt, OrderStatus state)
        {
            using var timerCancellation = new CancellationTokenSource();
            var timer = fireAt is { } at ? context.CreateTimer(at.UtcDateTime, timerCancellation.Token) : null;
            string? taken = null;
            do
            {
                // Those the state does not allow first: when several have arrived, the stray ones are dropped before an
                // allowed one is taken (a "collected" that came with "picked" is no hand-over). A "collected" before an
                // "arrived": the customer is served already. The timer last, so an event already received wins over it.
                // "picked" again while ready, and "arrived" again, stay buffered: they change nothing.
                string[] names = state == OrderStatus.Reserved
                    ? [BopisWorkflow.CollectedEvent, BopisWorkflow.ArrivedEvent, BopisWorkflow.PickedEvent, BopisWorkflow.CancelledEvent]
                    : _arrivedAt is null
                        ? [BopisWorkflow.CancelledEvent, BopisWorkflow.CollectedEvent, BopisWorkflow.ArrivedEvent]
                        : [BopisWorkflow.CancelledEvent, BopisWorkflow.CollectedEvent];

                // Bounded by the events received: a waiter is no step in the history, so dropping one adds nothing to it.
                var events = names.Select(Waiter).ToArray();
                var winner = await Task.WhenAny(timer is null ? events : [.. events, timer]);
                if (winner == timer)
                {
                    return null;
                }

                var name = names[Array.IndexOf(events, winner)];
                if (!BopisWorkflow.Allows(state, name))
                {
                    BopisLog.Ignored(context.CreateReplaySafeLogger<BopisFulfillment>(), OrderId, name, state);
                    Rearm(name);
                }
                else if (name == BopisWorkflow.ArrivedEvent)
                {
                    // At most once per instance: the next round no longer waits for it.
                    await ArrivedAsync();
                }
                else
                {
                    taken = name;
                }
            }
            while (taken is null);

            // Synchronously, on the orchestrator's thread: CancelAsync would run the timer's callback on the thread pool.
            timerCancellation.Cancel();
            return taken;
        }

        private Task Waiter(string eventName) => eventName switch
        {
            BopisWorkflow.PickedEvent => _picked,
            BopisWorkflow.CollectedEvent => _collected,
            BopisWorkflow.ArrivedEvent => _arrived,
            _ => _cancelled,
        };

        private void Rearm(string eventName)
        {
            var next = context.WaitForExternalEvent<BopisSignal?>(eventName);
            switch (eventName)
            {
                case BopisWorkflow.PickedEvent:
                    _picked = next;
                    break;
                case BopisWorkflow.CollectedEvent:
                    _collected = next;
                    break;
                case BopisWorkflow.ArrivedEvent:
                    _arrived = next;
                    break;
                default:
                    _cancelled = next;
                    break;
            }
        }
    }
}
