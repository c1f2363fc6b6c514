using System.Globalization;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Workflows.Tests.Fakes;

/// <summary>The profiles container in memory with ETag semantics.</summary>
public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly Dictionary<string, (string Json, int Version)> _profiles = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Seed(CustomerProfile profile)
    {
        lock (_lock)
        {
            _profiles[profile.Id] = (Copy.Json(profile), 1);
        }
    }

    public CustomerProfile? Get(string id)
    {
        lock (_lock)
        {
            return _profiles.TryGetValue(id, out var entry) ? Copy.From<CustomerProfile>(entry.Json) : null;
        }
    }

    public Task<IReadOnlyList<Stored<CustomerProfile>>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Stored<CustomerProfile>> found = ids
                .Where(_profiles.ContainsKey)
                .Select(id => new Stored<CustomerProfile>(Copy.From<CustomerProfile>(_profiles[id].Json), _profiles[id].Version.ToString(CultureInfo.InvariantCulture)))
                .ToList();
            return Task.FromResult(found);
        }
    }

    public Task SaveAsync(CustomerProfile profile, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var exists = _profiles.TryGetValue(profile.Id, out var current);
            if (etag is null ? exists : !exists || current.Version.ToString(CultureInfo.InvariantCulture) != etag)
            {
                throw new StorageConflictException($"Profile {profile.Id} was created or changed by someone else (409/412).");
            }

            _profiles[profile.Id] = (Copy.Json(profile), exists ? current.Version + 1 : 1);
            return Task.CompletedTask;
        }
    }
}
