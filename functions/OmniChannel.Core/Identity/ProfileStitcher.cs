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
public sealed class ProfileStitcher(IIdentityLinkStore links, IProfileStore profiles, IEventStore events, EventDecoder decoder, IngestOptions options, IdentityRules? identityRules = null)
{
    private readonly IdentityRules rules = identityRules ?? IdentityRules.Default;

    /// <summary>How many of an identity's most recent stored events are folded into the profile it joins.</summary>
    public const int FoldLimit = 256;

    private static readonly string DevicePrefix = IdentityKey.Device(string.Empty).ToString();

    public sealed record Outcome(int ProfilesWritten, int Merges);

    public async Task<Outcome> ApplyAsync(IReadOnlyList<OmniEvent> batch, CancellationToken cancellationToken)
    {
        // Every identity of the batch as key text, each made once and shared by the events that carry it.
        var identityKeys = new HashSet<string>(batch.Count, StringComparer.Ordinal);
        var personEvents = new List<PersonEvent>(batch.Count);
        foreach (var omniEvent in batch)
        {
            // A blocked value (a till's "0", an "anonymous" placeholder) identifies nobody: the event is applied without it.
            var usable = rules.Usable(omniEvent.Identities);
            if (!usable.IsEmpty)
            {
                personEvents.Add(new PersonEvent(ReferenceEquals(usable, omniEvent.Identities) ? omniEvent : omniEvent with { Identities = usable }, usable.KeyTexts(identityKeys)));
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
                // A person's profile write serves all their events in the batch; it joins the trace of the first.
                using var eventSpan = EventSpans.Enter(component[0].Event);
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
        var (stored, profileId) = await FindStoredAsync(identity, cancellationToken);
        if (stored is not null)
        {
            return stored.Value;
        }

        var anonymous = new CustomerProfile { Id = profileId, Identities = [profileId] };
        return await FoldAsync(anonymous, profileId, cancellationToken) ? anonymous : null;
    }

    /// <summary>
    /// The stored profile an identity belongs to (following its link and merge pointers), with the ETag it was read
    /// with, or null with the id it resolves to: one link read and a profile read per hop, never the identity's events.
    /// </summary>
    public async Task<(Stored<CustomerProfile>? Profile, string ProfileId)> FindStoredAsync(string identity, CancellationToken cancellationToken)
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
                return (found[0], profileId);
            }

            profileId = next;
        }

        return (null, profileId);
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
        // The profile ids the person's identities resolve to, each once, in order of appearance, and the profiles
        // behind them, following merge pointers.
        var members = ResolvedIds(component, knownLinks);
        var loaded = new List<Stored<CustomerProfile>>();

        // An unlinked device never has a profile of its own: a profile is named after its person's strongest identity,
        // and a person of devices alone is never written (SkipAnonymousAsync). Reading one would only ever answer
        // "absent", and most of a batch's identities are such devices.
        IReadOnlyCollection<string> toLoad = members.FindAll(id => !id.StartsWith(DevicePrefix, StringComparison.Ordinal));
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

        var people = People(component, knownLinks, loaded);
        var written = 0;
        var merges = 0;
        foreach (var person in people)
        {
            var (personWritten, personMerges) = await ApplyPersonAsync(person, knownLinks, loaded, cancellationToken);
            written += personWritten;
            merges += personMerges;
        }

