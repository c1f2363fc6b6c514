using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Customers;

/// <summary>Moves a known customer's journey on outcomes that are not channel events (a pickup collected or given up).</summary>
public sealed class CustomerJourney(IIdentityLinkStore links, IProfileStore profiles)
{
    private const int ConflictRetries = 8;

    /// <summary>The order was collected: the journey is complete and the order no longer open. Idempotent.</summary>
    public Task MarkCollectedAsync(string customerId, string orderId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, profile =>
        {
            var removed = profile.OpenOrders.RemoveAll(order => order.OrderId == orderId) > 0;
            if (profile.StageChangedAt is not null && profile.StageChangedAt > at)
            {
                return removed;
            }

            var changed = removed || profile.Stage != JourneyStage.Collected;
            profile.Stage = JourneyStage.Collected;
            profile.StageChangedAt = at;
            profile.ViewsInJourney = 0;
            return changed;
        }, cancellationToken);

    /// <summary>The order ended without a collection (expired, cancelled, rejected): it is no longer open. Idempotent.</summary>
    public Task CloseOrderAsync(string customerId, string orderId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, profile =>
        {
            var removed = profile.OpenOrders.RemoveAll(order => order.OrderId == orderId) > 0;
            if (removed && profile.Stage == JourneyStage.AwaitingPickup && profile.OpenOrders.Count == 0 && (profile.StageChangedAt is null || at >= profile.StageChangedAt))
            {
                profile.Stage = JourneyStage.Browsing;
                profile.StageChangedAt = at;
            }

            return removed;
        }, cancellationToken);

    private async Task ChangeAsync(string customerId, Func<CustomerProfile, bool> change, CancellationToken cancellationToken)
    {
        var identity = IdentityKey.Customer(customerId).ToString();
        for (var attempt = 1; ; attempt++)
        {
            var known = await links.ReadLinksAsync([identity], cancellationToken);
            var profileId = known.TryGetValue(identity, out var linked) ? linked : identity;
            var found = await profiles.ReadManyAsync([profileId], cancellationToken);
            if (found.Count == 0 || found[0].Value.MergedInto is not null)
            {
                // No profile yet (the order event is still on its way) or merged meanwhile: nothing to change here;
                // the journey follows from the events when they arrive.
                return;
            }

            if (!change(found[0].Value))
            {
                return;
            }

            try
            {
                await profiles.SaveAsync(found[0].Value, found[0].ETag, cancellationToken);
                return;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // An ingest batch updated the profile meanwhile.
            }
        }
    }
}
