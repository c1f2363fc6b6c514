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
        ChangeAsync(customerId, profile => ProfileProjector.RecordPickupOutcome(profile, orderId, collected: true, at), cancellationToken);

    /// <summary>The order ended without a collection (expired, cancelled, rejected): it is no longer open. Idempotent.</summary>
    public Task CloseOrderAsync(string customerId, string orderId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, profile => ProfileProjector.RecordPickupOutcome(profile, orderId, collected: false, at), cancellationToken);

    /// <summary>Units of the customer's order came back to a store: the Customer 360 shows the return. Idempotent.</summary>
    public Task RecordReturnAsync(string customerId, string orderId, Orders.OrderReturn record, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, profile => ProfileProjector.RecordReturn(profile, orderId, record), cancellationToken);

    /// <summary>A coupon was issued, redeemed or expired: the Customer 360 shows it (and the sale it was used on). Idempotent.</summary>
    public Task RecordCouponAsync(Remarketing.Coupon coupon, CancellationToken cancellationToken) =>
        ChangeAsync(coupon.CustomerId, profile => ProfileProjector.RecordCoupon(profile, Remarketing.CouponSummary.From(coupon)), cancellationToken);

    /// <summary>A sale of the customer was attributed to a rule: the Customer 360 shows which. Idempotent.</summary>
    public Task RecordAttributionAsync(string customerId, Remarketing.SaleAttribution attribution, CancellationToken cancellationToken) =>
        ChangeAsync(customerId, profile => ProfileProjector.RecordAttribution(profile, attribution), cancellationToken);

    /// <summary>The customer's profile (following a merge), or null when there is none yet.</summary>
    public async Task<CustomerProfile?> FindAsync(string customerId, CancellationToken cancellationToken) =>
        (await ReadAsync(customerId, cancellationToken))?.Value;

    private async Task<Stored<CustomerProfile>?> ReadAsync(string customerId, CancellationToken cancellationToken)
    {
        var identity = IdentityKey.Customer(customerId).ToString();
        var known = await links.ReadLinksAsync([identity], cancellationToken);
        var profileId = known.TryGetValue(identity, out var linked) ? linked : identity;
        var found = await profiles.ReadManyAsync([profileId], cancellationToken);
        return found.Count == 0 || found[0].Value.MergedInto is not null ? null : found[0];
    }

    private async Task ChangeAsync(string customerId, Func<CustomerProfile, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await ReadAsync(customerId, cancellationToken) is not { } found)
            {
                // No profile yet (the order event is still on its way) or merged meanwhile: nothing to change here;
                // the journey follows from the events when they arrive.
                return;
            }

            if (!change(found.Value))
            {
                return;
            }

            try
            {
                await profiles.SaveAsync(found.Value, found.ETag, cancellationToken);
                return;
            }
            catch (StorageConflictException) when (attempt < ConflictRetries)
            {
                // An ingest batch updated the profile meanwhile.
            }
        }
    }
}
