using System.Security.Cryptography;
using System.Text;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Orders;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Customers;

/// <summary>
/// The right to erasure (<c>DELETE /api/customers/{id}</c>): removes or anonymises a person everywhere. The person is
/// the profile the id resolves to (as <c>GET /api/customers/{id}</c> resolves it), every identity stitched into it
/// and the profiles merged into it. In this order, so that a retry after a failure between any two steps finishes
/// the job:
/// <list type="number">
/// <item>the job (what was found: identities, profiles, orders, the erasure time), kept until the end;</item>
/// <item>a tombstone per identity (a hash of the key and the erasure time): from now on ingest drops the person's
/// events from before the erasure, so events still in flight, or replayed, do not bring anything back;</item>
/// <item>the events of every identity's partition; the orders anonymised (kept for accounting); the records kept per
/// order (notifications deleted, refunds kept); the customer's coupons and attribution windows; the identity links;</item>
/// <item>the merged profiles (pointers), then the live profile, then the job.</item>
/// </list>
/// A repeat for a person already erased answers what it erased again (nothing, usually) with <c>alreadyErased</c>.
/// </summary>
public sealed class CustomerErasure(
    CustomerQueries queries,
    IProfileStore profiles,
    IIdentityLinkStore links,
    IEventStore events,
    IOrderStore orders,
    ICouponLedger coupons,
    IAttributionStore attribution,
    IEnumerable<IOrderRecords> orderRecords,
    IErasureLog erasures,
    TimeProvider clock,
    ProfileStitcher stitcher)
{
    /// <summary>What an anonymised order keeps as its customer.</summary>
    public const string ErasedCustomerId = "erased";

    private const int PointerRounds = 8;

    /// <summary>Erases the person <paramref name="id"/> names (a customer id or an identity key); null when nobody is known by it.</summary>
    public async Task<ErasureReport?> EraseAsync(string id, CancellationToken cancellationToken)
    {
        var key = queries.IdentityOf(id);
        ErasureJob job;
        var alreadyErased = false;
        if (await queries.FindProfileAsync(id, cancellationToken) is { } profile)
        {
            job = await PlanAsync(profile, cancellationToken);
            await erasures.SaveJobAsync(job, cancellationToken);
        }
        else if (await erasures.GetTombstoneAsync(HashOf(key), cancellationToken) is { } tombstone)
        {
            // Erased before: finish that job if it did not end, else sweep this identity once more.
            var pending = await erasures.GetJobAsync(tombstone.JobId, cancellationToken);
            alreadyErased = pending is null;
            job = pending ?? new ErasureJob(tombstone.JobId, key, [key], [key], [], tombstone.ErasedAt);
        }
        else
        {
            return null;
        }

        return await RunAsync(job, alreadyErased, cancellationToken);
    }

    /// <summary>
    /// The hash a tombstone is stored by: SHA-256 of the identity key (with a purpose prefix), 128 bits in hex. It
    /// names the identity without holding it.
    /// </summary>
    public static string HashOf(string identityKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("omnichannel-erasure\n" + identityKey), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The person as stored now, joined with what an earlier, unfinished erasure of the same profile found.</summary>
    private async Task<ErasureJob> PlanAsync(CustomerProfile profile, CancellationToken cancellationToken)
    {
        var jobId = "erasure-" + HashOf(profile.Id);
        var previous = await erasures.GetJobAsync(jobId, cancellationToken);
        var identities = new List<string>();
        var profileIds = new List<string> { profile.Id };
        var orderIds = new List<string>();
        AddPerson(profile);
        foreach (var merge in profile.Merges)
        {
            AddOnce(identities, merge.MergedProfileId);
            merge.Identities.ToList().ForEach(identity => AddOnce(identities, identity));
        }

        // The merged profiles are pointers (MergedInto) to this one, directly or through another pointer; each lists
        // its identities and orders. A profile of one of the identities that is live and not this one is another
        // person's (an undone merge): its identities are left alone.
        var read = new HashSet<string>(StringComparer.Ordinal) { profile.Id };
        var foreign = new HashSet<string>(StringComparer.Ordinal);
        var pointers = new List<CustomerProfile>();
        for (var round = 0; round < PointerRounds; round++)
        {
            var toRead = identities.Where(read.Add).ToList();
            if (toRead.Count == 0)
            {
                break;
            }

            foreach (var stored in await profiles.ReadManyAsync(toRead, cancellationToken))
            {
                if (stored.Value.MergedInto is null)
                {
                    foreign.Add(stored.Value.Id);
                    foreign.UnionWith(stored.Value.Identities);
                }
                else
                {
                    pointers.Add(stored.Value);
                }
            }

            // A pointer joins once its target has (pointers to pointers, in any order read).
            for (var joined = true; joined;)
            {
                joined = false;
                foreach (var pointer in pointers.Where(pointer => !profileIds.Contains(pointer.Id) && profileIds.Contains(pointer.MergedInto!)).ToList())
                {
                    profileIds.Add(pointer.Id);
                    AddPerson(pointer);
                    joined = true;
                }
            }
        }

        identities.RemoveAll(foreign.Contains);
        foreach (var identity in previous?.Identities ?? [])
        {
            AddOnce(identities, identity);
        }

        foreach (var id in previous?.ProfileIds ?? [])
        {
            AddOnce(profileIds, id);
        }

        foreach (var orderId in previous?.OrderIds ?? [])
        {
            AddOnce(orderIds, orderId);
        }

        return new ErasureJob(jobId, profile.Id, identities, profileIds, orderIds, previous?.ErasedAt ?? clock.GetUtcNow());

        void AddPerson(CustomerProfile person)
        {
            AddOnce(identities, person.Id);
            person.Identities.ForEach(identity => AddOnce(identities, identity));
            person.OpenOrders.ForEach(order => AddOnce(orderIds, order.OrderId));
            person.ClosedOrders.ForEach(order => AddOnce(orderIds, order.OrderId));
        }
    }

    private async Task<ErasureReport> RunAsync(ErasureJob job, bool alreadyErased, CancellationToken cancellationToken)
    {
        var identities = job.Identities.Where(identity => IdentityKey.TryParse(identity, out var key) && key.Kind != IdentityKind.Store).ToList();
        await erasures.WriteTombstonesAsync(identities.Select(identity => new ErasureTombstone(HashOf(identity), job.ErasedAt, job.Id)).ToList(), cancellationToken);

        var eventCount = 0;
        foreach (var identity in identities)
        {
            eventCount += await events.DeletePartitionAsync(identity, cancellationToken);
        }

        var anonymised = 0;
        foreach (var orderId in job.OrderIds)
        {
            anonymised += await AnonymiseOrderAsync(orderId, cancellationToken) ? 1 : 0;
        }

        var records = new Dictionary<string, OrderRecordsErased>(StringComparer.Ordinal);
        foreach (var record in orderRecords)
        {
            var (deleted, kept) = (0, 0);
            foreach (var orderId in job.OrderIds)
            {
                var erased = await record.EraseAsync(orderId, cancellationToken);
                (deleted, kept) = (deleted + erased.Deleted, kept + erased.Kept);
            }

            records[record.Name] = new OrderRecordsErased(deleted, kept);
        }

        var (couponCount, windowCount) = (0, 0);
        foreach (var identity in identities)
        {
            if (IdentityKey.Parse(identity) is { Kind: IdentityKind.Customer } customer)
            {
                couponCount += await coupons.EraseCustomerAsync(customer.Value, cancellationToken);
                windowCount += await attribution.EraseCustomerAsync(customer.Value, cancellationToken);
            }
        }

        var linkCount = await links.DeleteLinksAsync(identities, cancellationToken);
        var merged = 0;
        foreach (var profileId in job.ProfileIds.Where(id => id != job.ProfileId))
        {
            merged += await profiles.DeleteAsync(profileId, cancellationToken) ? 1 : 0;
        }

        await ForgetInOthersAsync(job, cancellationToken);
        var live = await profiles.DeleteAsync(job.ProfileId, cancellationToken) ? 1 : 0;
        await erasures.DeleteJobAsync(job.Id, cancellationToken);
        return new ErasureReport(job.ErasedAt, alreadyErased, identities.Count, eventCount, live, merged, linkCount, identities.Count, anonymised, couponCount, records, windowCount);
    }

    /// <summary>
    /// People kept apart from this one (an undone merge) stop naming its identities, and drop the identity rules'
    /// decisions about them. They are found through the person's own list before its profile goes, so a repeat after a
    /// failure finds them again.
    /// </summary>
    private async Task ForgetInOthersAsync(ErasureJob job, CancellationToken cancellationToken)
    {
        if ((await profiles.ReadManyAsync([job.ProfileId], cancellationToken)).FirstOrDefault() is not { } person)
        {
            return;
        }

        var erased = new HashSet<string>(job.Identities.Concat(job.ProfileIds), StringComparer.Ordinal);
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var apart in person.Value.KeptApart)
        {
            if ((await stitcher.FindStoredAsync(apart, cancellationToken)).Profile is { } other && !erased.Contains(other.Value.Id))
            {
                others.Add(other.Value.Id);
            }
        }

        foreach (var otherId in others)
        {
            for (var attempt = 1; ; attempt++)
            {
                if ((await profiles.ReadManyAsync([otherId], cancellationToken)).FirstOrDefault() is not { } other)
                {
                    break;
                }

                var removed = other.Value.KeptApart.RemoveAll(erased.Contains)
                    + other.Value.IdentityDecisions.RemoveAll(decision => erased.Contains(decision.Identity) || erased.Contains(decision.KeptWith));
                if (removed == 0)
                {
                    break;
                }

                try
                {
                    await profiles.SaveAsync(other.Value, other.ETag, cancellationToken);
                    break;
                }
                catch (StorageConflictException) when (attempt < 5)
                {
                    // Ingest wrote that person meanwhile: read again.
                }
            }
        }
    }

    /// <summary>Blanks the customer of an order (kept for accounting); false when there is no such order or it was anonymised before.</summary>
    private async Task<bool> AnonymiseOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await orders.GetAsync(orderId, cancellationToken) is not { } stored || stored.Value.CustomerId == ErasedCustomerId)
            {
                return false;
            }

            stored.Value.CustomerId = ErasedCustomerId;
            try
            {
                await orders.SaveAsync(stored.Value, stored.ETag, cancellationToken);
                return true;
            }
            catch (StorageConflictException) when (attempt < 5)
            {
                // The order's workflow moved it meanwhile: read it again.
            }
        }
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }
}

