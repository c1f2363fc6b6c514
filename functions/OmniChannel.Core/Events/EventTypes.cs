namespace OmniChannel.Core.Events;

/// <summary>The CloudEvents <c>type</c> values a channel may post.</summary>
public static class EventTypes
{
    public const string ProductViewed = "omni.product.viewed";
    public const string CartItemAdded = "omni.cart.item_added";
    public const string CartAbandoned = "omni.cart.abandoned";
    public const string OrderPlaced = "omni.order.placed";
    public const string PosSale = "omni.pos.sale";
    public const string CustomerIdentified = "omni.customer.identified";
    public const string GeofenceEntered = "omni.geofence.entered";

    /// <summary>The app saw the customer leave a store's geofence (what a rule's dwell time waits for not to happen).</summary>
    public const string GeofenceExited = "omni.geofence.exited";
    public const string InventoryAdjusted = "omni.inventory.adjusted";
    public const string ConsentChanged = "omni.consent.changed";

    public static IReadOnlyList<string> All { get; } =
    [
        ProductViewed, CartItemAdded, CartAbandoned, OrderPlaced, PosSale,
        CustomerIdentified, GeofenceEntered, InventoryAdjusted, ConsentChanged, GeofenceExited,
    ];

    /// <summary><see cref="All"/>, for lookups per event.</summary>
    internal static KnownText Known { get; } = new(All);
}
