namespace OmniChannel.Api;

/// <summary>Route templates under the <c>/api</c> prefix, shared by the Functions app and the local host.</summary>
public static class ApiRoutes
{
    public const string Prefix = "api";
    public const string Events = "events";
    public const string Customer = "customers/{id}";
    public const string CustomerEvents = "customers/{id}/events";
    public const string Stores = "stores";
    public const string Store = "stores/{storeId}";
    public const string StoreInventory = "stores/{storeId}/inventory/{sku}";
    public const string Health = "health";
    public const string Orders = "orders";
    public const string Order = "orders/{id}";
    public const string OrderCancel = "orders/{id}/cancel";
    public const string StoreOrderPicked = "stores/{storeId}/orders/{id}/picked";
    public const string StoreOrderCollected = "stores/{storeId}/orders/{id}/collected";
}
