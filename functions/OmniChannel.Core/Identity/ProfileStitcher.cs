using System.Runtime.InteropServices;
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

    private static readonly string DevicePrefix = IdentityKey.Device(string.Empty).ToString();

    public sealed record Outcome(int ProfilesWritten, int Merges);

    public async Task<Outcome> ApplyAsync(IReadOnlyList<OmniEvent> batch, CancellationToken cancellationToken)
    {
        // Every identity of the batch as key text, each made once and shared by the events that carry it.
        var identityKeys = new HashSet<string>(batch.Count, StringComparer.Ordinal);
        var personEvents = new List<PersonEvent>(batch.Count);
        foreach (var omniEvent in batch)
        {
            if (!omniEvent.Identities.IsEmpty)
            {
                personEvents.Add(new PersonEvent(omniEvent, omniEvent.Identities.KeyTexts(identityKeys)));
            }
        }

        if (personEvents.Count == 0)
        {
            return new Outcome(0, 0);
        }

        var knownLinks = await links.ReadLinksAsync(identityKeys, cancellationToken);
        var components = Components(personEvents, knownLinks, identityKeys.Count);
        var written = 0;
        var merges = 0;
        await Parallel.ForEachAsync(
            components,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelWrites, CancellationToken = cancellationToken },
            async (component, token) =>
            {
                var (profilesWritten, componentMerges) = await ApplyComponentAsync(component, knownLinks, token);
                Interlocked.Add(ref written, profilesWritten);
                Interlocked.Add(ref merges, componentMerges);
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

    // The per-person steps answer ValueTasks of a tuple: with stores that complete synchronously (and the
    // in-process parts of every batch), they then cost no allocation per person.
    private async ValueTask<(int ProfilesWritten, int Merges)> ApplyComponentAsync(List<PersonEvent> component, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
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

    private async ValueTask<(int ProfilesWritten, int Merges)> ApplyOnceAsync(List<PersonEvent> component, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
    {
        // The profile ids the person's identities resolve to, each once, in order of appearance. Only which ids the
        // person spans matters from here on, not how they connect, so a list serves where a union-find would.
        var members = ResolvedIds(component, knownLinks);
        var loaded = new List<Stored<CustomerProfile>>();
        IReadOnlyCollection<string> toLoad = members;
        HashSet<string>? requested = null;
        while (toLoad.Count > 0)
        {
            var found = await profiles.ReadManyAsync(toLoad, cancellationToken);
            for (var index = 0; index < found.Count; index++)
            {
                Keep(loaded, found[index]);
            }

            toLoad = PointerTargetsToRead(loaded, ref members, ref requested);
        }

        var (survivorId, survivorKind) = IdentityKey.Strongest(CollectionsMarshal.AsSpan(members));
        var survivorStored = Loaded(loaded, survivorId);
        if (survivorStored is null && survivorKind == IdentityKind.Device)
        {
            return await SkipAnonymousAsync(component, knownLinks, cancellationToken);
        }

        var survivor = survivorStored?.Value ?? new CustomerProfile { Id = survivorId };
        var changed = survivorStored is null;

        // Every identity this component brings that the survivor did not list yet joins it now. Merges below add to
        // the survivor's list, so what it listed before is kept apart.
        string[] alreadyListed = [.. survivor.Identities];
        var joining = new List<string>();
        AddJoining(joining, alreadyListed, survivorId);
        foreach (var member in members)
        {
            AddJoining(joining, alreadyListed, member);
        }

        foreach (var personEvent in component)
        {
            foreach (var identity in personEvent.IdentityKeys)
            {
                AddJoining(joining, alreadyListed, identity);
            }
        }

        List<Stored<CustomerProfile>>? mergedProfiles = null;
        foreach (var member in members)
        {
            if (member != survivorId && Loaded(loaded, member) is { } stored && stored.Value.MergedInto != survivorId)
            {
                foreach (var identity in stored.Value.Identities)
                {
                    AddJoining(joining, alreadyListed, identity);
                }

                ProfileProjector.Merge(survivor, stored.Value);
                (mergedProfiles ??= []).Add(stored);
                changed = true;
            }
        }

        // In ordinal order, so links are written and timelines folded in the same order on every host.
        joining.Sort(StringComparer.Ordinal);
        List<KeyValuePair<string, string>>? linksToWrite = null;
        foreach (var identity in joining)
        {
            if (identity != survivorId && Resolve(identity, knownLinks) != survivorId)
            {
                (linksToWrite ??= []).Add(KeyValuePair.Create(identity, survivorId));
            }
        }

        // Links first, so a concurrent batch with an anonymous event of a joining device resolves it to the survivor
        // from now on; then the device's earlier events are read and folded in, which catches what was stored before.
        if (linksToWrite is not null)
        {
            await links.WriteLinksAsync(linksToWrite, cancellationToken);
        }

        foreach (var identity in joining)
        {
            if (!survivor.Identities.Contains(identity))
            {
                survivor.Identities.Add(identity);
            }

            // Only an anonymous device can have stored events that no profile holds yet: every event that carries a
            // customer, loyalty or e-mail identity went to a profile when it was ingested. Folding nothing else saves
            // a query per newly seen person.
            if (Loaded(loaded, identity) is null && identity.StartsWith(DevicePrefix, StringComparison.Ordinal))
            {
                changed |= await FoldAsync(survivor, identity, cancellationToken);
            }
        }

        foreach (var personEvent in InTimeOrder(component))
        {
            changed |= ProfileProjector.Apply(survivor, personEvent.Event);
        }

        if (changed)
        {
            await profiles.SaveAsync(survivor, survivorStored?.ETag, cancellationToken);
        }

        // Pointers last: a crash before this point leaves profiles that the retried batch merges again, changing nothing twice.
        if (mergedProfiles is null)
        {
            return (changed ? 1 : 0, 0);
        }

        foreach (var merged in mergedProfiles)
        {
            await profiles.SaveAsync(merged.Value, merged.ETag, cancellationToken);
        }

        return ((changed ? 1 : 0) + mergedProfiles.Count, mergedProfiles.Count);
    }

    /// <summary>
    /// The profile read for an id, or null. The profiles read for a person are kept in a list, in the order first read:
    /// a person has a handful, which a search finds sooner than a dictionary is made.
    /// </summary>
    private static Stored<CustomerProfile>? Loaded(List<Stored<CustomerProfile>> loaded, string id)
    {
        foreach (var stored in loaded)
        {
            if (stored.Value.Id == id)
            {
                return stored;
            }
        }

        return null;
    }

    /// <summary>Keeps a profile read, in place of an earlier read of it.</summary>
    private static void Keep(List<Stored<CustomerProfile>> loaded, Stored<CustomerProfile> read)
    {
        for (var index = 0; index < loaded.Count; index++)
        {
            if (loaded[index].Value.Id == read.Value.Id)
            {
                loaded[index] = read;
                return;
            }
        }

        loaded.Add(read);
    }

    /// <summary>Adds an identity to those joining the survivor, once, unless the survivor listed it already.</summary>
    private static void AddJoining(List<string> joining, string[] alreadyListed, string identity)
    {
        if (Array.IndexOf(alreadyListed, identity) < 0 && !joining.Contains(identity))
        {
            joining.Add(identity);
        }
    }

    /// <summary>
    /// A profile read as a pointer was merged by someone else: it and its target join the person's ids, and the
    /// target is read next, each id once. Every pointer read so far is looked at again each round (an id already
    /// there changes nothing).
    /// </summary>
    private static IReadOnlyCollection<string> PointerTargetsToRead(List<Stored<CustomerProfile>> loaded, ref List<string> members, ref HashSet<string>? requested)
    {
        List<string>? toRead = null;
        var copied = false;
        foreach (var stored in loaded)
        {
            if (stored.Value.MergedInto is not { } target)
            {
                continue;
            }

            if (!copied)
            {
                // A new list: the one the profiles were just read with stays as it was given.
                members = [.. members];
                copied = true;
            }

            // The ids read so far, taken before the target joins them, so a target not yet read is read next.
            requested ??= new HashSet<string>(members, StringComparer.Ordinal);
            AddOnce(members, stored.Value.Id);
            AddOnce(members, target);
            if (requested.Add(target) && Loaded(loaded, target) is null)
            {
                (toRead ??= []).Add(target);
            }
        }

        return toRead ?? [];
    }

    /// <summary>
    /// Events of devices nobody has signed in on yet are only stored. The links are read once more after storing, so
    /// a sign-in that linked the device meanwhile is not missed: the event then goes to that person's profile.
    /// </summary>
    private async ValueTask<(int ProfilesWritten, int Merges)> SkipAnonymousAsync(List<PersonEvent> component, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
    {
        var keys = IdentityKeys(component);
        var now = await links.ReadLinksAsync(keys, cancellationToken);
        foreach (var key in keys)
        {
            if (Resolve(key, now) != Resolve(key, knownLinks))
            {
                throw new StorageConflictException("A device of this batch was linked to a profile meanwhile.");
            }
        }

        return (0, 0);
    }

    /// <summary>Applies an identity's most recent stored events to a profile; true if any was new to it.</summary>
    private async ValueTask<bool> FoldAsync(CustomerProfile profile, string identity, CancellationToken cancellationToken)
    {
        var changed = false;
        var stored = await events.ReadTimelineAsync([identity], FoldLimit, null, cancellationToken);

        // The timeline comes newest first; the events are applied as they happened.
        for (var index = stored.Count - 1; index >= 0; index--)
        {
            if (decoder.Rehydrate(stored[index]) is { } omniEvent)
            {
                changed |= ProfileProjector.Apply(profile, omniEvent);
            }
        }

        return changed;
    }

    /// <summary>The batch's events grouped by person, each group in batch order, the groups in order of their first event.</summary>
    private static List<List<PersonEvent>> Components(List<PersonEvent> batch, IReadOnlyDictionary<string, string> knownLinks, int identityCount)
    {
        var sets = new UnionFind(identityCount);
        foreach (var personEvent in batch)
        {
            UnionIdentities(sets, personEvent, knownLinks);
        }

        var components = new List<List<PersonEvent>>();
        var byPerson = new Dictionary<string, List<PersonEvent>>(StringComparer.Ordinal);
        foreach (var personEvent in batch)
        {
            var person = sets.Find(Resolve(personEvent.IdentityKeys[0], knownLinks));
            if (!byPerson.TryGetValue(person, out var component))
            {
                byPerson.Add(person, component = []);
                components.Add(component);
            }

            component.Add(personEvent);
        }

        return components;
    }

    /// <summary>The profile ids the events' identities resolve to, each once, in order of appearance.</summary>
    private static List<string> ResolvedIds(List<PersonEvent> events, IReadOnlyDictionary<string, string> knownLinks)
    {
        var ids = new List<string>();
        foreach (var personEvent in events)
        {
            foreach (var key in personEvent.IdentityKeys)
            {
                AddOnce(ids, Resolve(key, knownLinks));
            }
        }

        return ids;
    }

    /// <summary>Adds an id unless the list has it: a person has a handful, which a search finds sooner than a set is made.</summary>
    private static void AddOnce(List<string> ids, string id)
    {
        if (!ids.Contains(id))
        {
            ids.Add(id);
        }
    }

    private static void UnionIdentities(UnionFind sets, PersonEvent personEvent, IReadOnlyDictionary<string, string> knownLinks)
    {
        var keys = personEvent.IdentityKeys;
        var first = Resolve(keys[0], knownLinks);
        sets.Add(first);
        for (var index = 1; index < keys.Length; index++)
        {
            sets.Union(first, Resolve(keys[index], knownLinks));
        }
    }

    /// <summary>The events oldest first, keeping batch order among equal times; most components already are in order.</summary>
    private static List<PersonEvent> InTimeOrder(List<PersonEvent> component)
    {
        for (var index = 1; index < component.Count; index++)
        {
            if (component[index].Event.Time < component[index - 1].Event.Time)
            {
                // OrderBy, as its sort is stable.
                return component.OrderBy(personEvent => personEvent.Event.Time).ToList();
            }
        }

        return component;
    }

    private static string Resolve(string identity, IReadOnlyDictionary<string, string> knownLinks) =>
        knownLinks.TryGetValue(identity, out var profileId) ? profileId : identity;

    /// <summary>A person's identity keys, each once, in order of appearance.</summary>
    private static List<string> IdentityKeys(List<PersonEvent> events)
    {
        var keys = new List<string>();
        foreach (var personEvent in events)
        {
            foreach (var key in personEvent.IdentityKeys)
            {
                AddOnce(keys, key);
            }
        }

        return keys;
    }

    /// <summary>
    /// An event of a person with its identities as key text (<c>customer:C1</c>, …), strongest first. Stitching reads
    /// them often, so they are made once per batch; kept apart from the event, they go with the batch.
    /// </summary>
    private readonly record struct PersonEvent(OmniEvent Event, string[] IdentityKeys);
}
