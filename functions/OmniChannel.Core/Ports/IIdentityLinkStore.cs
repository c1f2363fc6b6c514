namespace OmniChannel.Core.Ports;

/// <summary>
/// Links from an identity key to the profile it was stitched into. An identity without a link belongs to the profile
/// named after itself, so only identities that joined another profile cost a document.
/// </summary>
public interface IIdentityLinkStore
{
    Task<IReadOnlyDictionary<string, string>> ReadLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken);

    Task WriteLinksAsync(IReadOnlyCollection<KeyValuePair<string, string>> links, CancellationToken cancellationToken);

    /// <summary>Deletes the links of these identities (for erasure); answers how many there were.</summary>
    Task<int> DeleteLinksAsync(IReadOnlyCollection<string> identityKeys, CancellationToken cancellationToken);
}
