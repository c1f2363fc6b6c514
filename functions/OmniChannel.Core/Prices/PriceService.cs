using System.Security.Cryptography;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Stores;

namespace OmniChannel.Core.Prices;

public abstract record SubmitOutcome
{
    /// <summary>Accepted now, or earlier under the same id with the same content (<see cref="Repeated"/>).</summary>
    public sealed record Accepted(PriceChange Change, bool Repeated) : SubmitOutcome;

    public sealed record IdTaken(string ChangeId) : SubmitOutcome;

    public sealed record UnknownScope(string Scope, string Reason) : SubmitOutcome;
}

public abstract record RetryOutcome
{
    public sealed record Started(PriceChange Change, int Subscribers) : RetryOutcome;

    public sealed record NotFound : RetryOutcome;

    public sealed record StillDelivering : RetryOutcome;

    public sealed record NothingFailed : RetryOutcome;
}

/// <summary>The price in force for a SKU at a moment (and place), with the change that set it.</summary>
public sealed record PriceAnswer(string Sku, decimal Price, string Currency, DateTimeOffset At, string? StoreId, string ChangeId, DateTimeOffset EffectiveAt, string Scope);

/// <summary>A change with where its fan-out stands and every subscriber's row.</summary>
public sealed record PriceChangeReport(PriceChange Change, string? WorkflowStatus, DeliveryCounts Counts, IReadOnlyList<SubscriberDelivery> Subscribers, string? WorkflowVersion = null);

/// <summary>
/// Price changes: accepts a change (writing its effective-dated records before anything is delivered, so a price
/// query is right at the effective time whatever the fan-out does), starts the fan-out once per change, answers
/// prices at a moment and place, reports a change, and retries its failed subscribers.
/// </summary>
public sealed class PriceService(
    IPriceStore prices,
    IStoreDirectory stores,
    IDeliveryLedger ledger,
    IWorkflowClient workflows,
    PriceFanOutOptions options)
{
    /// <summary>How many records in force a price query weighs (newest first) to find the one that applies at a store.</summary>
    public const int RecordsWeighed = 100;

    public async Task<SubmitOutcome> SubmitAsync(PriceChange change, CancellationToken cancellationToken)
    {
        if (await ScopeProblemAsync(change.Scope, cancellationToken) is { } problem)
        {
            return new SubmitOutcome.UnknownScope(change.Scope.ToString(), problem);
        }

        var existing = await prices.GetChangeAsync(change.Id, cancellationToken);
        if (existing is null)
        {
            try
            {
                await prices.SaveChangeAsync(change, null, cancellationToken);
            }
            catch (StorageConflictException)
            {
                existing = await prices.GetChangeAsync(change.Id, cancellationToken);
            }
        }

        var accepted = existing?.Value ?? change;
        if (existing is not null && !existing.Value.SameRequestAs(change))
        {
            return new SubmitOutcome.IdTaken(change.Id);
        }

        // Also on a repeat: the first request may have stopped between these steps. Both are idempotent, and the first
        // run is started only while it has not finished (a finished run's instance may have been purged since).
        await prices.SaveRecordsAsync(accepted.Items.Select(item => new PriceRecord(item.Sku, accepted.Id, item.Price, item.Currency, accepted.EffectiveAt, accepted.Scope, accepted.AcceptedAt)).ToList(), cancellationToken);
        if (accepted is { Runs: 1, Status: PriceChangeStatus.Delivering })
        {
            await workflows.StartAsync(PriceFanOut.OrchestrationName, PriceFanOut.InstanceIdFor(accepted.Id, 1), PriceFanOutInput.From(accepted.Id, 1, options, accepted.FanOut), cancellationToken);
        }

        return new SubmitOutcome.Accepted(accepted, Repeated: existing is not null);
    }

    /// <summary>The price in force at <paramref name="at"/>: at <paramref name="store"/> if given, else the chain-wide price. Null when none is.</summary>
    public async Task<PriceAnswer?> PriceAtAsync(string sku, DateTimeOffset at, Store? store, CancellationToken cancellationToken)
    {
        var records = await prices.RecordsInForceAsync(sku, at, RecordsWeighed, cancellationToken);
        var record = records.Where(candidate => candidate.Scope.AppliesAt(store)).Order(PriceRecord.Precedence).FirstOrDefault();
        return record is null
            ? null
            : new PriceAnswer(sku, record.Price, record.Currency, at, store?.Id, record.ChangeId, record.EffectiveAt, record.Scope.ToString());
    }

    public async Task<PriceChangeReport?> ReportAsync(string changeId, CancellationToken cancellationToken)
    {
        var change = await prices.GetChangeAsync(changeId, cancellationToken);
        if (change is null)
        {
            return null;
        }

        var workflow = await workflows.GetAsync(PriceFanOut.InstanceIdFor(changeId, change.Value.Runs), cancellationToken);
        var rows = (await ledger.ListAsync(changeId, cancellationToken)).OrderBy(row => row.SubscriberId, StringComparer.Ordinal).ToList();
        return new PriceChangeReport(change.Value, workflow?.RuntimeStatus, PriceDeliverer.Count(rows.Select(row => row.State)), rows, workflow?.Version);
    }

    /// <summary>Starts another run of the fan-out over the subscribers that failed (permanent failures included: the subscriber may have been fixed).</summary>
    public async Task<RetryOutcome> RetryFailedAsync(string changeId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await prices.GetChangeAsync(changeId, cancellationToken);
            if (stored is null)
            {
                return new RetryOutcome.NotFound();
            }

            var change = stored.Value;
            if (change.Status == PriceChangeStatus.Delivering && await RunIsActiveAsync(change, cancellationToken))
            {
                return new RetryOutcome.StillDelivering();
            }

            // Failed rows, and pending ones a run left behind when it ended without finishing (failed or terminated).
            var failed = (await ledger.ListAsync(changeId, cancellationToken)).Count(row => row.State != DeliveryState.Delivered);
            if (failed == 0)
            {
                return new RetryOutcome.NothingFailed();
            }

            change.Runs++;
            change.Status = PriceChangeStatus.Delivering;
            change.FinishedAt = null;
            try
            {
                await prices.SaveChangeAsync(change, stored.ETag, cancellationToken);
            }
            catch (StorageConflictException) when (attempt < 5)
            {
                continue; // Two retry calls at once: one of them wins the run number.
            }

            await workflows.StartAsync(PriceFanOut.OrchestrationName, PriceFanOut.InstanceIdFor(changeId, change.Runs), PriceFanOutInput.From(changeId, change.Runs, options, change.FanOut), cancellationToken);
            return new RetryOutcome.Started(change, failed);
        }
    }

    /// <summary>Whether the change's latest run is still going (or has not started yet); a failed or terminated run is not.</summary>
    private async Task<bool> RunIsActiveAsync(PriceChange change, CancellationToken cancellationToken)
    {
        var state = await workflows.GetAsync(PriceFanOut.InstanceIdFor(change.Id, change.Runs), cancellationToken);
        return state is null || state.RuntimeStatus is not ("Completed" or "Failed" or "Terminated" or "Canceled");
    }

    private async Task<string?> ScopeProblemAsync(PriceScope scope, CancellationToken cancellationToken)
    {
        switch (scope.Kind)
        {
            case PriceScopeKind.Store:
                return await stores.GetAsync(scope.Value!, cancellationToken) is null ? $"Store '{scope.Value}' is not in the store directory." : null;
            case PriceScopeKind.Region:
                var regions = (await stores.ListAsync(cancellationToken)).Select(store => store.Region).ToHashSet(StringComparer.OrdinalIgnoreCase);
                return regions.Contains(scope.Value!) ? null : $"No store in the directory is in region '{scope.Value}' (regions: {string.Join(", ", regions.Order(StringComparer.Ordinal))}).";
            default:
                return null;
        }
    }
}

