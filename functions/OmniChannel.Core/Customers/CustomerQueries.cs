using System.Buffers.Text;
using System.Text;
using OmniChannel.Core.Identity;
using OmniChannel.Core.Ports;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Core.Customers;

/// <summary>Reads the Customer 360 and the cross-channel timeline of one customer.</summary>
public sealed class CustomerQueries(ProfileStitcher stitcher, IEventStore events)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    /// <summary>
    /// Finds a profile by customer id, or by any identity key (<c>device:…</c>, <c>loyalty:…</c>, <c>email:…</c>)
    /// so an anonymous visitor's profile can be looked at too.
    /// </summary>
    public Task<CustomerProfile?> FindProfileAsync(string id, CancellationToken cancellationToken) =>
        stitcher.FindAsync(IdentityOf(id), cancellationToken);

    /// <summary>The identity key a route's <c>{id}</c> names: a key as given (<c>device:…</c>), else a customer id.</summary>
    public string IdentityOf(string id) =>
        IdentityKey.TryParse(id, out var key) && key.Kind != IdentityKind.Store ? key.ToString() : IdentityKey.Customer(id).ToString();

    public async Task<Customer360?> GetCustomerAsync(string id, CancellationToken cancellationToken) =>
        await FindProfileAsync(id, cancellationToken) is { } profile ? Customer360.From(profile) : null;

    /// <summary>Newest first across every identity stitched into the profile, anonymous ones included.</summary>
    /// <exception cref="FormatException">The continuation token was not issued by this API.</exception>
    public async Task<TimelinePage?> GetTimelineAsync(string id, int limit, string? continuation, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {MaxPageSize}.");
        }

        var before = continuation is null ? null : DecodeContinuation(continuation);
        if (await FindProfileAsync(id, cancellationToken) is not { } profile)
        {
            return null;
        }

        var page = await events.ReadTimelineAsync(profile.Identities, limit, before, cancellationToken);
        var next = page.Count == limit ? EncodeContinuation(page[^1].SortKey) : null;
        return new TimelinePage(profile.Id, page, next);
    }

    private static string EncodeContinuation(string sortKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("v1|" + sortKey));

    private static string DecodeContinuation(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith("v1|", StringComparison.Ordinal) ? text[3..] : throw new FormatException("Unknown continuation token version.");
        }
        catch (FormatException)
        {
            throw new FormatException("The continuation token is not valid; use the one from the previous page's response.");
        }
    }
}