        return (written, merges);
    }

    /// <summary>
    /// Applies one person's events. The writes are ordered so that a failure between any two of them, or a concurrent
    /// batch writing one of the profiles, ends as a clean run does (proved by <c>MergeFaultTests</c>):
    /// <list type="number">
    /// <item>links of identities that have no profile of their own (anonymous devices), so a concurrent event of such
    /// a device finds the person from now on; their stored events are folded in after, which catches what came before;</item>
    /// <item>the survivor, with the merged profiles folded in and the merge recorded (one write, guarded by its ETag);</item>
    /// <item>the pointers of the merged profiles, each guarded by its ETag: a concurrent write to a merged profile
    /// fails this step, and the retry reads that profile again, because</item>
    /// <item>the links to a merged profile and its identities are rewritten only now. Until then every identity still
    /// reaches the merged profile, so a retry after a failure anywhere above loads it and merges it again (merging is
    /// idempotent) instead of stranding it behind links that already name the survivor.</item>
    /// </list>
    /// </summary>
    private async ValueTask<(int ProfilesWritten, int Merges)> ApplyPersonAsync(Person person, IReadOnlyDictionary<string, string> knownLinks, List<Stored<CustomerProfile>> loaded, CancellationToken cancellationToken)
    {
        var (survivorId, survivorKind) = IdentityKey.Strongest(CollectionsMarshal.AsSpan(person.Nodes));
        var survivorStored = Live(loaded, survivorId);
        if (survivorStored is null && survivorKind == IdentityKind.Device)
        {
            return await SkipAnonymousAsync(person.Events, knownLinks, cancellationToken);
        }

        var survivor = survivorStored?.Value ?? new CustomerProfile { Id = survivorId };
        var changed = survivorStored is null;

        // Every identity this person brings that the survivor did not list yet joins it now. Merges below add to the
        // survivor's list, so what it listed before is kept apart.
        string[] alreadyListed = [.. survivor.Identities];
        var joining = new List<string>();
        AddJoining(joining, alreadyListed, survivorId);
        foreach (var node in person.Nodes)
        {
            AddJoining(joining, alreadyListed, node);
        }

        foreach (var personEvent in person.Events)
        {
            foreach (var identity in personEvent.IdentityKeys)
            {
                AddJoining(joining, alreadyListed, identity);
            }
        }

        List<Stored<CustomerProfile>>? mergedProfiles = null;
        List<string>? mergedIdentities = null;
        foreach (var node in person.Nodes)
        {
            if (node != survivorId && Live(loaded, node) is { } stored)
            {
                mergedIdentities ??= [];
                AddOnce(mergedIdentities, node);
                foreach (var identity in stored.Value.Identities)
                {
                    AddJoining(joining, alreadyListed, identity);
                    AddOnce(mergedIdentities, identity);
                }

                ProfileProjector.Merge(survivor, stored.Value, MergeRecordFor(survivorId, stored.Value, person.JoinedBy(node)));
                (mergedProfiles ??= []).Add(stored);
                changed = true;
            }
        }

        // In ordinal order, so links are written and timelines folded in the same order on every host.
        joining.Sort(StringComparer.Ordinal);
        List<KeyValuePair<string, string>>? linksFirst = null;
        List<KeyValuePair<string, string>>? linksLast = null;
        foreach (var identity in joining)
        {
            var resolved = Resolve(identity, knownLinks);
            if (identity == survivorId || resolved == survivorId)
            {
                continue;
            }

            // An identity that reaches a stored profile (live or merged) is relinked after the pointers (step 4).
            var reachesProfile = Loaded(loaded, resolved) is not null || (mergedIdentities?.Contains(identity) ?? false);
            if (reachesProfile)
            {
                (linksLast ??= []).Add(KeyValuePair.Create(identity, survivorId));
            }
            else
            {
                (linksFirst ??= []).Add(KeyValuePair.Create(identity, survivorId));
            }
        }

        if (linksFirst is not null)
        {
            await links.WriteLinksAsync(linksFirst, cancellationToken);
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

        foreach (var personEvent in person.Events)
        {
            changed |= ProfileProjector.Apply(survivor, personEvent.Event);
        }

        foreach (var decision in person.Decisions)
        {
            changed |= ProfileProjector.RecordDecision(survivor, decision);
        }

        if (changed)
        {
            await profiles.SaveAsync(survivor, survivorStored?.ETag, cancellationToken);
        }

        if (mergedProfiles is not null)
        {
            foreach (var merged in mergedProfiles)
            {
                await profiles.SaveAsync(merged.Value, merged.ETag, cancellationToken);
            }
        }

        if (linksLast is not null)
        {
            await links.WriteLinksAsync(linksLast, cancellationToken);
        }

        var mergeCount = mergedProfiles?.Count ?? 0;
        return ((changed ? 1 : 0) + mergeCount, mergeCount);
    }

    /// <summary>The audit of a merge; its id is made from what it joined, so a retried merge records it once.</summary>
    private static MergeRecord MergeRecordFor(string survivorId, CustomerProfile merged, PersonEvent? joinedBy)
    {
        var eventKey = joinedBy?.Event.Key;
        var mergeId = OmniEvent.ComputeKey(survivorId + "\n" + merged.Id, eventKey ?? string.Empty)[..16];
        return new MergeRecord(
            mergeId,
            merged.Id,
            [.. merged.Identities.Contains(merged.Id) ? merged.Identities : merged.Identities.Prepend(merged.Id)],
            eventKey,
            joinedBy?.Event.Id,
            joinedBy?.Event.Time ?? merged.LastSeenAt ?? DateTimeOffset.MinValue);
    }

    /// <summary>
    /// The people a component's events belong to, as the identity rules have it. Each event's identifiers join, highest
    /// priority first, unless the join would give one person more identifiers of a kind than the rules allow (two
    /// customer ids through a shared device): then the lower identifier is left out of that event, stays with the
    /// person it belonged to, and the decision is kept. Events are taken oldest first, so the same events decide the
    /// same way in any batch.
    /// </summary>
    private List<Person> People(List<PersonEvent> component, IReadOnlyDictionary<string, string> knownLinks, List<Stored<CustomerProfile>> loaded)
    {
        var sets = new UnionFind();
        var census = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var nodes = new List<string>();
        var placed = new List<(PersonEvent Event, string Anchor)>(component.Count);
        var joinedBy = new Dictionary<string, PersonEvent>(StringComparer.Ordinal);
        List<(string Anchor, IdentityDecision Decision)>? decisions = null;
        foreach (var personEvent in InTimeOrder(component))
        {
            var keys = rules.InPriorityOrder(personEvent.IdentityKeys);
            var anchor = NodeOf(keys[0]);
            census[sets.Find(anchor)].Add(keys[0]);
            List<string>? accepted = null;
            for (var index = 1; index < keys.Length; index++)
            {
                var node = NodeOf(keys[index]);
                var (anchorRoot, nodeRoot) = (sets.Find(anchor), sets.Find(node));
                if (anchorRoot != nodeRoot && rules.Breach(census[anchorRoot], census[nodeRoot]) is { } reason)
                {
                    accepted ??= [.. keys[..index]];
                    var decision = new IdentityDecision(personEvent.Event.Key, personEvent.Event.Id, personEvent.Event.Time, keys[index], nodeRoot, reason);
                    (decisions ??= []).Add((anchor, decision));
                    continue;
                }

                accepted?.Add(keys[index]);
                if (anchorRoot != nodeRoot)
                {
                    var joined = census[anchorRoot];
                    joined.UnionWith(census[nodeRoot]);
                    sets.Union(anchorRoot, nodeRoot);
                    census[sets.Find(anchorRoot)] = joined;
                    joinedBy.TryAdd(anchorRoot, personEvent);
                    joinedBy.TryAdd(nodeRoot, personEvent);
                }

                census[sets.Find(anchor)].Add(keys[index]);
            }

            placed.Add((accepted is null ? personEvent : Accepted(personEvent, accepted), anchor));
        }

        var people = new List<Person>(1);
        foreach (var (personEvent, anchor) in placed)
        {
            PersonOf(sets.Find(anchor)).Events.Add(personEvent);
        }

        foreach (var node in nodes)
        {
            PersonOf(sets.Find(node)).Nodes.Add(node);
        }

        foreach (var (anchor, decision) in decisions ?? [])
        {
            PersonOf(sets.Find(anchor)).Decisions.Add(decision);
        }

        return people;

        string NodeOf(string identity)
        {
            var node = Canonical(Resolve(identity, knownLinks), loaded);
            if (!census.ContainsKey(node))
            {
                sets.Add(node);
                nodes.Add(node);
                census.Add(node, Live(loaded, node) is { } profile
                    ? new HashSet<string>(profile.Value.Identities.Concat(profile.Value.KeptApart.Select(apart => IdentityRules.ApartPrefix + apart)), StringComparer.Ordinal) { node }
                    : new HashSet<string>(StringComparer.Ordinal) { node });
            }

            return node;
        }

        Person PersonOf(string root)
        {
            foreach (var person in people)
            {
                if (person.Root == root)
                {
                    return person;
                }
            }

            var added = new Person(root, joinedBy);
            people.Add(added);
            return added;
        }
    }

    /// <summary>The event with only the identities the rules let it join (it is applied, and its identities listed, as such).</summary>
    private static PersonEvent Accepted(PersonEvent personEvent, List<string> accepted) =>
        new(personEvent.Event with { Identities = personEvent.Event.Identities.Where(key => accepted.Contains(key.ToString())) }, [.. accepted]);

    /// <summary>The live profile a resolved id ends at, following merge pointers read for this component.</summary>
    private static string Canonical(string id, List<Stored<CustomerProfile>> loaded)
    {
        for (var hops = 0; hops < 8 && Loaded(loaded, id)?.Value.MergedInto is { } target; hops++)
        {
            id = target;
        }

        return id;
    }

    /// <summary>The profile read for an id if it is live (not merged into another), or null.</summary>
    private static Stored<CustomerProfile>? Live(List<Stored<CustomerProfile>> loaded, string id) =>
        Loaded(loaded, id) is { Value.MergedInto: null } stored ? stored : null;

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
    /// One person of a component as the identity rules have it: the profile ids (stored or not) they span, their events
    /// oldest first with the identities each may join, and what the rules kept out.
    /// </summary>
    /// <param name="joinedBy">The event that joined each profile id to its person in this component (shared by its people).</param>
    private sealed class Person(string root, Dictionary<string, PersonEvent> joinedBy)
    {
        public string Root { get; } = root;

        public List<string> Nodes { get; } = [];

        public List<PersonEvent> Events { get; } = [];

        public List<IdentityDecision> Decisions { get; } = [];

        /// <summary>The event that joined a profile id to this person, if one did in this batch.</summary>
        public PersonEvent? JoinedBy(string node) => joinedBy.TryGetValue(node, out var personEvent) ? personEvent : null;
    }

    /// <summary>
    /// An event of a person with its identities as key text (<c>customer:C1</c>, …), strongest first. Stitching reads
    /// them often, so they are made once per batch; kept apart from the event, they go with the batch.
    /// </summary>
    private readonly record struct PersonEvent(OmniEvent Event, string[] IdentityKeys);
}
