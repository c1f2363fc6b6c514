using OmniChannel.Core.Events;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Identity;

/// <summary>What undoing a merge did: the person who keeps the profile, the one restored, and how many events each was rebuilt from.</summary>
public sealed record MergeUndone(string SurvivorId, string RestoredProfileId, IReadOnlyList<string> RestoredIdentities, int SurvivorEvents, int RestoredEvents);

public enum MergeUndoStatus
{
    Undone,

    /// <summary>Undone before (a repeated request, e.g. after a timeout): nothing more to do.</summary>
    AlreadyUndone,
    UnknownPerson,
    UnknownMerge,
}

/// <summary>
/// Undoes one recorded merge (an administrator found that a shared identifier joined two people): both profiles are
/// rebuilt from their own events, since the event store is the source of truth, the merged identities are linked back
/// to the restored profile, and each profile keeps the other's identities apart so the next event naming both does
/// not merge them again (the identity rules record that decision instead).
/// </summary>
public sealed class MergeUndo(ProfileStitcher stitcher, IProfileStore profiles, IIdentityLinkStore links, IEventStore events, EventDecoder decoder, TimeProvider clock)
{
    /// <summary>The most events read back for one side of the merge.</summary>
    public const int MaxEventsPerSide = 20_000;

    private const int PageSize = 200;
    private const int Attempts = 8;

