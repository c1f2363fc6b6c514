namespace OmniChannel.Core.Identity;

/// <summary>
/// The known customer behind a signal's identities, through the identity graph: a signed-in app user's phone entering
/// a geofence sends its device id only, yet belongs to that customer. Every reaction that needs the person (the live
/// remarketing reaction, a rule's simulation) asks here, so they cannot disagree.
/// </summary>
public sealed class PersonResolver(ProfileStitcher stitcher)
{
    /// <summary>
    /// The signal's own customer id when it carries one (no read); else the customer id of the profile its strongest
    /// stitched identity (loyalty, then e-mail, then device) belongs to, following links and merges. Null for a person
    /// not known as a customer (no profile, or a profile without a customer id).
    /// </summary>
    public async Task<string?> CustomerIdAsync(IdentitySet identities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identities);
        if (identities.CustomerId is { } customerId)
        {
            return customerId;
        }

        // Strongest first: the first identity with a stored profile names the person (ingest stitched the signal's
        // identities into one profile before reactions run). An anonymous device has no stored profile, and no
        // customer id to find in its events, so its timeline is never read here.
        foreach (var key in identities.Keys())
        {
            if ((await stitcher.FindStoredAsync(key.ToString(), cancellationToken)).Profile is { } profile)
            {
                return profile.Value.CustomerId;
            }
        }

        return null;
    }
}
