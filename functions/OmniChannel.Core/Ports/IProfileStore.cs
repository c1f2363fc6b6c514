using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Ports;

public interface IProfileStore
{
    Task<IReadOnlyList<Stored<CustomerProfile>>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Creates the profile when <paramref name="etag"/> is null, else replaces it if unchanged; throws <see cref="StorageConflictException"/> otherwise.</summary>
    Task SaveAsync(CustomerProfile profile, string? etag, CancellationToken cancellationToken);

    /// <summary>Deletes the profile (live or pointer) whatever its version; answers whether there was one.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