    public async Task<(MergeUndoStatus Status, MergeUndone? Result)> UndoAsync(string identity, string mergeId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UndoOnceAsync(identity, mergeId, cancellationToken);
            }
            catch (StorageConflictException) when (attempt < Attempts)
            {
                // A batch wrote one of the two profiles meanwhile: read both again and rebuild.
            }
        }
    }

    /// <summary>
    /// The writes are ordered so that a failure between any two leaves the merge recorded on the survivor, and a
    /// repeat of the request finishes it: the restored profile first (over its pointer), then the links of its
    /// identities (from then on its events reach it), then its events read once more (those that arrived meanwhile),
    /// and last the survivor without the merge.
    /// </summary>
    private async Task<(MergeUndoStatus, MergeUndone?)> UndoOnceAsync(string identity, string mergeId, CancellationToken cancellationToken)
    {
        if ((await stitcher.FindStoredAsync(identity, cancellationToken)).Profile is not { } survivor)
        {
            return (MergeUndoStatus.UnknownPerson, null);
        }

        if (survivor.Value.Merges.Find(merge => merge.MergeId == mergeId) is not { } record)
        {
            return (MergeUndoStatus.UnknownMerge, null);
        }

        if (record.UndoneAt is not null)
        {
            return (MergeUndoStatus.AlreadyUndone, null);
        }

        var split = new HashSet<string>(record.Identities, StringComparer.Ordinal) { record.MergedProfileId };
        var kept = new HashSet<string>(survivor.Value.Identities.Where(id => !split.Contains(id)), StringComparer.Ordinal) { survivor.Value.Id };
        var survivorEvents = await EventsOfAsync(kept, cancellationToken);
        var restoredEvents = await EventsOfAsync(split, cancellationToken);

        var restored = Rebuild(record.MergedProfileId, split, restoredEvents);
        var rebuilt = Rebuild(survivor.Value.Id, kept, survivorEvents);
        CarryOver(survivor.Value, record with { UndoneAt = clock.GetUtcNow() }, rebuilt, restored, split);

        var pointer = (await profiles.ReadManyAsync([record.MergedProfileId], cancellationToken)).FirstOrDefault();
        await profiles.SaveAsync(restored, pointer?.ETag, cancellationToken);
        await links.WriteLinksAsync(split.Select(id => KeyValuePair.Create(id, record.MergedProfileId)).ToList(), cancellationToken);
        await CatchUpAsync(record.MergedProfileId, split, cancellationToken);
        await profiles.SaveAsync(rebuilt, survivor.ETag, cancellationToken);
        return (MergeUndoStatus.Undone, new MergeUndone(rebuilt.Id, restored.Id, [.. split.Order(StringComparer.Ordinal)], survivorEvents.Count, restoredEvents.Count));
    }

    /// <summary>A profile made anew from its own events, each with only the identities that belong to this side.</summary>
    private static CustomerProfile Rebuild(string id, HashSet<string> identities, List<OmniEvent> sideEvents)
    {
        var profile = new CustomerProfile { Id = id };
        foreach (var omniEvent in sideEvents)
        {
            ProfileProjector.Apply(profile, Own(omniEvent, identities));
        }

        foreach (var identity in identities.Order(StringComparer.Ordinal))
        {
            if (!profile.Identities.Contains(identity))
            {
                profile.Identities.Add(identity);
            }
        }

        profile.CustomerId ??= IdentityKey.TryParse(id, out var key) && key.Kind == IdentityKind.Customer ? key.Value : null;
        return profile;
    }

    /// <summary>
    /// What events do not hold: pickup outcomes, coupons, merge records and decisions go to the side they belong to,
    /// and each side keeps the other apart.
    /// </summary>
    private static void CarryOver(CustomerProfile before, MergeRecord undone, CustomerProfile survivor, CustomerProfile restored, HashSet<string> split)
    {
        foreach (var step in before.JourneySteps.Where(step => step.Move is JourneyMove.PickupCollected or JourneyMove.PickupClosed && step.OrderId is not null))
        {
            var owner = HasOrder(restored, step.OrderId!) && !HasOrder(survivor, step.OrderId!) ? restored : survivor;
            ProfileProjector.RecordPickupOutcome(owner, step.OrderId!, step.Move == JourneyMove.PickupCollected, step.At);
        }

        // Coupons were issued to a customer id; they stay with the side that has it.
        var couponOwner = restored.CustomerId is not null && restored.CustomerId == before.CustomerId && survivor.CustomerId != before.CustomerId ? restored : survivor;
        foreach (var coupon in before.Coupons)
        {
            ProfileProjector.RecordCoupon(couponOwner, coupon);
        }

        foreach (var merge in before.Merges)
        {
            if (merge.MergeId == undone.MergeId)
            {
                // Kept, marked undone: the audit shows it, and a repeated request knows it is done.
                survivor.Merges.Add(undone);
            }
            else
            {
                (split.Contains(merge.MergedProfileId) ? restored : survivor).Merges.Add(merge);
            }
        }

        survivor.IdentityDecisions.AddRange(before.IdentityDecisions);
        survivor.KeptApart.AddRange(before.KeptApart.Concat(split).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        restored.KeptApart.AddRange(survivor.Identities.Order(StringComparer.Ordinal));
    }

    /// <summary>Events of the restored identities stored while it was rebuilt (they went to the survivor) are applied to it too.</summary>
    private async Task CatchUpAsync(string restoredId, HashSet<string> split, CancellationToken cancellationToken)
    {
        var sideEvents = await EventsOfAsync(split, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var stored = (await profiles.ReadManyAsync([restoredId], cancellationToken)).Single();
            var changed = false;
            foreach (var omniEvent in sideEvents)
            {
                changed |= ProfileProjector.Apply(stored.Value, Own(omniEvent, split));
            }

            if (!changed)
            {
                return;
            }

            try
            {
                await profiles.SaveAsync(stored.Value, stored.ETag, cancellationToken);
                return;
            }
            catch (StorageConflictException) when (attempt < Attempts)
            {
                // Ingest applied an event to it meanwhile: apply ours again over that.
            }
        }
    }

    /// <summary>Every stored event of the identities (each a partition of the events container), oldest first.</summary>
    private async Task<List<OmniEvent>> EventsOfAsync(HashSet<string> identities, CancellationToken cancellationToken)
    {
        var found = new List<OmniEvent>();
        string? before = null;
        while (found.Count < MaxEventsPerSide)
        {
            var page = await events.ReadTimelineAsync(identities, PageSize, before, cancellationToken);
            foreach (var entry in page)
            {
                if (decoder.Rehydrate(entry) is { } omniEvent)
                {
                    found.Add(omniEvent);
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            before = page[^1].SortKey;
        }

        found.Reverse();
        return found;
    }

    private static OmniEvent Own(OmniEvent omniEvent, HashSet<string> identities)
    {
        var own = omniEvent.Identities.Where(key => identities.Contains(key.ToString()));
        return ReferenceEquals(own, omniEvent.Identities) ? omniEvent : omniEvent with { Identities = own };
    }

    private static bool HasOrder(CustomerProfile profile, string orderId) =>
        profile.OpenOrders.Exists(order => order.OrderId == orderId) || profile.JourneySteps.Exists(step => step.OrderId == orderId);
}
