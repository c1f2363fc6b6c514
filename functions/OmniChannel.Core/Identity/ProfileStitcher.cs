using OmniChannel.Core.Events;
using OmniChannel.Core.Ingest;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Identity;

/// <summary>
/// Stitches identities and keeps the Customer 360 current for a batch of events: one link read for the batch, one
/// profile write per person per batch however many of their events it holds, and link writes only when identities
/// meet for the first time. A profile is named after the strongest identity of everything stitched into it.
/// </summary>
public sealed class ProfileStitcher(IIdentityLinkStore links, IProfileStore profiles, IngestOptions options)
{
    public sealed record Outcome(int ProfilesWritten, int Merges);

    public async Task<Outcome> ApplyAsync(IReadOnlyList<OmniEvent> events, CancellationToken cancellationToken)
    {
        var personEvents = events.Where(omniEvent => !omniEvent.Identities.IsEmpty).ToList();
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

    private async Task<Outcome> ApplyComponentAsync(List<OmniEvent> events, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyOnceAsync(events, knownLinks, cancellationToken);
            }
            catch (StorageConflictException) when (attempt < options.ConflictRetries)
            {
                // Another batch stitched or updated one of these profiles meanwhile: resolve again from the store.
                knownLinks = await links.ReadLinksAsync(IdentityKeys(events), cancellationToken);
            }
        }
    }

    private async Task<Outcome> ApplyOnceAsync(List<OmniEvent> events, IReadOnlyDictionary<string, string> knownLinks, CancellationToken cancellationToken)
    {
        var sets = new UnionFind();
        foreach (var omniEvent in events)
        {
            UnionIdentities(sets, omniEvent, knownLinks);
        }

        var loaded = new Dictionary<string, Stored<CustomerProfile>>(StringComparer.Ordinal);
        var toLoad = sets.Members.ToList();
        while (toLoad.Count > 0)
        {
            foreach (var stored in await profiles.ReadManyAsync(toLoad, cancellationToken))
            {
                loaded[stored.Value.Id] = stored;
            }

            // A profile read as a pointer was merged by someone else: follow it.
            toLoad = [];
            foreach (var pointer in loaded.Values.Where(stored => stored.Value.MergedInto is not null).ToList())
            {
                sets.Union(pointer.Value.Id, pointer.Value.MergedInto!);
                if (!loaded.ContainsKey(pointer.Value.MergedInto!))
                {
                    toLoad.Add(pointer.Value.MergedInto!);
                }
            }
        }

        var members = sets.Members.ToList();
        var survivorId = members.MinBy(IdentityKey.Parse)!;
        loaded.TryGetValue(survivorId, out var survivorStored);
        var survivor = survivorStored?.Value ?? new CustomerProfile { Id = survivorId, Identities = [survivorId] };
        var changed = survivorStored is null;

        var mergedProfiles = new List<Stored<CustomerProfile>>();
        var linksToWrite = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in members.Where(member => member != survivorId))
        {
            linksToWrite[member] = survivorId;
            if (loaded.TryGetValue(member, out var stored) && stored.Value.MergedInto != survivorId)
            {
                foreach (var identity in stored.Value.Identities)
                {
                    linksToWrite[identity] = survivorId;
                }

                ProfileProjector.Merge(survivor, stored.Value);
                mergedProfiles.Add(stored);
                changed = true;
            }
        }

        foreach (var omniEvent in events.OrderBy(omniEvent => omniEvent.Time))
        {
            changed |= ProfileProjector.Apply(survivor, omniEvent);
            foreach (var key in omniEvent.Identities.Keys())
            {
                var identity = key.ToString();
                if (identity != survivorId && Resolve(identity, knownLinks) != survivorId)
                {
                    linksToWrite[identity] = survivorId;
                }
            }
        }

        linksToWrite.Remove(survivorId);
        foreach (var (identity, profileId) in knownLinks)
        {
            if (profileId == survivorId)
            {
                linksToWrite.Remove(identity);
            }
        }

        // Order matters for a crash in between: the survivor first, then the links, then the pointers; a retry
        // of the batch then merges again, which changes nothing that was already merged.
        if (changed)
        {
            await profiles.SaveAsync(survivor, survivorStored?.ETag, cancellationToken);
        }

        if (linksToWrite.Count > 0)
        {
            await links.WriteLinksAsync(linksToWrite.ToList(), cancellationToken);
        }

        foreach (var merged in mergedProfiles)
        {
            await profiles.SaveAsync(merged.Value, merged.ETag, cancellationToken);
        }

        return new Outcome((changed ? 1 : 0) + mergedProfiles.Count, mergedProfiles.Count);
    }

    private static List<List<OmniEvent>> Components(List<OmniEvent> events, IReadOnlyDictionary<string, string> knownLinks)
    {
        var sets = new UnionFind();
        foreach (var omniEvent in events)
        {
            UnionIdentities(sets, omniEvent, knownLinks);
        }

        return events
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

    private static HashSet<string> IdentityKeys(IEnumerable<OmniEvent> events) =>
        events.SelectMany(omniEvent => omniEvent.Identities.Keys()).Select(key => key.ToString()).ToHashSet(StringComparer.Ordinal);
}