/// <summary>The subscriber registry's admin operations; creating a subscriber makes its signing secret, answered once.</summary>
public sealed class SubscriberAdmin(ISubscriberRegistry registry, ISubscriberSecretStore secrets, TimeProvider clock)
{
    public Task<IReadOnlyList<PriceSubscriber>> ListAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    public Task<PriceSubscriber?> GetAsync(string id, CancellationToken cancellationToken) => registry.GetAsync(id, cancellationToken);

    /// <summary>Creates or replaces a subscriber; answers a secret only when one was made (on creation), never an existing one.</summary>
    public async Task<(PriceSubscriber Subscriber, string? NewSecret)> PutAsync(SubscriberRequest request, CancellationToken cancellationToken)
    {
        var existing = await registry.GetAsync(request.Id, cancellationToken);
        var subscriber = new PriceSubscriber(request.Id, request.Kind, request.Scope, request.Endpoint, request.Enabled, existing?.CreatedAt ?? clock.GetUtcNow());
        string? secret = null;
        if (existing is null || await secrets.GetAsync(request.Id, cancellationToken) is null)
        {
            // The secret first: a subscriber without one would fail every delivery permanently.
            secret = NewSecret();
            await secrets.SetAsync(request.Id, secret, cancellationToken);
        }

        await registry.UpsertAsync([subscriber], cancellationToken);
        return (subscriber, secret);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await registry.DeleteAsync(id, cancellationToken);
        await secrets.DeleteAsync(id, cancellationToken);
        return deleted;
    }

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
