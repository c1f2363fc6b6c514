namespace OmniChannel.Api;

/// <summary>Route templates under the <c>/api</c> prefix, shared by the Functions app and the local host.</summary>
public static class ApiRoutes
{
    public const string Prefix = "api";
    public const string Events = "events";
    public const string Customer = "customers/{id}";
    public const string CustomerEvents = "customers/{id}/events";
    public const string CustomerMerges = "customers/{id}/merges";
    public const string CustomerMergeUndo = "customers/{id}/merges/{mergeId}/undo";
    public const string Stores = "stores";
    public const string Store = "stores/{storeId}";
    public const string StoreInventory = "stores/{storeId}/inventory/{sku}";
    public const string StoreOrders = "stores/{storeId}/orders";
    public const string StoreReturns = "stores/{storeId}/returns";
    public const string Health = "health";
    public const string Orders = "orders";
    public const string Order = "orders/{id}";
    public const string OrderCancel = "orders/{id}/cancel";
    public const string OrderArrived = "orders/{id}/arrived";
    public const string OrderPicked = "orders/{id}/picked";
    public const string StoreOrderPicked = "stores/{storeId}/orders/{id}/picked";
    public const string StoreOrderCollected = "stores/{storeId}/orders/{id}/collected";
    public const string Prices = "prices";
    public const string Price = "prices/{sku}";
    public const string PriceChange = "prices/changes/{id}";
    public const string PriceChangeRetry = "prices/changes/{id}/retry";
    public const string PriceSubscribers = "prices/subscribers";
    public const string PriceSubscriber = "prices/subscribers/{id}";
    public const string RemarketingRules = "remarketing/rules";
    public const string RemarketingRule = "remarketing/rules/{id}";
    public const string RemarketingRuleSimulate = "remarketing/rules/{id}/simulate";
    public const string AdminDeadLetters = "admin/deadletters";
    public const string AdminDeadLettersReplay = "admin/deadletters/replay";
    public const string AdminParked = "admin/parked";
    public const string AdminParkedReplay = "admin/parked/replay";
    public const string OperationsViolations = "operations/violations";
    public const string OperationsCouponConflicts = "operations/coupon-conflicts";
    public const string OperationsRefunds = "operations/refunds";
    public const string CouponValidate = "coupons/{code}/validate";
    public const string CouponRedeem = "coupons/{code}/redeem";
    public const string InsightsSummary = "insights/summary";
    public const string ConsoleRoles = "console/roles";
    public const string PaymentRefundEvents = "payments/refunds/events";
    public const string OpenApiDocument = "openapi.json";

    /// <summary>The interactive API reference over <see cref="OpenApiDocument"/> (the local host only), with its assets under it.</summary>
    public const string ApiReference = "docs";
}
