using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Identity;

/// <summary>
/// Stitches identities and keeps the Customer 360 current for a batch of events: one link read for the batch, one
/// profile write per person per batch however many of their events it holds, and link writes only when identities
/// meet for the first time. A profile is named after the strongest identity of everything stitched into it.
/// <para>
/// Anonymous devices cost no profile write: their events are stored under the device's partition, and the day the
/// device meets a known identity, its recent events are folded into that person's profile. Most web traffic is
/// anonymous, so this is where most of the writes a naive design spends go away.
/// </para>
/// </summary>
public sealed class ProfileStitcher(IIdentityLinkStore links, IProfileStore profiles, IEventStore events, EventDecoder decoder, IngestOptions options)
{
    /// <summary>How many of an identity's most recent stored events are folded into the profile it joins.</summary>
    public const int FoldLimit = ProfileProjector.AppliedEventKeyLimit;

    public sealed record Outcome(int ProfilesWritten, int Merges);

    public async Task<Outcome> ApplyAsync(IReadOnlyList<OmniEvent> batch, CancellationToken cancellationToken)
    {
        var personEvents = batch.Where(omniEvent => !omniEvent.Identities.IsEmpty).ToList();
        if (personEvents.Count == 0)
        {
            return new Outcome(0, 0);
        }

        var knownLinks = await links.ReadLinksAsync(IdentityKeys(personEvents), cancellationToken);
        var components = Components(personEvents, knownLinks);
        var written = 0;
        var merges = 0;
        await Parallel.ForEachAsync(
            components,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelWrites, CancellationToken = cancellationToken },
            async (component, token) =>
            {
                var outcome = await ApplyComponentAsync(component, knownLinks, token);
                Interlocked.Add(ref written, outcome.ProfilesWritten);
                Interlocked.Add(ref merges, outcome.Merges);
            });
        return new Outcome(written, merges);
    }

    /// <summary>
    /// The profile of an identity as the store has it, or — for an anonymous device, which has no document — as its
    /// recent events make it. Null when nothing is known of the identity.
    /// </summary>
    public async Task<CustomerProfile?> FindAsync(string identity, CancellationToken cancellationToken)
    {
        var known = await links.ReadLinksAsync([identity], cancellationToken);
        var profileId = known.TryGetValue(identity, out var linked) ? linked : identity;
        for (var hops = 0; hops < 8; hops++)
        {
            var found = await profiles.ReadManyAsync([profileId], cancellationToken);
            if (found.Count == 0)
            {
                break;
            }

            if (found[0].Value.MergedInto is not { } next)
            {
                return found[0].Value;
            }

            profileId = next;
        }

        var anonymous = new CustomerProfile { Id = profileId, Identities = [profileId] };
        return await FoldAsync(anonymous, profileId, cancellationToken) ? anonymous : null;
    }

    private async Task<Outcome> ApplyComponentAsync(List<OmniEvent> component, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyOnceAsync(component, knownLinks, cancellationToken);
            }
            catch (StorageConflictException) when (attempt < options.ConflictRetries)
            {
                // Another batch stitched or updated one of these profiles meanwhile: resolve again from the store.
                knownLinks = await links.ReadLinksAsync(IdentityKeys(component), cancellationToken);
            }
        }
    }

    private async Task<Outcome> ApplyOnceAsync(List<OmniEvent> component, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
    {
        var sets = new UnionFind();
        foreach (var omniEvent in component)
        {
            UnionIdentities(sets, omniEvent, knownLinks);
        }

        var loaded = new Dictionary<string, Stored<CustomerProfile>>(StringComparer.Ordinal);
        var toLoad = sets.Members.ToList();
        HashSet<string>? requested = null;
        while (toLoad.Count > 0)
        {
            foreach (var stored in await profiles.ReadManyAsync(toLoad, cancellationToken))
            {
                loaded[stored.Value.Id] = stored;
            }

            // A profile read as a pointer was merged by someone else: follow it, reading each id once.
            toLoad = [];
            foreach (var pointer in loaded.Values.Where(stored => stored.Value.MergedInto is not null).ToList())
            {
                sets.Union(pointer.Value.Id, pointer.Value.MergedInto!);
                requested ??= new HashSet<string>(sets.Members, StringComparer.Ordinal);
                if (requested.Add(pointer.Value.MergedInto!) && !loaded.ContainsKey(pointer.Value.MergedInto!))
                {
                    toLoad.Add(pointer.Value.MergedInto!);
                }
            }
        }

        var members = sets.Members.ToList();
        var survivorId = members.MinBy(IdentityKey.Parse)!;
        loaded.TryGetValue(survivorId, out var survivorStored);
        if (survivorStored is null && IdentityKey.Parse(survivorId).Kind == IdentityKind.Device)
        {
            return await SkipAnonymousAsync(component, knownLinks, cancellationToken);
        }

        var survivor = survivorStored?.Value ?? new CustomerProfile { Id = survivorId };
        var changed = survivorStored is null;
        var alreadyListed = survivor.Identities.ToHashSet(StringComparer.Ordinal);

        // Every identity this component brings that the survivor does not list yet joins it now.
        var joining = new SortedSet<string>(StringComparer.Ordinal) { survivorId };
        joining.UnionWith(members);
        joining.UnionWith(component.SelectMany(omniEvent => omniEvent.Identities.Keys()).Select(key => key.ToString()));
        var mergedProfiles = new List<Stored<CustomerProfile>>();
        foreach (var member in members.Where(member => member != survivorId))
        {
            if (loaded.TryGetValue(member, out var stored) && stored.Value.MergedInto != survivorId)
            {
                joining.UnionWith(stored.Value.Identities);
                ProfileProjector.Merge(survivor, stored.Value);
                mergedProfiles.Add(stored);
                changed = true;
            }
        }

        joining.ExceptWith(alreadyListed);
        var linksToWrite = joining
            .Where(identity => identity != survivorId && Resolve(identity, knownLinks) != survivorId)
            .Select(identity => KeyValuePair.Create(identity, survivorId))
            .ToList();

        // Links first, so a concurrent batch with an anonymous event of a joining device resolves it to the survivor
        // from now on; then the device's earlier events are read and folded in, which catches what was stored before.
        if (linksToWrite.Count > 0)
        {
            await links.WriteLinksAsync(linksToWrite, cancellationToken);
        }

        foreach (var identity in joining)
        {
            if (!survivor.Identities.Contains(identity))
            {
                survivor.Identities.Add(identity);
            }

            if (!loaded.ContainsKey(identity))
            {
                changed |= await FoldAsync(survivor, identity, cancellationToken);
            }
        }

        foreach (var omniEvent in component.OrderBy(omniEvent => omniEvent.Time))
        {
            changed |= ProfileProjector.Apply(survivor, omniEvent);
        }

        if (changed)
        {
            await profiles.SaveAsync(survivor, survivorStored?.ETag, cancellationToken);
        }

        // Pointers last: a crash before this point leaves profiles that the retried batch merges again, changing nothing twice.
        foreach (var merged in mergedProfiles)
        {
            await profiles.SaveAsync(merged.Value, merged.ETag, cancellationToken);
        }

        return new Outcome((changed ? 1 : 0) + mergedProfiles.Count, mergedProfiles.Count);
    }

    /// <summary>
    /// Events of devices nobody has signed in on yet are only stored. The links are read once more after storing, so
    /// a sign-in that linked the device meanwhile is not missed: the event then goes to that person's profile.
    /// </summary>
    private async Task<Outcome> SkipAnonymousAsync(List<OmniEvent> component, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
    {
        var keys = IdentityKeys(component);
        var now = await links.ReadLinksAsync(keys, cancellationToken);
        if (keys.Any(key => Resolve(key, now) != Resolve(key, knownLinks)))
        {
            throw new StorageConflictException("A device of this batch was linked to a profile meanwhile.");
        }

        return new Outcome(0, 0);
    }

    /// <summary>Applies an identity's most recent stored events to a profile; true if any was new to it.</summary>
    private async Task<bool> FoldAsync(CustomerProfile profile, string identity, CancellationToken cancellationToken)
    {
        var changed = false;
        var stored = await events.ReadTimelineAsync([identity], FoldLimit, null, cancellationToken);
        foreach (var entry in stored.Reverse())
        {
            if (decoder.Rehydrate(entry) is { } omniEvent)
            {
                changed |= ProfileProjector.Apply(profile, omniEvent);
            }
        }

        return changed;
    }

    private static List<List<OmniEvent>> Components(List<OmniEvent> batch, IReadOnlyDictionary<string, string> knownLinks)
    {
        var sets = new UnionFind();
        foreach (var omniEvent in batch)
        {
            UnionIdentities(sets, omniEvent, knownLinks);
        }

        return batch
            .GroupBy(omniEvent => sets.Find(Resolve(omniEvent.Identities.Keys()[0].ToString(), knownLinks)))
            .Select(group => group.ToList())
            .ToList();
    }

    private static void UnionIdentities(UnionFind sets, OmniEvent omniEvent, IReadOnlyDictionary<string, string> knownLinks)
    {
        var keys = omniEvent.Identities.Keys();
        var first = Resolve(keys[0].ToString(), knownLinks);
        sets.Add(first);
        for (var index = 1; index < keys.Count; index++)
        {
            sets.Union(first, Resolve(keys[index].ToString(), knownLinks));
        }
    }

    private static string Resolve(string identity, IReadOnlyDictionary<string, string> knownLinks) =>
        knownLinks.TryGetValue(identity, out var profileId) ? profileId : identity;

    private static HashSet<string> IdentityKeys(IEnumerable<OmniEvent> batch) =>
        batch.SelectMany(omniEvent => omniEvent.Identities.Keys()).Select(key => key.ToString()).ToHashSet(StringComparer.Ordinal);
}
