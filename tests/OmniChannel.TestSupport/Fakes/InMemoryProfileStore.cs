using System.Globalization;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.TestSupport.Fakes;

/// <summary>
/// The profiles container in memory with real ETag semantics (create fails if the id exists, replace fails if the
/// ETag moved), counting writes; can lose a race on demand, as if another instance wrote the profile first.
/// </summary>
public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly Dictionary<string, (string Json, int Version)> _profiles = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// When set, the next save of a profile that already exists first runs this "concurrent writer" on the stored
    /// copy (which moves its ETag) and then fails with <see cref="StorageConflictException"/>.
    /// </summary>
    public Action<CustomerProfile>? ConcurrentWriterOnNextSave { get; set; }

    public int SaveCalls { get; private set; }

    public int Conflicts { get; private set; }

    /// <summary>Successful creates and replaces.</summary>
    public int Writes { get; private set; }

    public IReadOnlyCollection<string> Ids
    {
        get
        {
            lock (_lock)
            {
                return _profiles.Keys.ToList();
            }
        }
    }

    public CustomerProfile? Get(string id)
    {
        lock (_lock)
        {
            return _profiles.TryGetValue(id, out var entry) ? Copy.From<CustomerProfile>(entry.Json) : null;
        }
    }

    /// <summary>The stored document, for comparing content before and after.</summary>
    public string? Json(string id)
    {
        lock (_lock)
        {
            return _profiles.TryGetValue(id, out var entry) ? entry.Json : null;
        }
    }

    public void Seed(CustomerProfile profile)
    {
        lock (_lock)
        {
            _profiles[profile.Id] = (Copy.Json(profile), 1);
        }
    }

    /// <summary>Changes a stored profile as another writer would (its ETag moves), e.g. consent revoked meanwhile.</summary>
    public void Update(string id, Action<CustomerProfile> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            var current = _profiles[id];
            var profile = Copy.From<CustomerProfile>(current.Json);
            change(profile);
            _profiles[id] = (Copy.Json(profile), current.Version + 1);
        }
    }

    public Task<IReadOnlyList<Stored<CustomerProfile>>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Stored<CustomerProfile>> found = ids
                .Where(_profiles.ContainsKey)
                .Select(id => new Stored<CustomerProfile>(
                    Copy.From<CustomerProfile>(_profiles[id].Json),
                    _profiles[id].Version.ToString(CultureInfo.InvariantCulture)))
                .ToList();
            return Task.FromResult(found);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_profiles.Remove(id));
        }
    }

    public Task SaveAsync(CustomerProfile profile, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            SaveCalls++;
            var exists = _profiles.TryGetValue(profile.Id, out var current);
            if (exists && ConcurrentWriterOnNextSave is { } writer)
            {
                ConcurrentWriterOnNextSave = null;
                var other = Copy.From<CustomerProfile>(current.Json);
                writer(other);
                _profiles[profile.Id] = (Copy.Json(other), current.Version + 1);
                Conflicts++;
                throw new StorageConflictException($"Profile '{profile.Id}' changed since it was read (412).");
            }

            if (etag is null ? exists : !exists || current.Version.ToString(CultureInfo.InvariantCulture) != etag)
            {
                Conflicts++;
                throw new StorageConflictException($"Profile '{profile.Id}' was created or changed by someone else (409/412).");
            }

            _profiles[profile.Id] = (Copy.Json(profile), exists ? current.Version + 1 : 1);
            Writes++;
            return Task.CompletedTask;
        }
    }
}
