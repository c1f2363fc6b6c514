using System.Text.Json.Serialization;
using OmniChannel.Core.Orders;

namespace OmniChannel.Azure.Cosmos;

/// <summary>
/// An open pickup order's entry in its store's queue (container <c>storeorders</c>, partitioned by store). Small on
/// purpose: the queue reads the order documents for everything else, so a stale entry never shows a stale status.
/// </summary>
internal sealed record StoreOrderDocument(string Id, string StoreId, string OrderId, OrderStatus Status, DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt, string SortKey)
{
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    public static StoreOrderDocument From(string id, PickupOrder order) =>
        new(id, order.StoreId, order.Id, order.Status, order.PlacedAt, order.UpdatedAt, CosmosSortKeys.TimeThen(order.PlacedAt, id));
}
