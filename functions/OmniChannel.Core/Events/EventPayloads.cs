namespace OmniChannel.Core.Events;

/// <summary>The typed <c>data</c> of an event; one record per event type.</summary>
public abstract record EventPayload;

public sealed record OrderLine(string Sku, int Quantity, decimal Price);

public enum Fulfilment
{
    Ship,
    Pickup,
}

/// <summary>A customer's choice for one purpose of processing (see <see cref="ConsentPurposes"/>).</summary>
public enum ConsentState
{
    Unknown,
    Granted,
    Revoked,
}

/// <remarks><see cref="Category"/> (optional) lets remarketing rules target product categories.</remarks>
public sealed record ProductViewed(string Sku, string? StoreId, string? Category = null) : EventPayload;

public sealed record CartItemAdded(string Sku, int Quantity, decimal Price) : EventPayload;

public sealed record CartAbandoned(IReadOnlyList<string> Skus) : EventPayload;

/// <remarks><see cref="PaymentReference"/>: the payment at the payment service (optional), which refunds name.</remarks>
public sealed record OrderPlaced(string OrderId, IReadOnlyList<OrderLine> Lines, Fulfilment Fulfilment, string? StoreId, string? PaymentReference = null) : EventPayload
{
    public decimal Total => Lines.Sum(line => line.Price * line.Quantity);
}

public sealed record PosSale(string StoreId, IReadOnlyList<OrderLine> Lines, string? CouponCode) : EventPayload
{
    public decimal Total => Lines.Sum(line => line.Price * line.Quantity);
}

/// <summary>Identities a channel now knows belong to one person; the envelope's identities count too.</summary>
/// <summary>
/// Identities now known to belong together: one of each kind, and lists where a sign-in joins several (an account page
/// linking a web cookie and an app install sends <c>deviceids</c>).
/// </summary>
public sealed record CustomerIdentified(
    string? CustomerId,
    string? DeviceId,
    string? LoyaltyId,
    string? EmailHash,
    IReadOnlyList<string>? DeviceIds = null,
    IReadOnlyList<string>? LoyaltyIds = null,
    IReadOnlyList<string>? EmailHashes = null) : EventPayload;

public sealed record GeofenceEntered(string StoreId, double Lat, double Lon) : EventPayload;

public sealed record GeofenceExited(string StoreId, double Lat, double Lon) : EventPayload;

public sealed record InventoryAdjusted(string StoreId, string Sku, int Delta, string Reason) : EventPayload;

/// <summary>One purpose's new state in a consent change.</summary>
public sealed record ConsentChoice(string Purpose, ConsentState State);

/// <summary>A customer's consent changed, for one or more purposes (<c>{"marketing": "revoked"}</c>).</summary>
public sealed record ConsentChanged(IReadOnlyList<ConsentChoice> Choices) : EventPayload
{
    public ConsentChanged(string purpose, ConsentState state)
        : this([new ConsentChoice(purpose, state)])
    {
    }

    public bool Equals(ConsentChanged? other) => other is not null && Choices.SequenceEqual(other.Choices);

    public override int GetHashCode() => Choices.Count;
}
