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
public sealed class FailingNthWrite(IProfileStore profiles, IIdentityLinkStore links) : NthWriteFault, IProfileStore, IIdentityLinkStore
{
    /// <summary>Puts the counting stores in place of the real ones (which they wrap) in a backbone's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<CosmosProfileStore>();
        services.AddSingleton<CosmosIdentityLinkStore>();
        services.AddSingleton(provider => new FailingNthWrite(provider.GetRequiredService<CosmosProfileStore>(), provider.GetRequiredService<CosmosIdentityLinkStore>()));
        services.AddSingleton<IProfileStore>(provider => provider.GetRequiredService<FailingNthWrite>());
        services.AddSingleton<IIdentityLinkStore>(provider => provider.GetRequiredService<FailingNthWrite>());
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
}
