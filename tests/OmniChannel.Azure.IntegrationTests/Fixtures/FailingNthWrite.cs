using Microsoft.Extensions.DependencyInjection;
using OmniChannel.Azure.Cosmos;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Azure.IntegrationTests.Fixtures;

/// <summary>
/// The real profile and identity-link stores with the writes of stitching counted (a profile save, or one link
/// document): the <see cref="FailAt"/>-th write fails, either before it reaches the store (a crash between two
/// writes) or after it was stored (the answer lost, as with a timeout). <see cref="AfterWrite"/> runs once when that
/// write is stored instead, so a test can slip in a concurrent batch at that exact point.
/// </summary>
public sealed class FailingNthWrite(IProfileStore profiles, IIdentityLinkStore links) : IProfileStore, IIdentityLinkStore
{
    private int _writes;

    /// <summary>The write to fail or to follow with <see cref="AfterWrite"/> (1-based), or 0 for none.</summary>
    public int FailAt { get; set; }

    public bool FailAfterStoring { get; set; }

    public Func<Task>? AfterWrite { get; set; }

    public int Writes => Volatile.Read(ref _writes);

    public bool Failed { get; private set; }

    /// <summary>Puts the counting stores in place of the real ones (which they wrap) in a backbone's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<CosmosProfileStore>();
        services.AddSingleton<CosmosIdentityLinkStore>();
        services.AddSingleton(provider => new FailingNthWrite(provider.GetRequiredService<CosmosProfileStore>(), provider.GetRequiredService<CosmosIdentityLinkStore>()));
        services.AddSingleton<IProfileStore>(provider => provider.GetRequiredService<FailingNthWrite>());
        services.AddSingleton<IIdentityLinkStore>(provider => provider.GetRequiredService<FailingNthWrite>());
    }

    /// <summary>Counts from zero again with the given fault armed.</summary>
    public void Arm(int failAt, bool failAfterStoring = false, Func<Task>? afterWrite = null)
    {
        (_writes, FailAt, FailAfterStoring, AfterWrite, Failed) = (0, failAt, failAfterStoring, afterWrite, false);
    }

    public Task<IReadOnlyList<Stored<CustomerProfile>>> ReadManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        profiles.ReadManyAsync(ids, cancellationToken);

    public Task SaveAsync(CustomerProfile profile, string? etag, CancellationToken cancellationToken) =>
        WriteAsync(() => profiles.SaveAsync(profile, etag, cancellationToken));

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        profiles.DeleteAsync(id, cancellationToken);

    public Task<int> DeleteLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken) =>
        links.DeleteLinksAsync(identityKeys, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> ReadLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken) =>
        links.ReadLinksAsync(identityKeys, cancellationToken);

    public async Task WriteLinksAsync(IReadOnlyCollection<KeyValuePair<string, string>> toWrite, CancellationToken cancellationToken)
    {
        // One document at a time, so a failure can fall between two links of one call.
        foreach (var link in toWrite)
        {
            await WriteAsync(() => links.WriteLinksAsync([link], cancellationToken));
        }
    }

    private async Task WriteAsync(Func<Task> write)
    {
        var number = Interlocked.Increment(ref _writes);
        var chosen = number == FailAt;
        if (chosen && AfterWrite is null && !FailAfterStoring)
        {
            Failed = true;
            throw Fault(number, "before it was stored");
        }

        await write();
        if (chosen && AfterWrite is { } afterWrite)
        {
            AfterWrite = null;
            await afterWrite();
        }
        else if (chosen && FailAfterStoring)
        {
            Failed = true;
            throw Fault(number, "after it was stored");
        }
    }

    private static TransientStorageException Fault(int number, string when) =>
        new($"Injected fault: write {number} failed {when}.", null, new IOException("injected"));
}
