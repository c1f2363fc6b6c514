using System.Text.Json.Serialization;
using OmniChannel.Core.Orders;

namespace OmniChannel.Azure.Cosmos;

/// <summary>A pickup order as stored: a Cosmos-safe id over the order.</summary>
internal sealed record OrderDocument(string Id, PickupOrder Order)
{
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}
