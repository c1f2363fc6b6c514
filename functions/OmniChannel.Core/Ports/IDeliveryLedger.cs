using OmniChannel.Core.Prices;

namespace OmniChannel.Core.Ports;

/// <summary>Per change, where each subscriber stands: what the fan-out's report and its retry read.</summary>
public interface IDeliveryLedger
{
    /// <summary>Writes the rows (insert or replace), in as few round trips as the store allows.</summary>
    Task RecordAsync(IReadOnlyList<SubscriberDelivery> deliveries, CancellationToken cancellationToken);

    Task<IReadOnlyList<SubscriberDelivery>> ListAsync(string changeId, CancellationToken cancellationToken);

    Task<SubscriberDelivery?> GetAsync(string changeId, string subscriberId, CancellationToken cancellationToken);
}

/// <summary>Hands a price change to one subscriber (a signed CloudEvent over HTTP in both hosts).</summary>
public interface IPriceDeliveryChannel
{
    /// <summary>One attempt, signed with each of <paramref name="secrets"/>; never throws for the subscriber's failures, it answers them.</summary>
    Task<DeliveryAttempt> DeliverAsync(PriceChange change, PriceSubscriber subscriber, IReadOnlyList<string> secrets, CancellationToken cancellationToken);
}
