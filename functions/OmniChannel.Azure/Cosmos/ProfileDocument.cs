using System.Text.Json.Serialization;
using OmniChannel.Core.Profiles;

namespace OmniChannel.Azure.Cosmos;

/// <summary>A Customer 360 as stored: a Cosmos-safe id over the profile.</summary>
internal sealed record ProfileDocument(string Id, CustomerProfile Profile)
{
    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}