/// <summary>What an erasure did, per store. Holds counts only: nothing personal.</summary>
/// <param name="ErasedAt">The erasure's time: ingest drops the person's events up to it.</param>
/// <param name="AlreadyErased">The person was erased before; this repeat swept the identity again.</param>
/// <param name="Identities">The identities erased (each also an events partition, a link and a tombstone).</param>
/// <param name="Events">Event documents deleted (container <c>events</c>).</param>
/// <param name="LiveProfiles">The person's profile deleted (container <c>profiles</c>): 1, or 0 for an anonymous device (it had none) or a repeat.</param>
/// <param name="MergedProfiles">Pointer profiles of merged people deleted (container <c>profiles</c>).</param>
/// <param name="IdentityLinks">Link documents deleted (container <c>identities</c>).</param>
/// <param name="Tombstones">Tombstones written (container <c>erasures</c>): one per identity.</param>
/// <param name="OrdersAnonymised">Pickup orders whose customer was blanked (container <c>orders</c>; the <c>storeorders</c> entries hold nothing personal).</param>
/// <param name="Coupons">Coupons deleted from the ledger (table <c>coupons</c>: the code row and the customer's index row each).</param>
/// <param name="AttributionWindows">The customer's holdout attribution windows deleted (table <c>attribution</c>; the day totals hold nobody and stay).</param>
/// <param name="OrderRecords">Per record kept per order (tables <c>notifications</c>, <c>refunds</c>): rows deleted and rows kept.</param>
public sealed record ErasureReport(
    DateTimeOffset ErasedAt,
    bool AlreadyErased,
    int Identities,
    int Events,
    int LiveProfiles,
    int MergedProfiles,
    int IdentityLinks,
    int Tombstones,
    int OrdersAnonymised,
    int Coupons,
    IReadOnlyDictionary<string, OrderRecordsErased> OrderRecords,
    int AttributionWindows = 0);
