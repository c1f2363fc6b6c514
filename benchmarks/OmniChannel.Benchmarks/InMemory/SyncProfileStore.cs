using System.Globalization;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Benchmarks.InMemory;

/// <summary>Profiles by reference with a version as ETag: no serialisation, which belongs to the Cosmos adapter's cost, not the pipeline's.</summary>
internal sealed class SyncProfileStore : IProfileStore
{
    private readonly Dictionary<string, (CustomerProfile Profile, int Version)> _profiles = new(StringComparer.Ordinal);

    public void Clear() => _profiles.Clear();

    public Task<IReadOnlyList<Stored<CustomerProfile>>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new List<Stored<CustomerProfile>>(ids.Count);
        lock (_profiles)
        {
            foreach (var id in ids)
            {
                if (_profiles.TryGetValue(id, out var entry))
                {
                    found.Add(new Stored<CustomerProfile>(entry.Profile, ETag(entry.Version)));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<Stored<CustomerProfile>>>(found);
    }

    public Task SaveAsync(CustomerProfile profile, string? etag, CancellationToken cancellationToken)
    {
        lock (_profiles)
        {
            var exists = _profiles.TryGetValue(profile.Id, out var current);
            if (etag is null ? exists : !exists || ETag(current.Version) != etag)
            {
                throw new StorageConflictException($"Profile '{profile.Id}' changed.");
            }

            _profiles[profile.Id] = (profile, exists ? current.Version + 1 : 0);
        }

        return Task.CompletedTask;
    }

    private static string ETag(int version) => version.ToString(CultureInfo.InvariantCulture);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_profiles)
        {
            return Task.FromResult(_profiles.Remove(id));
        }
    }
}
