using CloudNative.CloudEvents;

namespace OmniChannel.Core.Events;

/// <summary>The CloudEvents extension attributes of the OmniChannel contract (lower-case, as CloudEvents requires).</summary>
public static class EventAttributes
{
    public static CloudEventAttribute Channel { get; } = CloudEventAttribute.CreateExtension("channel", CloudEventAttributeType.String);
    public static CloudEventAttribute CustomerId { get; } = CloudEventAttribute.CreateExtension("customerid", CloudEventAttributeType.String);
    public static CloudEventAttribute DeviceId { get; } = CloudEventAttribute.CreateExtension("deviceid", CloudEventAttributeType.String);
    public static CloudEventAttribute LoyaltyId { get; } = CloudEventAttribute.CreateExtension("loyaltyid", CloudEventAttributeType.String);
    public static CloudEventAttribute EmailHash { get; } = CloudEventAttribute.CreateExtension("emailhash", CloudEventAttributeType.String);
    public static CloudEventAttribute StoreId { get; } = CloudEventAttribute.CreateExtension("storeid", CloudEventAttributeType.String);

    /// <summary>W3C trace context carried from the collect request to ingest (the CloudEvents distributed tracing extension).</summary>
    public static CloudEventAttribute TraceParent { get; } = CloudEventAttribute.CreateExtension("traceparent", CloudEventAttributeType.String);
    public static CloudEventAttribute TraceState { get; } = CloudEventAttribute.CreateExtension("tracestate", CloudEventAttributeType.String);

    public static IReadOnlyList<CloudEventAttribute> Extensions { get; } =
        [Channel, CustomerId, DeviceId, LoyaltyId, EmailHash, StoreId, TraceParent, TraceState];
}
