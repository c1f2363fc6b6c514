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
    }

    public static class Tables
    {
        public const string Stores = "stores";

        /// <summary>Every message sent to a customer or store (the notifications adapter's record).</summary>
        public const string Notifications = "notifications";

        /// <summary>Every refund asked of the payment provider (the payments adapter's record).</summary>
        public const string Refunds = "refunds";

        public static IReadOnlyList<string> All { get; } = [Stores, Notifications, Refunds];
    }

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
