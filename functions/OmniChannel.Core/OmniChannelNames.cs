namespace OmniChannel.Core;

/// <summary>Names that the code, both hosts and the Bicep templates must agree on; the infrastructure tests read them.</summary>
public static class OmniChannelNames
{
    public const string Database = "omnichannel";

    public static class Containers
    {
        public const string Events = "events";
        public const string Profiles = "profiles";
        public const string Identities = "identities";
        public const string Inventory = "inventory";
        public const string DeadLetters = "deadletters";
        public const string Orders = "orders";

        /// <summary>One small entry per open pickup order, partitioned by store: the store's pickup queue.</summary>
        public const string StoreOrders = "storeorders";

        /// <summary>Effective-dated price records, one per SKU and change.</summary>
        public const string Prices = "prices";

        /// <summary>Price changes as accepted, with their fan-out's outcome.</summary>
        public const string PriceChanges = "pricechanges";

        /// <summary>Tombstones of erased identities (by a hash of the key: nothing personal) and erasures in progress.</summary>
        public const string Erasures = "erasures";
    }

    public static class Tables
    {
        public const string Stores = "stores";

        /// <summary>Every message sent to a customer or store (the notifications adapter's record).</summary>
        public const string Notifications = "notifications";

        /// <summary>Every refund asked of the payment provider (the payments adapter's record).</summary>
        public const string Refunds = "refunds";

        /// <summary>The price subscriber registry (no secrets).</summary>
        public const string PriceSubscribers = "pricesubscribers";

        /// <summary>Subscribers' signing secrets in the local host (Key Vault holds them in Azure).</summary>
        public const string SubscriberSecrets = "subscribersecrets";

        /// <summary>Per price change, each subscriber's delivery state and last error.</summary>
        public const string PriceDeliveries = "pricedeliveries";

        /// <summary>Marketing's remarketing rules.</summary>
        public const string RemarketingRules = "remarketingrules";

        /// <summary>The coupon ledger: every coupon by code, and an index per customer.</summary>
        public const string Coupons = "coupons";

        /// <summary>The daily KPI counters behind the insights summary: a partition per UTC day, a row per metric.</summary>
        public const string Insights = "insights";

        /// <summary>The data fields outside the tracking plan that ingest found: a partition per source, a row per event type and field.</summary>
        public const string PlanViolations = "planviolations";

        /// <summary>Coupon codes on ingested sales that did not redeem: a row per sale and code.</summary>
        public const string CouponConflicts = "couponconflicts";

        /// <summary>Orders whose refund is pending or needs attention: a row per order while it is.</summary>
        public const string RefundWatch = "refundwatch";

        /// <summary>Holdout attribution: a partition per rule, a row per customer's current window and per day's group totals.</summary>
        public const string Attribution = "attribution";

        public static IReadOnlyList<string> All { get; } = [Stores, Notifications, Refunds, PriceSubscribers, SubscriberSecrets, PriceDeliveries, RemarketingRules, Coupons, Insights, PlanViolations, CouponConflicts, RefundWatch, Attribution];
    }

    /// <summary>The blob container where ingest parks batches while Cosmos DB is down.</summary>
    public const string ParkedContainer = "parked";

    public const string EventHub = "omni-events";

    public const string IngestConsumerGroup = "ingest";

    /// <summary>The Durable Task hub: one per app (and slot), never shared.</summary>
    public const string TaskHub = "omnichannel";

    /// <summary>App settings read by the Event Hubs trigger and by the producer (one source for both).</summary>
    public static class Settings
    {
        /// <summary>Connection prefix: <c>EventHubConnection__fullyQualifiedNamespace</c> in Azure.</summary>
        public const string EventHubConnection = "EventHubConnection";

        public const string EventHubName = "EventHubName";

        public const string EventHubConsumerGroup = "EventHubConsumerGroup";

        /// <summary>Client id of the app's user-assigned managed identity.</summary>
        public const string ManagedIdentityClientId = "AZURE_CLIENT_ID";
    }
}
